// Pure computations behind engineStats, plan { stats health } and /metrics: the store returns raw
// grouped counts and duration sums; rates, averages and window bounds are decided here.

/** Statistics windows are clamped to this range (ms). */
export const MIN_STATS_WINDOW_MS = 1_000;
export const MAX_STATS_WINDOW_MS = 7 * 24 * 3_600_000;
export const DEFAULT_STATS_WINDOW_MS = 15 * 60_000;

export const ACTIVE_EXECUTION_STATUSES = ["SCHEDULED", "PENDING", "RUNNING", "PAUSED"] as const;
export const FINISHED_EXECUTION_STATUSES = ["COMPLETED", "FAILED", "CANCELLED"] as const;
/** Task run statuses that count as an outcome for per-task statistics. */
export const FINISHED_TASK_STATUSES = ["COMPLETED", "FAILED", "TIMED_OUT"] as const;

/** The window in ms: the default when absent, clamped to [MIN, MAX], rounded down to whole ms. */
export function boundWindow(windowMs: number | null | undefined): number {
  if (windowMs === null || windowMs === undefined || !Number.isFinite(windowMs)) return DEFAULT_STATS_WINDOW_MS;
  return Math.min(MAX_STATS_WINDOW_MS, Math.max(MIN_STATS_WINDOW_MS, Math.floor(windowMs)));
}

/** successes / (successes + failures); null when there is neither. */
export function health(successes: number, failures: number): number | null {
  const total = successes + failures;
  return total > 0 ? successes / total : null;
}

/** sum / count; null when count is 0. */
export function average(sum: number, count: number): number | null {
  return count > 0 ? sum / count : null;
}

/** Events per minute over a window of windowMs. */
export function perMinute(count: number, windowMs: number): number {
  return windowMs > 0 ? (count * 60_000) / windowMs : 0;
}

/** One row of the grouped execution query: executions of one status, with their summed durations. */
export interface StatusGroup {
  status: string;
  count: number;
  /** sum and count of (completedAt − startedAt) over those that have both */
  durationSumMs: number;
  durationCount: number;
}

export interface ExecutionAggregate {
  byStatus: { status: string; count: number }[];
  successes: number;
  failures: number;
  cancelled: number;
  /** COMPLETED + FAILED + CANCELLED */
  finished: number;
  successRate: number | null;
  avgDurationMs: number | null;
}

/**
 * Folds status groups into counts, success rate (COMPLETED over COMPLETED + FAILED; cancellations are
 * neither) and the average duration of finished executions. byStatus is sorted by status name.
 */
export function aggregateExecutions(groups: StatusGroup[]): ExecutionAggregate {
  const count = (s: string) => groups.filter((g) => g.status === s).reduce((n, g) => n + g.count, 0);
  const finishedGroups = groups.filter((g) => (FINISHED_EXECUTION_STATUSES as readonly string[]).includes(g.status));
  const successes = count("COMPLETED");
  const failures = count("FAILED");
  const cancelled = count("CANCELLED");
  const merged = new Map<string, number>();
  for (const g of groups) merged.set(g.status, (merged.get(g.status) ?? 0) + g.count);
  return {
    byStatus: [...merged].map(([status, n]) => ({ status, count: n })).sort((a, b) => a.status.localeCompare(b.status)),
    successes,
    failures,
    cancelled,
    finished: successes + failures + cancelled,
    successRate: health(successes, failures),
    avgDurationMs: average(
      finishedGroups.reduce((s, g) => s + g.durationSumMs, 0),
      finishedGroups.reduce((s, g) => s + g.durationCount, 0),
    ),
  };
}

/** One row of the grouped task query: runs of one task key in one status. */
export interface TaskGroup {
  key: string;
  status: string;
  count: number;
  durationSumMs: number;
  durationCount: number;
}

export interface TaskStats {
  key: string;
  runs: number;
  successes: number;
  failures: number;
  successRate: number | null;
  avgDurationMs: number | null;
}

/** Per task key: finished runs, success rate (COMPLETED over COMPLETED + FAILED + TIMED_OUT), average duration. Sorted by key. */
export function aggregateTasks(groups: TaskGroup[]): TaskStats[] {
  const byKey = new Map<string, { runs: number; successes: number; sum: number; n: number }>();
  for (const g of groups) {
    if (!(FINISHED_TASK_STATUSES as readonly string[]).includes(g.status)) continue;
    const s = byKey.get(g.key) ?? { runs: 0, successes: 0, sum: 0, n: 0 };
    s.runs += g.count;
    if (g.status === "COMPLETED") s.successes += g.count;
    s.sum += g.durationSumMs;
    s.n += g.durationCount;
    byKey.set(g.key, s);
  }
  return [...byKey]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, s]) => ({
      key,
      runs: s.runs,
      successes: s.successes,
      failures: s.runs - s.successes,
      successRate: health(s.successes, s.runs - s.successes),
      avgDurationMs: average(s.sum, s.n),
    }));
}
