import { describe, expect, it } from "vitest";
import type { ExecutionStats } from "../progress.ts";
import { runEndSamples, systemSamples, type RunEndFacts } from "./streams.ts";

const now = new Date("2026-01-01T00:00:10.000Z");
const stats = (over: Partial<ExecutionStats> = {}): ExecutionStats => ({
  total: 4, waiting: 1, ready: 0, running: 1, completed: 1, failed: 1, timedOut: 0, skipped: 0, cancelled: 0, busyMs: 500,
  startedAt: "2026-01-01T00:00:00.000Z", endedAt: null, currentTask: null, runningProgress: 0.5, etaMs: null, asOf: now.toISOString(),
  cost: 0, firstTry: 1, ...over,
});
const facts = (over: Partial<RunEndFacts> = {}): RunEndFacts => ({
  task: "fetch", attempt: 1, attemptBase: 0,
  readyAt: new Date("2026-01-01T00:00:01.000Z"), startedAt: new Date("2026-01-01T00:00:01.250Z"), finishedAt: new Date("2026-01-01T00:00:03.250Z"),
  execution: { status: "RUNNING", stats: stats(), startedAt: new Date("2026-01-01T00:00:00.000Z"), completedAt: null },
  custom: {}, now, ...over,
});
const byName = (samples: ReturnType<typeof runEndSamples>) => Object.fromEntries(samples.map((s) => [s.metric, s]));

describe("runEndSamples", () => {
  it("reports task duration and queue wait (labelled by task), progress, error rate and failed tasks, all at now", () => {
    const s = byName(runEndSamples(facts()));
    expect(s.task_duration_ms).toEqual({ metric: "task_duration_ms", value: 2000, timestamp: now, labels: { task: "fetch" } });
    expect(s.queue_wait_ms).toMatchObject({ value: 250, labels: { task: "fetch" } });
    expect(s.progress!.value).toBe(62.5); // (2 finished + 0.5 running) of 4
    expect(s.error_rate!.value).toBe(0.5);
    expect(s.failed_tasks!.value).toBe(1);
    expect(s.execution_duration_ms).toBeUndefined(); // still running: the tick samples it
  });

  it("adds execution_duration_ms once the execution ended", () => {
    const s = byName(runEndSamples(facts({ execution: { status: "COMPLETED", stats: stats(), startedAt: new Date("2026-01-01T00:00:00.000Z"), completedAt: new Date("2026-01-01T00:00:04.000Z") } })));
    expect(s.execution_duration_ms!.value).toBe(4000);
  });

  it("reports queue_wait_ms 0, not nothing, when the claim's clock reads a hair before readyAt", () => {
    const s = byName(runEndSamples(facts({ readyAt: new Date("2026-01-01T00:00:01.003Z"), startedAt: new Date("2026-01-01T00:00:01.000Z") })));
    expect(s.queue_wait_ms).toMatchObject({ value: 0, labels: { task: "fetch" } });
  });

  it("leaves queue_wait_ms out for retries (their due time is gone) and error_rate while nothing finished", () => {
    const s = byName(runEndSamples(facts({ attempt: 2, execution: { status: "RUNNING", stats: stats({ completed: 0, failed: 0 }), startedAt: null, completedAt: null } })));
    expect(s.queue_wait_ms).toBeUndefined();
    expect(s.error_rate).toBeUndefined();
    expect(s.task_duration_ms).toBeDefined();
  });

  it("passes ctx.metric values through once (cost included), dropping invalid names and non-finite values", () => {
    const samples = runEndSamples(facts({ custom: { cost: 1.5, "bad name": 1, steps: Number.NaN } }));
    expect(samples.filter((s) => s.metric === "cost")).toEqual([{ metric: "cost", value: 1.5, timestamp: now }]);
    expect(samples.map((s) => s.metric)).not.toContain("bad name");
    expect(samples.map((s) => s.metric)).not.toContain("steps");
  });

  it("without the run's row, only the ctx.metric values", () => {
    const samples = runEndSamples(facts({ readyAt: null, startedAt: null, finishedAt: null, execution: { status: "RUNNING", stats: null, startedAt: null, completedAt: null }, custom: { x: 1 } }));
    expect(samples.map((s) => s.metric)).toEqual(["x"]);
  });
});

describe("systemSamples", () => {
  it("turns the counters into samples; throughput is per second over the last minute", () => {
    const s = byName(systemSamples({ queueDepth: 3, runningExecutions: 2, runningTasks: 5, workers: 1, finishedLastMinute: 30 }, now));
    expect(Object.keys(s)).toEqual(["queue_depth", "running_executions", "running_tasks", "workers", "throughput"]);
    expect(s.throughput!.value).toBe(0.5);
    expect(s.queue_depth).toEqual({ metric: "queue_depth", value: 3, timestamp: now });
  });
});
