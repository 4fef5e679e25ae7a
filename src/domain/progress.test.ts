import { describe, expect, it } from "vitest";
import { computeMetrics, computeProgress, initialStats, type ExecutionStats } from "./progress.ts";

const START = "2024-01-01T00:00:00.000Z";
const NOW = new Date("2024-01-01T00:01:00.000Z"); // 60 s after START
const stats = (over: Partial<ExecutionStats>): ExecutionStats => ({ ...initialStats(10), waiting: 0, ...over });

describe("computeProgress", () => {
  it("counts every finished task towards the percentage and extrapolates the ETA", () => {
    // 4 of 10 finished in 60 s → 15 s per task → 6 remaining take 90 s.
    const s = stats({ completed: 3, failed: 1, running: 2, waiting: 4, startedAt: START });
    expect(computeProgress(s, "RUNNING", NOW)).toEqual({
      percentage: 40,
      completedTasks: 3,
      totalTasks: 10,
      estimatedTimeRemaining: 90_000,
      currentPhase: "running 2 of 6 remaining tasks",
    });
  });

  it("rounds the percentage to one decimal and the ETA to whole ms", () => {
    // 1 of 3 in 60 s → 2 remaining take 120 s; 7 finished of 9 in 60 s → 2 × 60000/7 = 17142.857…
    expect(computeProgress(stats({ total: 3, completed: 1, startedAt: START }), "RUNNING", NOW)).toMatchObject({ percentage: 33.3, estimatedTimeRemaining: 120_000 });
    expect(computeProgress(stats({ total: 9, completed: 5, skipped: 2, startedAt: START }), "RUNNING", NOW)).toMatchObject({ percentage: 77.8, estimatedTimeRemaining: 17_143 });
  });

  it("reports ETA 0 once the execution is terminal, whatever the counters say", () => {
    for (const status of ["COMPLETED", "FAILED", "CANCELLED"] as const) {
      const p = computeProgress(stats({ completed: 2, cancelled: 3, startedAt: START, endedAt: START }), status, NOW);
      expect(p.estimatedTimeRemaining).toBe(0);
      expect(p.currentPhase).toBe(status.toLowerCase());
    }
  });

  it("has no ETA before anything started or finished", () => {
    expect(computeProgress(initialStats(5), "PENDING", NOW)).toEqual({
      percentage: 0,
      completedTasks: 0,
      totalTasks: 5,
      estimatedTimeRemaining: null,
      currentPhase: "queued, waiting for a worker",
    });
    expect(computeProgress(stats({ running: 1, startedAt: START }), "RUNNING", NOW).estimatedTimeRemaining).toBeNull();
  });

  it("names the phase while nothing runs", () => {
    expect(computeProgress(stats({ completed: 1, ready: 1, startedAt: START }), "RUNNING", NOW).currentPhase).toBe("waiting for a worker");
    expect(computeProgress(stats({ completed: 1, startedAt: START }), "PAUSED", NOW).currentPhase).toBe("paused");
    expect(computeProgress(stats({}), "SCHEDULED", NOW).currentPhase).toBe("scheduled");
  });

  it("reports 0% for an empty execution", () => {
    expect(computeProgress(initialStats(0), "COMPLETED", NOW).percentage).toBe(0);
  });
});

describe("computeMetrics", () => {
  it("computes rates over completed/failed/timed-out and throughput over all finished tasks", () => {
    const s = stats({ completed: 2, failed: 1, timedOut: 1, skipped: 1, cancelled: 1, busyMs: 12_345, startedAt: START });
    expect(computeMetrics(s, NOW)).toEqual({
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
    expect(computeMetrics(initialStats(3), NOW)).toEqual({ totalDuration: null, effectiveDuration: 0, successRate: null, errorRate: null, throughput: null });
    // Started this instant, only skips: duration 0, no throughput, no rates.
    expect(computeMetrics(stats({ skipped: 2, startedAt: NOW.toISOString() }), NOW)).toEqual({
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
