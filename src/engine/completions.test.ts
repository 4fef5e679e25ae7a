import { describe, expect, it } from "vitest";
import { CompletionBatcher } from "./completions.ts";
import type { Completion } from "../store/finish.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";

// The batcher alone, with a recorder in memory: what it batches, what it keeps apart, what one bad end costs.

const completion = (id: string, executionId: string): Completion => ({ run: { id, executionId } as Completion["run"], output: null, messages: [], metrics: {} });
const update = (executionId: string, seq: number) => ({ event: { executionId, seq } }) as unknown as ExecutionUpdate;

function recorder(opts: { fail?: (batch: Completion[]) => boolean } = {}) {
  const batches: string[][] = [];
  const published: string[] = [];
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const hold = () => (gate = new Promise((r) => (release = r)));
  const batcher = new CompletionBatcher({
    record: async (batch) => {
      batches.push(batch.map((c) => c.run.id));
      await gate;
      if (opts.fail?.(batch)) throw new Error("unstorable");
      return { updates: batch.map((c, i) => update(c.run.executionId, i)), claimed: { runs: [], updates: [] } };
    },
    publish: async (updates) => void published.push(...updates.map((u) => `${u.event.executionId}:${u.event.seq}`)),
    launch: () => {},
  });
  return { batcher, batches, published, hold, release: () => release() };
}

describe("CompletionBatcher", () => {
  it("keeps an execution in one batch at a time, and each end hears its own execution's updates", async () => {
    const r = recorder();
    r.hold();
    const a = r.batcher.add(completion("a", "x"));
    const b = r.batcher.add(completion("b", "x")); // same execution: waits for a's batch
    const c = r.batcher.add(completion("c", "z"));
    expect(r.batches).toEqual([["a"], ["c"]]);
    r.release();
    expect((await a).map((u) => u.event.executionId)).toEqual(["x"]);
    expect((await c).map((u) => u.event.executionId)).toEqual(["z"]);
    await b;
    expect(r.batches).toEqual([["a"], ["c"], ["b"]]);
  });

  it("retries a failed batch end by end: only the end that cannot be recorded fails", async () => {
    const r = recorder({ fail: (batch) => batch.some((c) => c.run.id === "bad") });
    r.hold();
    const first = ["a1", "a2", "a3", "a4"].map((id) => r.batcher.add(completion(id, id))); // four in flight
    const batch = ["b", "bad", "c"].map((id, i) => r.batcher.add(completion(id, `e${i}`)));
    r.release();
    await Promise.all(first);
    const outcomes = await Promise.allSettled(batch);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(r.batches.slice(4)).toEqual([["b", "bad", "c"], ["b"], ["bad"], ["c"]]);
  });

  it("a lone end that cannot be recorded fails once, not twice", async () => {
    const r = recorder({ fail: () => true });
    await expect(r.batcher.add(completion("bad", "x"))).rejects.toThrow("unstorable");
    expect(r.batches).toEqual([["bad"]]);
  });

  it("records an end at once while fewer than four batches are in flight; the ends that arrive meanwhile go together", async () => {
    const r = recorder();
    r.hold();
    const ends = Array.from({ length: 10 }, (_, i) => r.batcher.add(completion(`r${i}`, `e${i}`)));
    // Each add found a free slot until four were in flight; the six after them wait for one to end.
    expect(r.batches).toEqual([["r0"], ["r1"], ["r2"], ["r3"]]);
    r.release();
    await Promise.all(ends);
    expect(r.batches.slice(4)).toEqual([["r4", "r5", "r6", "r7", "r8", "r9"]]);
  });
});
