import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ClaimedRun } from "./claim.ts";
import { builtinHandlers } from "./handlers/builtins.ts";
import { defineHandler, type Handler } from "./handlers/define.ts";
import { HandlerRegistry } from "./handlers/registry.ts";
import { MAX_MESSAGES_PER_RUN, MAX_OUTPUT_BYTES, runHandler, RunInterrupted } from "./runner.ts";

// Never settles and ignores its signal: the runner must abandon it at the deadline.
const stuck = defineHandler("stuck", { input: z.unknown(), run: () => new Promise(() => {}) });
const chatty = defineHandler("chatty", {
  input: z.object({ count: z.number() }),
  async run({ count }, ctx) {
    for (let i = 0; i < count; i++) ctx.log("INFO", `line ${i}`, i === 0 ? { first: true } : undefined);
    ctx.log("ERROR", "y".repeat(5000));
    return { attempt: ctx.attempt, params: ctx.params, deps: ctx.dependencies, task: ctx.task };
  },
});
const registry = new HandlerRegistry([...builtinHandlers, stuck, chatty] as Handler<never>[]);

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
  ...over,
});
const go = (over: Partial<ClaimedRun>, interrupt = new AbortController().signal) =>
  runHandler(registry, { run: claimed(over), params: { p: 1 }, dependencies: { up: { v: 2 } }, interrupt });

describe("runHandler", () => {
  it("completes with the handler's output", async () => {
    await expect(go({ handler: "noop", input: { a: 1 } })).resolves.toEqual({ kind: "completed", output: { echo: { a: 1 } }, messages: [] });
  });

  it("passes attempt, params, dependencies and task to the handler", async () => {
    const end = await go({ handler: "chatty", input: { count: 0 }, attempt: 3 });
    expect(end).toMatchObject({ kind: "completed", output: { attempt: 3, params: { p: 1 }, deps: { up: { v: 2 } }, task: { key: "step", name: "Step" } } });
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

  it("fails with HANDLER_ERROR on input its handler rejects, UNKNOWN_HANDLER on a missing handler", async () => {
    await expect(go({ handler: "sleep", input: { ms: "x" } })).resolves.toMatchObject({ kind: "failed", status: "FAILED", error: { code: "HANDLER_ERROR" } });
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
});
