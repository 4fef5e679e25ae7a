import { describe, expect, it } from "vitest";
import { aggregateExecutions, aggregateTasks, average, boundWindow, DEFAULT_STATS_WINDOW_MS, health, MAX_STATS_WINDOW_MS, MIN_STATS_WINDOW_MS, perMinute } from "./stats.ts";

describe("health and rates", () => {
  it("health is successes over outcomes, null without any", () => {
    expect(health(3, 2)).toBe(0.6);
    expect(health(0, 4)).toBe(0);
    expect(health(0, 0)).toBeNull();
  });
  it("average is null over nothing", () => {
    expect(average(300, 3)).toBe(100);
    expect(average(0, 0)).toBeNull();
  });
  it("perMinute scales a count to the window", () => {
    expect(perMinute(30, 15 * 60_000)).toBe(2);
    expect(perMinute(5, 30_000)).toBe(10);
    expect(perMinute(5, 0)).toBe(0);
  });
  it("boundWindow defaults and clamps", () => {
    expect(boundWindow(undefined)).toBe(DEFAULT_STATS_WINDOW_MS);
    expect(boundWindow(null)).toBe(DEFAULT_STATS_WINDOW_MS);
    expect(boundWindow(Number.NaN)).toBe(DEFAULT_STATS_WINDOW_MS);
    expect(boundWindow(5)).toBe(MIN_STATS_WINDOW_MS);
    expect(boundWindow(1e15)).toBe(MAX_STATS_WINDOW_MS);
    expect(boundWindow(60_000.7)).toBe(60_000);
  });
});

describe("aggregateExecutions", () => {
  it("counts, success rate without cancellations, duration averaged over finished executions only", () => {
    const a = aggregateExecutions([
      { status: "COMPLETED", count: 3, durationSumMs: 300, durationCount: 3 },
      { status: "FAILED", count: 2, durationSumMs: 500, durationCount: 2 },
      { status: "CANCELLED", count: 1, durationSumMs: 0, durationCount: 0 },
      { status: "RUNNING", count: 4, durationSumMs: 999, durationCount: 1 },
      { status: "PENDING", count: 2, durationSumMs: 0, durationCount: 0 },
    ]);
    expect(a.byStatus).toEqual([
      { status: "CANCELLED", count: 1 },
      { status: "COMPLETED", count: 3 },
      { status: "FAILED", count: 2 },
      { status: "PENDING", count: 2 },
      { status: "RUNNING", count: 4 },
    ]);
    expect(a).toMatchObject({ successes: 3, failures: 2, cancelled: 1, finished: 6, successRate: 0.6, avgDurationMs: 160 });
  });
  it("nothing finished: null rate and duration", () => {
    expect(aggregateExecutions([{ status: "PENDING", count: 1, durationSumMs: 0, durationCount: 0 }])).toMatchObject({ finished: 0, successRate: null, avgDurationMs: null });
    expect(aggregateExecutions([])).toMatchObject({ byStatus: [], successRate: null });
  });
});

describe("aggregateTasks", () => {
  it("per key: finished runs, success rate counting timeouts as failures, average duration; unfinished statuses ignored", () => {
    expect(
      aggregateTasks([
        { key: "work", status: "COMPLETED", count: 3, durationSumMs: 30, durationCount: 3 },
        { key: "work", status: "FAILED", count: 1, durationSumMs: 10, durationCount: 1 },
        { key: "work", status: "TIMED_OUT", count: 1, durationSumMs: 60, durationCount: 1 },
        { key: "prep", status: "COMPLETED", count: 5, durationSumMs: 50, durationCount: 5 },
        { key: "prep", status: "RUNNING", count: 2, durationSumMs: 0, durationCount: 0 },
        { key: "late", status: "SKIPPED", count: 2, durationSumMs: 0, durationCount: 0 },
      ]),
    ).toEqual([
      { key: "prep", runs: 5, successes: 5, failures: 0, successRate: 1, avgDurationMs: 10 },
      { key: "work", runs: 5, successes: 3, failures: 2, successRate: 0.6, avgDurationMs: 20 },
    ]);
  });
});
