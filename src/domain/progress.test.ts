import { describe, expect, it } from "vitest";
import { computeMetrics, computeProgress, initialStats, summarizeTasks, type ExecutionStats, type TaskTally, type TalliedRun } from "./progress.ts";

const START = "2024-01-01T00:00:00.000Z";
const NOW = new Date("2024-01-01T00:01:00.000Z"); // 60 s after START
const stats = (over: Partial<ExecutionStats>): ExecutionStats => ({ ...initialStats(10, NOW), waiting: 0, ...over });

describe("computeProgress", () => {
  it("counts finished tasks and running progress towards the percentage; the ETA is the snapshot's, less the time since", () => {
    // 4 of 10 finished, two running at 50 % each → 50 %; the critical-path estimate was 90 s, taken 10 s ago.
    const s = stats({ completed: 3, failed: 1, running: 2, waiting: 4, startedAt: START, runningProgress: 1, etaMs: 90_000, asOf: "2024-01-01T00:00:50.000Z" });
    expect(computeProgress(s, "RUNNING", NOW)).toEqual({
      percentage: 50,
      completedTasks: 3,
      totalTasks: 10,
      estimatedTimeRemaining: 80_000,
      currentPhase: "running 2 of 6 remaining tasks",
    });
    expect(computeProgress({ ...s, asOf: "2023-12-31T00:00:00.000Z" }, "RUNNING", NOW).estimatedTimeRemaining).toBe(0);
  });

  it("rounds the percentage to one decimal", () => {
    expect(computeProgress(stats({ total: 3, completed: 1, startedAt: START }), "RUNNING", NOW).percentage).toBe(33.3);
    expect(computeProgress(stats({ total: 9, completed: 5, skipped: 2, startedAt: START }), "RUNNING", NOW).percentage).toBe(77.8);
  });

  it("reports ETA 0 once the execution is terminal, whatever the counters say", () => {
    for (const status of ["COMPLETED", "FAILED", "CANCELLED"] as const) {
      const p = computeProgress(stats({ completed: 2, cancelled: 3, startedAt: START, endedAt: START }), status, NOW);
      expect(p.estimatedTimeRemaining).toBe(0);
      expect(p.currentPhase).toBe(status.toLowerCase());
    }
  });

  it("has no ETA before anything started or finished", () => {
    expect(computeProgress(initialStats(5, NOW), "PENDING", NOW)).toEqual({
      percentage: 0,
      completedTasks: 0,
      totalTasks: 5,
      estimatedTimeRemaining: null,
      currentPhase: "queued, waiting for a worker",
    });
    expect(computeProgress(stats({ running: 1, startedAt: START, etaMs: null }), "RUNNING", NOW).estimatedTimeRemaining).toBeNull();
  });

  it("names the phase while nothing runs", () => {
    expect(computeProgress(stats({ completed: 1, ready: 1, startedAt: START }), "RUNNING", NOW).currentPhase).toBe("waiting for a worker");
    // Every task done, the execution's own end not yet (the event before EXECUTION_COMPLETED): not waiting for anything.
    expect(computeProgress(stats({ completed: 8, skipped: 2, startedAt: START }), "RUNNING", NOW)).toMatchObject({ percentage: 100, currentPhase: "all tasks finished" });
    expect(computeProgress(stats({ completed: 1, startedAt: START }), "PAUSED", NOW).currentPhase).toBe("paused");
    expect(computeProgress(stats({}), "SCHEDULED", NOW).currentPhase).toBe("scheduled");
  });

  it("reports 0% for an empty execution", () => {
    expect(computeProgress(initialStats(0, NOW), "COMPLETED", NOW).percentage).toBe(0);
  });
});

