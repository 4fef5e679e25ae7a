import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ClaimedRun } from "../store/claim.ts";
import { builtinHandlers } from "./handlers/builtins.ts";
import { defineHandler, type Handler, type HandlerError } from "./handlers/define.ts";
import { HandlerRegistry } from "./handlers/registry.ts";
import { MAX_MESSAGES_PER_RUN, MAX_METRICS_PER_RUN, MAX_OUTPUT_BYTES, runHandler, RunInterrupted, type RunInput } from "./runner.ts";

// Never settles and ignores its signal: the runner must abandon it at the deadline.
const stuck = defineHandler("stuck", { input: z.unknown(), run: () => new Promise(() => {}) });
const chatty = defineHandler("chatty", {
  input: z.object({ count: z.number() }),
  async run({ count }, ctx) {
    for (let i = 0; i < count; i++) ctx.log("INFO", `line ${i}`, i === 0 ? { first: true } : undefined);
    ctx.log("ERROR", "y".repeat(5000));
    return { attempt: ctx.attempt, params: ctx.params, deps: ctx.dependencies, task: ctx.task, execution: ctx.execution, executionId: ctx.executionId };
  },
});
// Reports progress and metrics as its input says, and whether the execution is pausing (read twice).
const reporter = defineHandler("reporter", {
  // z.any(): NaN and Infinity must reach the context unchanged.
  input: z.object({ progress: z.array(z.tuple([z.any(), z.string().optional()])).default([]), metrics: z.array(z.tuple([z.string(), z.any()])).default([]), fail: z.boolean().default(false) }),
  async run(input, ctx) {
    const before = ctx.paused;
    for (const [f, phase] of input.progress) ctx.progress(f as number, phase);
    for (const [name, value] of input.metrics) ctx.metric(name, value as number);
    await new Promise((r) => setTimeout(r, 5));
    if (input.fail) throw new Error("reporter failed");
    return { before, after: ctx.paused };
  },
});
// Ignores its signal and keeps reporting after its deadline.
const lingering = defineHandler("lingering", {
  async run(_input, ctx) {
    ctx.metric("early", 1);
    await new Promise((r) => setTimeout(r, 80));
    ctx.metric("late", 2);
    ctx.progress(0.9, "late");
  },
});
// Saves the states its input lists (awaiting each save), then returns what ctx.state said before and after,
// and the code of each save that rejected; with `unawaited`, saves without awaiting and returns at once.
const saver = defineHandler("saver", {
  input: z.object({ states: z.array(z.any()), unawaited: z.boolean().default(false) }),
  async run({ states, unawaited }, ctx) {
    const before = ctx.state;
    const rejected: string[] = [];
    for (const s of states) {
      const saving = ctx.checkpoint(s === "circular" ? circular() : s === "huge" ? "x".repeat(64 * 1024) : s);
      if (!unawaited) await saving.catch((err: HandlerError) => void rejected.push(`${err.code}: ${err.message}`));
    }
    return { before, after: ctx.state, rejected };
  },
});
// Calls ctx.checkpoint once it has already returned (a timer it left behind); the test awaits that call.
const late = defineHandler("late", {
  async run(_input, ctx) {
    lateSave = new Promise((r) => setTimeout(() => r({ saving: ctx.checkpoint({ late: true }) }), 10));
    return null;
  },
});
let lateSave: Promise<{ saving: Promise<void> }> | null = null;
const circular = () => {
  const o: Record<string, unknown> = {};
  o.self = o;
  return o;
};
const execution = { id: "00000000-0000-0000-0000-0000000000e1", planId: "00000000-0000-0000-0000-0000000000p1", priority: "HIGH" as const, params: { p: 1 } };
const registry = new HandlerRegistry([...builtinHandlers, stuck, chatty, reporter, lingering, saver, late] as Handler<never>[]);

const claimed = (over: Partial<ClaimedRun>): ClaimedRun => ({
  id: "00000000-0000-0000-0000-000000000001",
  executionId: "00000000-0000-0000-0000-0000000000e1",
  key: "step",
  name: "Step",
  handler: "noop",
  input: null,
  dependsOn: [],
  priority: "NORMAL",
  timeoutMs: null,
  status: "RUNNING",
  attempt: 1,
  attemptBase: 0,
  retryPolicy: null,
  recovery: null,
  fallback: false,
  hasDependants: false,
  resources: [],
  allocations: [],
  context: { execution: { ...execution, deadlineAt: null, pauseRequested: false }, dependencies: {}, state: null },
  ...over,
});
const input = (over: Partial<ClaimedRun>, interrupt: AbortSignal, extra: Partial<RunInput> = {}): RunInput => ({
  run: claimed(over),
  execution,
  dependencies: { up: { v: 2 } },
  interrupt,
  isPaused: () => false,
  onProgress: () => {},
  ...extra,
});
/** Runs and returns how the run ended (metrics must be empty for these handlers). */
const go = async (over: Partial<ClaimedRun>, interrupt = new AbortController().signal) => {
  const { end, metrics } = await runHandler(registry, input(over, interrupt));
  expect(metrics).toEqual({});
  return end;
};

