import type { SystemFacts } from "../domain/metrics/streams.ts";
import type { Sql } from "../infra/sql.ts";
import { tryXactLock } from "./advisory.ts";

// The reads (and the bounded prune) of the metric tick (services/metric-streams.ts), in one transaction.

/** pg_try_advisory_xact_lock key of the metric tick: one worker ticks at a time. */
const TICK_LOCK = 72707371;

export interface TickOptions {
  now: Date;
  /** Skip when another worker ticked less than ~this long ago. */
  tickMs: number;
  /** Samples older than this are deleted (when `prune`). */
  retentionMs: number;
  /** A worker counts while its last heartbeat is younger than this. */
  aliveMs: number;
  prune: boolean;
  /** Running executions sampled per tick (oldest first). */
  batch?: number;
  /** Old samples deleted per tick at most. */
  pruneLimit?: number;
}

export interface TickReadings {
  running: { id: string; startedAt: Date }[];
  system: SystemFacts;
  pruned: number;
}

/**
 * If this worker is the leader (advisory lock) and no other worker ticked within the last ~tickMs: up to
 * `batch` RUNNING executions (oldest first), the system facts, and a bounded delete of samples past the
 * retention. Null when it is not this worker's turn.
 */
export function readTick(sql: Sql, opts: TickOptions): Promise<TickReadings | null> {
  const { now } = opts;
  return sql.tx(async (c) => {
    if (!(await tryXactLock(c, TICK_LOCK))) return null;
    const [last] = await c.query<{ at: Date | null }>(`SELECT max(timestamp) AS at FROM "MetricSample" WHERE metric = 'running_executions'`);
    if (last?.at && last.at.getTime() > now.getTime() - opts.tickMs * 0.8) return null;
    const running = await c.query<{ id: string; startedAt: Date }>(
      `SELECT id, "startedAt" FROM "Execution" WHERE status = 'RUNNING' AND "startedAt" IS NOT NULL ORDER BY "startedAt" LIMIT $1`,
      [opts.batch ?? 200],
    );
    const [system] = await c.query<SystemFacts>(
      `SELECT (SELECT count(*) FROM "TaskRun" WHERE status = 'READY' OR (status = 'RETRYING' AND "nextAttemptAt" <= $1))::int AS "queueDepth",
              (SELECT count(*) FROM "Execution" WHERE status = 'RUNNING')::int AS "runningExecutions",
              (SELECT count(*) FROM "TaskRun" WHERE status = 'RUNNING')::int AS "runningTasks",
              (SELECT count(*) FROM "Worker" WHERE "stoppedAt" IS NULL AND "lastHeartbeatAt" > $2)::int AS workers,
              (SELECT count(*) FROM "TaskAttempt" WHERE "finishedAt" > $3)::int AS "finishedLastMinute"`,
      [now, new Date(now.getTime() - opts.aliveMs), new Date(now.getTime() - 60_000)],
    );
    const [pruned] = opts.prune
      ? await c.query<{ n: number }>(
          `WITH gone AS (DELETE FROM "MetricSample" WHERE id IN (SELECT id FROM "MetricSample" WHERE timestamp < $1 LIMIT $2) RETURNING 1) SELECT count(*)::int AS n FROM gone`,
          [new Date(now.getTime() - opts.retentionMs), opts.pruneLimit ?? 5000],
        )
      : [];
    return { running, system: system!, pruned: pruned?.n ?? 0 };
  });
}
