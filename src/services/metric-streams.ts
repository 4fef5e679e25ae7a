import type { ExecutionStats } from "../domain/progress.ts";
import type { ExecutionStatus } from "../domain/status.ts";
import { executionDurationMs, runEndSamples, systemSamples, type SystemFacts } from "../domain/metrics/streams.ts";
import type { ClaimedRun } from "../store/claim.ts";
import type { Services } from "./context.ts";
import { reportMetrics } from "./metrics.ts";

// The built-in metric streams (README "Metric streams"): per-run samples once a run's end is committed,
// and a tick (one worker at a time) for execution_duration_ms of running executions, the system
// metrics and the retention bound. Everything goes through reportMetrics, so triggers and alerts see it.

/** pg_try_advisory_xact_lock key of the metric tick: one worker ticks at a time. */
const TICK_LOCK = 72707371;

/**
 * One reportMetrics call for a run that just ended: the built-in per-run samples (when this worker
 * recorded the end: `ended`) and the handler's ctx.metric values (always, as reportRunMetrics did).
 */
export async function reportRunEnd(services: Services, run: Pick<ClaimedRun, "id" | "executionId" | "key" | "attempt" | "attemptBase">, custom: Record<string, number>, ended: boolean): Promise<void> {
  const now = services.clock();
  const [row] = ended
    ? await services.db.sql.query<{ readyAt: Date | null; startedAt: Date | null; finishedAt: Date | null; status: ExecutionStatus; stats: ExecutionStats | null; execStartedAt: Date | null; completedAt: Date | null }>(
        `SELECT t."readyAt", a."startedAt", a."finishedAt", e.status, e.stats, e."startedAt" AS "execStartedAt", e."completedAt"
           FROM "TaskRun" t JOIN "Execution" e ON e.id = t."executionId" LEFT JOIN "TaskAttempt" a ON a."taskRunId" = t.id AND a.attempt = $2
          WHERE t.id = $1`,
        [run.id, run.attempt],
      )
    : [];
  const samples = row
    ? runEndSamples({
        task: run.key,
        attempt: run.attempt,
        attemptBase: run.attemptBase,
        readyAt: row.readyAt,
        startedAt: row.startedAt,
        finishedAt: row.finishedAt,
        execution: { status: row.status, stats: row.stats, startedAt: row.execStartedAt, completedAt: row.completedAt },
        custom,
        now,
      })
    : runEndSamples({ task: run.key, attempt: run.attempt, attemptBase: run.attemptBase, readyAt: null, startedAt: null, finishedAt: null, execution: { status: "RUNNING", stats: null, startedAt: null, completedAt: null }, custom, now });
  if (samples.length) await reportMetrics(services, samples, run.executionId);
}

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

export interface TickResult {
  executions: number;
  pruned: number;
}

/**
 * One metric tick, if this worker is the leader (advisory lock) and no other worker ticked within the
 * last ~tickMs: execution_duration_ms of (up to `batch`) RUNNING executions, the system metrics, and a
 * bounded delete of samples past the retention. Null when it was not this worker's turn.
 */
export async function metricTick(services: Services, opts: TickOptions): Promise<TickResult | null> {
  const { now } = opts;
  const read = await services.db.sql.tx(async (c) => {
    const [lock] = await c.query<{ leader: boolean }>(`SELECT pg_try_advisory_xact_lock(${TICK_LOCK}) AS leader`);
    if (!lock?.leader) return null;
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
  if (!read) return null;
  // The system samples first: they mark this tick for the other workers' check above.
  await reportMetrics(services, systemSamples(read.system, now));
  for (const e of read.running)
    await reportMetrics(services, [{ metric: "execution_duration_ms", value: executionDurationMs(e.startedAt, now), timestamp: now }], e.id);
  return { executions: read.running.length, pruned: read.pruned };
}

/** The worker's side of the tick: at most one in flight, off the claim path; prunes at most every pruneEveryMs. */
export class MetricTicker {
  private lastTick = 0;
  private lastPrune = 0;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly services: Services,
    private readonly opts: { tickMs: number; retentionMs: number; aliveMs: number; pruneEveryMs?: number },
  ) {}

  /** Starts a tick when one is due and none is running; never throws, never waits for it. */
  maybeTick(): void {
    const now = this.services.clock();
    if (this.inFlight || now.getTime() - this.lastTick < this.opts.tickMs) return;
    this.lastTick = now.getTime();
    const prune = now.getTime() - this.lastPrune >= (this.opts.pruneEveryMs ?? 60_000);
    this.inFlight = metricTick(this.services, { now, tickMs: this.opts.tickMs, retentionMs: this.opts.retentionMs, aliveMs: this.opts.aliveMs, prune })
      .then((r) => {
        if (r && prune) this.lastPrune = now.getTime();
      })
      .catch((err: Error) => this.services.log.warn({ err: err.message }, "metric tick failed"))
      .finally(() => (this.inFlight = null));
  }

  /** Resolves once no tick is running (before the worker stops). */
  async idle(): Promise<void> {
    await this.inFlight;
  }
}