describe("computeMetrics", () => {
  it("computes rates over completed/failed/timed-out and throughput over all finished tasks", () => {
    const s = stats({ completed: 2, failed: 1, timedOut: 1, skipped: 1, cancelled: 1, busyMs: 12_345, startedAt: START });
    const resources = { cost: 0.5, unitMs: 8_000, usedUnitMs: 6_000 };
    expect(computeMetrics({ ...s, cost: 1.25, firstTry: 3, resources }, NOW)).toEqual({
      totalCost: 1.75, // 1.25 reported by tasks + 0.5 of resources
      resourceEfficiency: 0.75, // 6 000 unit-ms used of 8 000 held
      qualityScore: 0.5, // 3 first-try completions of 6 finished
      totalDuration: 60_000,
      effectiveDuration: 12_345,
      successRate: 0.5,
      errorRate: 0.5,
      throughput: 0.1, // 6 finished / 60 s
    });
  });

  it("rounds rates to four decimals", () => {
    const m = computeMetrics(stats({ completed: 2, failed: 1, startedAt: START }), NOW);
    expect(m.successRate).toBe(0.6667);
    expect(m.errorRate).toBe(0.3333);
    expect(m.throughput).toBe(0.05);
  });

  it("measures up to endedAt, not now, once the execution ended", () => {
    const m = computeMetrics(stats({ completed: 5, startedAt: START, endedAt: "2024-01-01T00:00:20.000Z" }), NOW);
    expect(m.totalDuration).toBe(20_000);
    expect(m.throughput).toBe(0.25);
  });

  it("returns nulls while there is nothing to measure", () => {
    expect(computeMetrics(initialStats(3, NOW), NOW)).toEqual({ totalCost: 0, resourceEfficiency: null, qualityScore: null, totalDuration: null, effectiveDuration: 0, successRate: null, errorRate: null, throughput: null });
    // Started this instant, only skips: duration 0, no throughput, no rates.
    expect(computeMetrics(stats({ skipped: 2, startedAt: NOW.toISOString() }), NOW)).toEqual({
      totalCost: 0,
      resourceEfficiency: null,
      qualityScore: 0,
      totalDuration: 0,
      effectiveDuration: 0,
      successRate: null,
      errorRate: null,
      throughput: null,
    });
  });

  it("clamps a start in the future to a zero duration", () => {
    expect(computeMetrics(stats({ completed: 1, startedAt: "2024-01-01T00:05:00.000Z" }), NOW).totalDuration).toBe(0);
  });
});

describe("summarizeTasks", () => {
  const at = (s: number) => new Date(Date.parse(START) + s * 1000);
  const tally = (over: Partial<TaskTally> = {}): TaskTally => ({
    total: 0, waiting: 0, ready: 0, completed: 0, failed: 0, timedOut: 0, skipped: 0, cancelled: 0, busyMs: 0, cost: 0, firstTry: 0, unitMs: null, longestQueued: null, running: [], ...over,
  });
  const run = (key: string, position: number, over: Partial<TalliedRun> = {}): TalliedRun => ({ id: `run-${key}`, key, attempt: 1, startedAt: null, progress: null, position, downstream: 0, ...over });

  it("carries the counts and sums, and takes the most recently started running task as the current one", () => {
    // a (10 s) and b (20 s) completed; c and d run, e waits on both.
    const running = [run("c", 2, { startedAt: at(12), progress: 0.5, downstream: 1 }), run("d", 3, { startedAt: at(15), progress: 0.25, downstream: 1 })];
    const s = summarizeTasks(tally({ total: 5, completed: 2, waiting: 1, busyMs: 30_000.4, cost: 0.75, firstTry: 1, unitMs: 15_000, longestQueued: 0, running }), { startedAt: at(0), endedAt: null, now: at(40) });
    expect(s).toMatchObject({ total: 5, completed: 2, running: 2, waiting: 1, busyMs: 30_000, cost: 0.75, firstTry: 1, currentTask: "d", runningProgress: 0.75, asOf: at(40).toISOString() });
    // The current task as of the snapshot, not looked up later.
    expect(s.currentRun).toEqual({ id: "run-d", key: "d", status: "RUNNING", attempt: 1, startedAt: at(15).toISOString(), progress: 0.25 });
    // Mean completed duration 15 s; c has 0 s left (15 − 28), d 0 s (15 − 25) → then e takes 15 s.
    expect(s.etaMs).toBe(15_000);
  });

  it("of runs started in the same ms, the first in the plan is the current one", () => {
    const running = [run("late", 7, { startedAt: at(3) }), run("early", 1, { startedAt: at(3) }), run("old", 0, { startedAt: at(1) })];
    expect(summarizeTasks(tally({ total: 3, running }), { startedAt: at(0), endedAt: null, now: at(5) }).currentTask).toBe("early");
  });

  it("has no ETA before a task completed, and 0 once the execution ended", () => {
    expect(summarizeTasks(tally({ total: 2, ready: 1, longestQueued: 1 }), { startedAt: at(0), endedAt: null, now: at(5) }).etaMs).toBeNull();
    const s = summarizeTasks(tally({ total: 2, failed: 1, ready: 1, unitMs: 1000, longestQueued: 0 }), { startedAt: at(0), endedAt: at(5), now: at(5) });
    expect(s).toMatchObject({ total: 2, failed: 1, ready: 1, etaMs: 0, endedAt: at(5).toISOString(), currentTask: null, currentRun: null });
  });
});