describe("runHandler", () => {
  it("completes with the handler's output", async () => {
    await expect(go({ handler: "noop", input: { a: 1 } })).resolves.toEqual({ kind: "completed", output: { echo: { a: 1 } }, messages: [] });
  });

  it("passes attempt, execution, params, dependencies and task to the handler", async () => {
    const end = await go({ handler: "chatty", input: { count: 0 }, attempt: 3 });
    expect(end).toMatchObject({
      kind: "completed",
      output: { attempt: 3, params: { p: 1 }, deps: { up: { v: 2 } }, task: { key: "step", name: "Step" }, execution, executionId: execution.id },
    });
  });

  it("fails with the HandlerError's code", async () => {
    await expect(go({ handler: "fail", input: { code: "E_BOOM", message: "boom" } })).resolves.toEqual({
      kind: "failed",
      status: "FAILED",
      error: { code: "E_BOOM", message: "boom", recoverable: false },
      messages: [],
    });
  });

  it("fails with code FAILED for a fail task stored without input (JSON null)", async () => {
    await expect(go({ handler: "fail", input: null })).resolves.toMatchObject({ kind: "failed", status: "FAILED", error: { code: "FAILED" } });
  });

  it("fails with INVALID_INPUT naming the field on input its handler rejects, UNKNOWN_HANDLER on a missing handler", async () => {
    await expect(go({ handler: "sleep", input: { ms: "x" } })).resolves.toMatchObject({
      kind: "failed",
      status: "FAILED",
      error: { code: "INVALID_INPUT", recoverable: false, message: expect.stringMatching(/^input\.ms: Invalid input: expected number/) },
    });
    await expect(go({ handler: "sleep", input: { ms: -1 } })).resolves.toMatchObject({ error: { code: "INVALID_INPUT", message: expect.stringMatching(/^input\.ms: Too small/) } });
    await expect(go({ handler: "sleep", input: null })).resolves.toMatchObject({ error: { code: "INVALID_INPUT", message: expect.stringMatching(/^input: /) } });
    await expect(go({ handler: "gone" })).resolves.toMatchObject({ kind: "failed", error: { code: "UNKNOWN_HANDLER", message: 'no handler named "gone" on this worker' } });
  });

  it("times out a handler that ignores its signal", async () => {
    const t0 = Date.now();
    await expect(go({ handler: "stuck", timeoutMs: 50 })).resolves.toEqual({
      kind: "failed",
      status: "TIMED_OUT",
      error: { code: "TIMEOUT", message: "timed out after 50 ms", recoverable: true },
      messages: [],
    });
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it("rejects with the RunInterrupted reason when the worker interrupts", async () => {
    const ac = new AbortController();
    const reason = new RunInterrupted("shutdown");
    setTimeout(() => ac.abort(reason), 20);
    await expect(go({ handler: "sleep", input: { ms: 60_000 }, timeoutMs: 60_000 }, ac.signal)).rejects.toBe(reason);
  });

  it("rejects with RunInterrupted even for a handler that ignores its signal", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new RunInterrupted("revoked")), 20);
    await expect(go({ handler: "stuck" }, ac.signal)).rejects.toMatchObject({ name: "RunInterrupted", reason: "revoked" });
  });

  it("fails with OUTPUT_TOO_LARGE when the output exceeds the limit", async () => {
    const end = await go({ handler: "noop", input: "x".repeat(MAX_OUTPUT_BYTES) });
    expect(end).toMatchObject({ kind: "failed", status: "FAILED", error: { code: "OUTPUT_TOO_LARGE", message: "output exceeds 262144 bytes of JSON" } });
  });

  it("captures log messages with task key and context, truncating long ones", async () => {
    const end = await go({ handler: "chatty", input: { count: 2 } });
    expect(end.messages.map((m) => [m.level, m.message.length, m.taskKey, m.context])).toEqual([
      ["INFO", 6, "step", { first: true }],
      ["INFO", 6, "step", null],
      ["ERROR", 2000, "step", null],
    ]);
    expect(end.messages[0]!.timestamp).toBeInstanceOf(Date);
  });

  it("keeps at most MAX_MESSAGES_PER_RUN messages and adds a WARNING counting the dropped ones", async () => {
    // 150 INFO lines + 1 ERROR line = 151 logged; 100 kept, 51 dropped.
    const end = await go({ handler: "chatty", input: { count: 150 } });
    expect(end.messages).toHaveLength(MAX_MESSAGES_PER_RUN + 1);
    expect(end.messages[MAX_MESSAGES_PER_RUN - 1]!.message).toBe("line 99");
    expect(end.messages[MAX_MESSAGES_PER_RUN]).toEqual({ level: "WARNING", message: "51 log messages dropped (limit 100 per run)", taskKey: "step" });
  });
  it("reports ctx.progress clamped to [0, 1], with the phase or null, ignoring NaN", async () => {
    const seen: [number, string | null][] = [];
    const progress = [[0.25, "fetch"], [-1], [7, "done"], [Number.NaN, "nan"], [0.5]];
    const { end } = await runHandler(registry, input({ handler: "reporter", input: { progress } }, new AbortController().signal, { onProgress: (f, p) => seen.push([f, p]) }));
    expect(end.kind).toBe("completed");
    expect(seen).toEqual([[0.25, "fetch"], [0, null], [1, "done"], [0.5, null]]);
  });

  it("exposes ctx.paused as a live getter", async () => {
    let paused = false;
    const pending = runHandler(registry, input({ handler: "reporter", input: {} }, new AbortController().signal, { isPaused: () => paused }));
    paused = true; // requested while the handler awaits
    await expect(pending).resolves.toMatchObject({ end: { kind: "completed", output: { before: false, after: true } } });
  });

  it("returns the metrics (last value wins), ignoring non-finite values and over-long names", async () => {
    const metrics = [["cost", 1], ["cost", 2.5], ["rows", 10], ["inf", Infinity], ["nan", Number.NaN], ["x".repeat(65), 1], ["y".repeat(64), 3], ["", 1]];
    const { end, metrics: got } = await runHandler(registry, input({ handler: "reporter", input: { metrics } }, new AbortController().signal));
    expect(got).toEqual({ cost: 2.5, rows: 10, ["y".repeat(64)]: 3 });
    expect(end.messages).toEqual([]);
  });

  it("keeps at most MAX_METRICS_PER_RUN names and adds one WARNING counting the ignored values", async () => {
    const metrics = Array.from({ length: MAX_METRICS_PER_RUN + 3 }, (_, i) => [`m${i}`, i]);
    metrics.push(["m0", 100]); // an existing name still updates
    const { end, metrics: got } = await runHandler(registry, input({ handler: "reporter", input: { metrics } }, new AbortController().signal));
    expect(Object.keys(got)).toHaveLength(MAX_METRICS_PER_RUN);
    expect(got.m0).toBe(100);
    expect(got[`m${MAX_METRICS_PER_RUN}`]).toBeUndefined();
    expect(end.messages).toEqual([{ level: "WARNING", message: "3 metric values ignored: at most 50 distinct metric names per run", taskKey: "step" }]);
  });

  it("returns the metrics of a failed run too; a plain Error fails with HANDLER_ERROR", async () => {
    const { end, metrics } = await runHandler(registry, input({ handler: "reporter", input: { metrics: [["tries", 2]], fail: true } }, new AbortController().signal));
    expect(end).toMatchObject({ kind: "failed", status: "FAILED", error: { code: "HANDLER_ERROR", message: "reporter failed", recoverable: false } });
    expect(metrics).toEqual({ tries: 2 });
  });

  it("ctx.state starts as the saved state; ctx.checkpoint stores a JSON copy through onCheckpoint and updates ctx.state", async () => {
    const stored: unknown[] = [];
    const onCheckpoint = async (s: unknown) => void stored.push(s);
    const { end } = await runHandler(registry, input({ handler: "saver", input: { states: [{ step: 1 }, { step: 2, at: null }] } }, new AbortController().signal, { state: { step: 0 }, onCheckpoint }));
    expect(end).toMatchObject({ kind: "completed", output: { before: { step: 0 }, after: { step: 2, at: null }, rejected: [] }, messages: [] });
    expect(stored).toEqual([{ step: 1 }, { step: 2, at: null }]);
  });

  it("ctx.checkpoint rejects with INVALID_CHECKPOINT a state that is not JSON or over 64 KiB; one WARNING counts them", async () => {
    const stored: unknown[] = [];
    const states = ["circular", { ok: 1 }, "huge", "huge"];
    const { end } = await runHandler(registry, input({ handler: "saver", input: { states } }, new AbortController().signal, { onCheckpoint: async (s) => void stored.push(s) }));
    const output = (end as { output: { rejected: string[] } }).output;
    expect(end).toMatchObject({ kind: "completed", output: { before: null, after: { ok: 1 } } });
    expect(output.rejected).toEqual([
      expect.stringMatching(/^INVALID_CHECKPOINT: ctx\.checkpoint: not saved: the state is not JSON \(.*circular/),
      `INVALID_CHECKPOINT: ctx.checkpoint: not saved: the state is ${64 * 1024 + 2} bytes of JSON, more than ${64 * 1024}`,
      `INVALID_CHECKPOINT: ctx.checkpoint: not saved: the state is ${64 * 1024 + 2} bytes of JSON, more than ${64 * 1024}`,
    ]);
    expect(stored).toEqual([{ ok: 1 }]);
    expect(end.messages).toEqual([
      { level: "WARNING", message: expect.stringMatching(/^3 ctx\.checkpoint call\(s\) not saved; the first because the state is not JSON \(.*circular/), taskKey: "step" },
    ]);
    // Exactly at the limit (a JSON string of 64 KiB − 2 characters plus its quotes) is accepted.
    const { end: fits } = await runHandler(registry, input({ handler: "saver", input: { states: ["y".repeat(64 * 1024 - 2)] } }, new AbortController().signal));
    expect(fits.messages).toEqual([]);
  });

  it("a failed write rejects ctx.checkpoint with CHECKPOINT_NOT_SAVED and leaves ctx.state as it was; uncaught, it fails the attempt with that code", async () => {
    const onCheckpoint = () => Promise.reject(new Error("db down"));
    const { end } = await runHandler(registry, input({ handler: "saver", input: { states: [1] } }, new AbortController().signal, { state: 0, onCheckpoint }));
    expect(end).toMatchObject({ kind: "completed", output: { before: 0, after: 0, rejected: ["CHECKPOINT_NOT_SAVED: ctx.checkpoint: not saved: db down"] } });
    expect(end.messages).toEqual([{ level: "WARNING", message: "1 ctx.checkpoint call(s) not saved; the first because db down", taskKey: "step" }]);
    const uncaught = defineHandler("uncaught", { run: async (_i, ctx) => void (await ctx.checkpoint({ x: 1 })) });
    const { end: failed } = await runHandler(new HandlerRegistry([uncaught] as Handler<never>[]), input({ handler: "uncaught" }, new AbortController().signal, { onCheckpoint }));
    expect(failed).toMatchObject({ kind: "failed", status: "FAILED", error: { code: "CHECKPOINT_NOT_SAVED", message: "ctx.checkpoint: not saved: db down", recoverable: true } });
  });

  it("an unawaited ctx.checkpoint that fails is no unhandled rejection; a call after the run ended rejects", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const { end } = await runHandler(registry, input({ handler: "saver", input: { states: ["circular", 1], unawaited: true } }, new AbortController().signal, { onCheckpoint: () => Promise.reject(new Error("db down")) }));
      expect(end).toMatchObject({ kind: "completed" });
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    await runHandler(registry, input({ handler: "late" }, new AbortController().signal, { onCheckpoint: async () => undefined }));
    await expect((await lateSave!).saving).rejects.toMatchObject({ code: "CHECKPOINT_NOT_SAVED", message: "ctx.checkpoint: not saved: the run has already ended" });
  });

  it("a failed reportUsage write rejects with USAGE_NOT_SAVED", async () => {
    const user = defineHandler("user", { run: async (_i, ctx) => ctx.resources[0]!.reportUsage(1) });
    const allocation = { id: "a1", resourceId: "r1", resourceName: "cpu", type: "cpu", amount: 2, attributes: {} };
    const { end } = await runHandler(new HandlerRegistry([user] as Handler<never>[]), input({ handler: "user", allocations: [allocation] as ClaimedRun["allocations"] }, new AbortController().signal, { onResourceUsage: () => Promise.reject(new Error("db down")) }));
    expect(end).toMatchObject({ kind: "failed", error: { code: "USAGE_NOT_SAVED", message: "reportUsage: not saved: db down", recoverable: true } });
  });

  it("ignores metrics and progress a handler reports after it was abandoned at its deadline", async () => {
    const seen: unknown[] = [];
    const { end, metrics } = await runHandler(registry, input({ handler: "lingering", timeoutMs: 20 }, new AbortController().signal, { onProgress: (f) => seen.push(f) }));
    expect(end).toMatchObject({ kind: "failed", status: "TIMED_OUT" });
    await new Promise((r) => setTimeout(r, 120));
    expect(metrics).toEqual({ early: 1 });
    expect(seen).toEqual([]);
  });
});
