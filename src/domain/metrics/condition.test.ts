import { describe, expect, it } from "vitest";
import { evaluateCondition, initialConditionState, satisfies, type Condition, type ConditionState } from "./condition.ts";

const t0 = Date.parse("2026-01-01T00:00:00Z");

/** Feeds [offsetMs, value] samples; returns the offsets that fired and the final state. */
function run(condition: Partial<Condition>, samples: [number, number][], from: ConditionState = initialConditionState()) {
  const c: Condition = { operator: "GT", threshold: 1.1, durationMs: 0, cooldownMs: 0, ...condition };
  let state = from;
  const fired: number[] = [];
  for (const [offset, value] of samples) {
    const step = evaluateCondition(c, state, { value, timestamp: new Date(t0 + offset) });
    state = step.state;
    if (step.fire) fired.push(offset);
  }
  return { fired, state };
}

describe("evaluateCondition", () => {
  it("fires once per crossing and re-arms when the condition stops holding", () => {
    expect(run({}, [[0, 1.0], [1, 1.2], [2, 1.3], [3, 1.0], [4, 1.15], [5, 1.5]]).fired).toEqual([1, 4]);
  });

  it("fires on the first sample when the condition already holds", () => {
    expect(run({}, [[0, 2], [1, 2]]).fired).toEqual([0]);
  });

  it("waits until the condition has held for durationMs, restarting when it breaks", () => {
    const { fired } = run({ durationMs: 100 }, [[0, 2], [50, 2], [60, 1], [70, 2], [160, 2], [169, 2], [170, 2], [300, 2]]);
    expect(fired).toEqual([170]);
  });

  it("does not fire within cooldownMs of the last firing, and fires later if still armed and holding", () => {
    const { fired } = run({ cooldownMs: 1000 }, [[0, 2], [10, 1], [20, 2], [30, 1], [1000, 1], [1010, 2], [1500, 2]]);
    expect(fired).toEqual([0, 1010]);
    // a crossing inside the cooldown stays armed and fires once the cooldown ends while it still holds
    expect(run({ cooldownMs: 1000 }, [[0, 2], [10, 1], [20, 2], [999, 2], [1000, 2], [1001, 2]]).fired).toEqual([0, 1000]);
  });

  it("ignores samples older than the newest one seen", () => {
    const { fired, state } = run({}, [[100, 1], [50, 2], [101, 2], [60, 1], [102, 2]]);
    expect(fired).toEqual([101]);
    expect(state.lastSampleAt?.getTime()).toBe(t0 + 102);
    expect(state.armed).toBe(false);
  });

  it("compares with each operator", () => {
    expect([1, 2, 3].map((v) => satisfies("GT", v, 2))).toEqual([false, false, true]);
    expect([1, 2, 3].map((v) => satisfies("GTE", v, 2))).toEqual([false, true, true]);
    expect([1, 2, 3].map((v) => satisfies("LT", v, 2))).toEqual([true, false, false]);
    expect([1, 2, 3].map((v) => satisfies("LTE", v, 2))).toEqual([true, true, false]);
    expect([1, 2, 3].map((v) => satisfies("EQ", v, 2))).toEqual([false, true, false]);
  });

  it("continues from a stored state (disarmed, holding)", () => {
    const stored: ConditionState = { holdingSince: new Date(t0), armed: false, lastFiredAt: new Date(t0), lastSampleAt: new Date(t0) };
    expect(run({}, [[10, 2], [20, 1], [30, 2]], stored).fired).toEqual([30]);
  });
});
