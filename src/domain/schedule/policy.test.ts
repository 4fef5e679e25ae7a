import { describe, expect, it } from "vitest";
import { failureSafety, MAX_CATCH_UP, misfireDecision, overlapDecision, underDailyCap } from "./policy.ts";

const now = new Date("2026-01-01T01:00:00Z");
const minutesAgo = (...ms: number[]) => ms.map((m) => new Date(now.getTime() - m * 60_000));

describe("misfire decision", () => {
  const missed = minutesAgo(5, 4, 3, 2, 1);
  it("on time: every due time fires, whatever the policy", () => {
    for (const p of ["SKIP", "RUN_ONCE", "RUN_ALL"] as const) expect(misfireDecision(p, minutesAgo(0.1), now)).toEqual(minutesAgo(0.1));
  });
  it("behind by more than the grace: SKIP none, RUN_ONCE the latest, RUN_ALL all", () => {
    expect(misfireDecision("SKIP", missed, now)).toEqual([]);
    expect(misfireDecision("RUN_ONCE", missed, now)).toEqual(minutesAgo(1));
    expect(misfireDecision("RUN_ALL", missed, now)).toEqual(missed);
    expect(misfireDecision("RUN_ALL", [], now)).toEqual([]);
  });
  it("RUN_ALL is bounded", () => {
    const many = Array.from({ length: 250 }, (_, i) => new Date(now.getTime() - (250 - i) * 1000));
    expect(misfireDecision("RUN_ALL", many, now)).toEqual(many.slice(-MAX_CATCH_UP));
  });
  it("the grace is configurable", () => {
    expect(misfireDecision("SKIP", minutesAgo(5), now, 10 * 60_000)).toEqual(minutesAgo(5));
  });
});

describe("overlap decision", () => {
  it("nothing running: start, whatever the policy", () => {
    for (const p of ["ALLOW", "SKIP", "QUEUE", "CANCEL_PREVIOUS"] as const) expect(overlapDecision(p, null)).toEqual({ action: "START" });
  });
  it("a previous execution still runs", () => {
    expect(overlapDecision("ALLOW", "e1")).toEqual({ action: "START" });
    expect(overlapDecision("SKIP", "e1")).toEqual({ action: "SKIP", previous: "e1" });
    expect(overlapDecision("QUEUE", "e1")).toEqual({ action: "QUEUE", after: "e1" });
    expect(overlapDecision("CANCEL_PREVIOUS", "e1")).toEqual({ action: "CANCEL_PREVIOUS", previous: "e1" });
  });
});

describe("safety limits", () => {
  it("daily cap", () => {
    expect(underDailyCap(null, 1000)).toBe(true);
    expect(underDailyCap(3, 2)).toBe(true);
    expect(underDailyCap(3, 3)).toBe(false);
  });
  it("consecutive failures: disable at the maximum, saying why", () => {
    expect(failureSafety(4, 5)).toBeNull();
    expect(failureSafety(5, 5)).toMatch(/disabled after 5 consecutive failed executions/);
  });
});
