import DataLoader from "dataloader";
import { aggregateExecutions, aggregateTasks, average, boundWindow, health, perMinute, type TaskStats } from "../domain/stats.ts";
import { aliveWorkers, executionStatusGroups, planStatusGroups, planTaskGroups, queueCounts, queueWait } from "../store/stats.ts";
import type { Services } from "./context.ts";

/** A worker counts as alive while its heartbeat is younger than this many leases (as the `workers` query). */
export const STATS_ALIVE_LEASES = 3;

export interface EngineStats {
  windowMs: number;
  executionsByStatus: { status: string; count: number }[];
  successRate: number | null;
  throughputPerMinute: number;
  queueDepth: number;
  runningTasks: number;
  avgWaitMs: number | null;
  avgDurationMs: number | null;
  workers: number;
}

/** Engine-wide statistics over the last windowMs (bounded): five aggregate statements, run together. */
export async function engineStats(services: Services, opts: { windowMs?: number | null; leaseMs: number }): Promise<EngineStats> {
  const windowMs = boundWindow(opts.windowMs);
  const now = services.clock();
  const since = new Date(now.getTime() - windowMs);
  const sql = services.db.sql;
  const [groups, queue, wait, workers] = await Promise.all([
    executionStatusGroups(sql, since),
    queueCounts(sql, now),
    queueWait(sql, since),
    aliveWorkers(sql, new Date(now.getTime() - STATS_ALIVE_LEASES * opts.leaseMs)),
  ]);
  const executions = aggregateExecutions(groups);
  return {
    windowMs,
    executionsByStatus: executions.byStatus,
    successRate: executions.successRate,
    throughputPerMinute: perMinute(executions.finished, windowMs),
    queueDepth: queue.queueDepth,
    runningTasks: queue.running,
    avgWaitMs: average(wait.sumMs, wait.count),
    avgDurationMs: executions.avgDurationMs,
    workers,
  };
}

/** The cheap part of engineStats for /metrics scrapes: no queue-wait scan. */
export async function engineGauges(services: Services, opts: { windowMs: number; leaseMs: number }) {
  const now = services.clock();
  const sql = services.db.sql;
  const [groups, queue, workers] = await Promise.all([
    executionStatusGroups(sql, new Date(now.getTime() - opts.windowMs)),
    queueCounts(sql, now),
    aliveWorkers(sql, new Date(now.getTime() - STATS_ALIVE_LEASES * opts.leaseMs)),
  ]);
  return { executionsByStatus: aggregateExecutions(groups).byStatus, queueDepth: queue.queueDepth, runningTasks: queue.running, workers };
}

export interface PlanStats {
  windowMs: number;
  /** executions of the plan that finished (COMPLETED, FAILED, CANCELLED) within the window */
  executions: number;
  successes: number;
  failures: number;
  cancelled: number;
  successRate: number | null;
  avgDurationMs: number | null;
  tasks: TaskStats[];
}

export type PlanStatsLoader = DataLoader<{ planId: string; windowMs: number }, PlanStats, string>;

/**
 * Batches plan { stats health } of every plan in one request: per distinct window, two grouped
 * statements for all the plans asked about (`plans { stats }` is not N+1).
 */
export function createPlanStatsLoader(services: Services): PlanStatsLoader {
  return new DataLoader(
    async (keys) => {
      const now = services.clock().getTime();
      const byWindow = new Map<number, string[]>();
      for (const k of keys) byWindow.set(k.windowMs, [...(byWindow.get(k.windowMs) ?? []), k.planId]);
      const results = new Map<string, PlanStats>();
      await Promise.all(
        [...byWindow].map(async ([windowMs, ids]) => {
          const planIds = [...new Set(ids)];
          const since = new Date(now - windowMs);
          const [statuses, tasks] = await Promise.all([planStatusGroups(services.db.sql, planIds, since), planTaskGroups(services.db.sql, planIds, since)]);
          for (const id of planIds) {
            const e = aggregateExecutions(statuses.get(id) ?? []);
            results.set(`${id}|${windowMs}`, {
              windowMs,
              executions: e.finished,
              successes: e.successes,
              failures: e.failures,
              cancelled: e.cancelled,
              successRate: e.successRate,
              avgDurationMs: e.avgDurationMs,
              tasks: aggregateTasks(tasks.get(id) ?? []),
            });
          }
        }),
      );
      return keys.map((k) => results.get(`${k.planId}|${k.windowMs}`)!);
    },
    { cacheKeyFn: (k) => `${k.planId}|${k.windowMs}` },
  );
}

const loaders = new WeakMap<object, PlanStatsLoader>();

/** The loader of one GraphQL request, keyed by its context object (created on first use). */
export function planStatsLoader(ctx: Services): PlanStatsLoader {
  let loader = loaders.get(ctx);
  if (!loader) loaders.set(ctx, (loader = createPlanStatsLoader(ctx)));
  return loader;
}

/** health = successes / (successes + failures) of the plan's executions finished within the window; null when none. */
export async function planHealth(ctx: Services, planId: string, windowMs?: number | null): Promise<number | null> {
  const s = await planStatsLoader(ctx).load({ planId, windowMs: boundWindow(windowMs) });
  return health(s.successes, s.failures);
}

export async function planStats(ctx: Services, planId: string, windowMs?: number | null): Promise<PlanStats> {
  return planStatsLoader(ctx).load({ planId, windowMs: boundWindow(windowMs) });
}
