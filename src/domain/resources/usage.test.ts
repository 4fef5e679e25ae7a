import { describe, expect, it } from "vitest";
import { allocationCost, allocationEfficiency, amountUsed, totalUsage } from "./usage.ts";

const t0 = new Date("2026-01-01T00:00:00Z");
const at = (s: number) => new Date(t0.getTime() + s * 1000);

describe("resource usage", () => {
  const gpu = { amount: 2, amountUsed: 1.5, costPerUnitSecond: 0.01, allocatedAt: t0, releasedAt: at(30) };
  it("costs amount × price × seconds held", () => {
    expect(allocationCost(gpu, at(99))).toBeCloseTo(0.6); // 2 × 0.01 × 30 s; now does not matter once released
    expect(allocationCost({ ...gpu, releasedAt: null }, at(10))).toBeCloseTo(0.2); // still held: accrues to now
  });
  it("rates efficiency as used ÷ allocated, the whole amount when unreported, clamped", () => {
    expect(allocationEfficiency(gpu)).toBe(0.75);
    expect(allocationEfficiency({ amount: 2, amountUsed: null })).toBe(1);
    expect(amountUsed({ amount: 2, amountUsed: 5 })).toBe(2);
    expect(amountUsed({ amount: 2, amountUsed: -1 })).toBe(0);
  });
  it("sums cost and time-weighted use", () => {
    const cpu = { amount: 4, amountUsed: null, costPerUnitSecond: 0.001, allocatedAt: at(10), releasedAt: null };
    const totals = totalUsage([gpu, cpu], at(20));
    expect(totals.cost).toBeCloseTo(0.6 + 4 * 0.001 * 10);
    expect(totals.unitMs).toBe(2 * 30_000 + 4 * 10_000);
    expect(totals.usedUnitMs).toBe(1.5 * 30_000 + 4 * 10_000);
    expect(totalUsage([], at(20))).toEqual({ cost: 0, unitMs: 0, usedUnitMs: 0 });
  });
});
