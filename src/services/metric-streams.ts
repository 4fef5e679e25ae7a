import type { ExecutionStats } from "../domain/progress.ts";
import type { ExecutionStatus } from "../domain/status.ts";
import { executionDurationMs, runEndSamples, systemSamples } from "../domain/metrics/streams.ts";
import type { ClaimedRun } from "../store/claim.ts";
import type { MetricSampleInput } from "../domain/metrics/samples.ts";
import { insertSamples, runEndTimes, watchedMetrics, type SampleRow } from "../store/metric-samples.ts";
import { readTick, type TickOptions } from "../store/metric-tick.ts";
import type { Services } from "./context.ts";
import { reportMetrics } from "./metrics.ts";

// The built-in metric streams (README "Metric streams"): per-run samples once a run's end is committed
// (batched, RunEndMetrics), and a tick (one worker at a time) for execution_duration_ms of running
// executions, the system metrics and the retention bound. Samples of a metric that an alert rule or a
// METRIC trigger watches go through reportMetrics, so they see it; the others are only stored, many per INSERT.

/** One run's end, as the worker saw it once the end was committed. */
export interface EndedRun {
  run: Pick<ClaimedRun, "id" | "executionId" | "key" | "attempt" | "attemptBase">;
  /** What the handler recorded with ctx.metric. */
  custom: Record<string, number>;
  /**
   * The execution as this end left it (its last event's status and stats): read later, it may have moved
   * on. Null when the end was not this worker's to record: then only the ctx.metric values are reported.
   */
  execution: { status: ExecutionStatus; stats: ExecutionStats | null } | null;
  at: Date;
}

/** Flush every `everyMs` after a run end, or at once with `batch` run ends waiting; beyond `maxBuffered`, the oldest are dropped (and said so). */
export const RUN_END_FLUSH = { everyMs: 200, batch: 500, maxBuffered: 10_000 } as const;

/**
 * The built-in per-run samples (and ctx.metric values) of the worker's run ends, off the run's path:
 * buffered, then written in batches (storeSamples). The watched metrics are read at each flush: a rule or
 * trigger created before a flush sees its samples, so at most RUN_END_FLUSH.everyMs after the run's end.
 * A flush is three statements whatever its size, when nothing watches its metrics.
 */
export class RunEndMetrics {
  private buffer: EndedRun[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly services: Services,
    /** After a flush that evaluated triggers or alert rules (an alert may await delivery). */
    private readonly onEvaluated: () => void = () => undefined,
  ) {}

  add(end: EndedRun): void {
    if (this.buffer.length >= RUN_END_FLUSH.maxBuffered) {
      this.buffer.shift();
      this.dropped += 1;
    }
    this.buffer.push(end);
    if (this.buffer.length >= RUN_END_FLUSH.batch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), RUN_END_FLUSH.everyMs);
  }

  /** Writes what waits, one batch after the other; never throws (a batch that fails is logged and lost). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return (this.writing ??= this.drain().finally(() => (this.writing = null)));
  }

  /** Before the worker stops: everything buffered is written. */
  async close(): Promise<void> {
    while (this.buffer.length > 0 || this.writing) await this.flush();
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, RUN_END_FLUSH.batch);
      if (this.dropped > 0) this.services.log.warn({ dropped: this.dropped }, "run-end metric samples dropped: the database fell behind");
      this.dropped = 0;
      await this.write(batch).catch((err: Error) => this.services.log.error({ err: err.message, runs: batch.length }, "could not report the metrics of run ends"));
    }
  }

  private async write(batch: readonly EndedRun[]): Promise<void> {
    const times = await runEndTimes(this.services.db.sql, batch.filter((e) => e.execution).map((e) => e.run));
    const groups = batch.map(({ run, custom, execution, at }) => {
      const t = execution ? times.get(run.id) : undefined;
      const samples = runEndSamples({
        task: run.key,
        attempt: run.attempt,
        attemptBase: run.attemptBase,
        readyAt: t?.readyAt ?? null,
        startedAt: t?.startedAt ?? null,
        finishedAt: t?.finishedAt ?? null,
        execution: { status: execution?.status ?? "RUNNING", stats: execution?.stats ?? null, startedAt: t?.execStartedAt ?? null, completedAt: t?.completedAt ?? null },
        custom,
        now: at,
      });
      return { samples, executionId: run.executionId };
    });
    if (await storeSamples(this.services, groups)) this.onEvaluated();
  }
}

/**
 * Stores groups of samples (each of one execution, or of none): one INSERT for the samples of metrics that
 * no enabled alert rule or METRIC trigger watches; the watched go through reportMetrics (stored there,
 * evaluated), a call per group, in order, each on its own. Whether any was evaluated.
 */
async function storeSamples(services: Services, groups: readonly { samples: readonly MetricSampleInput[]; executionId: string | null }[]): Promise<boolean> {
  const watched = await watchedMetrics(services.db.sql);
  const stored: SampleRow[] = [];
  const evaluated: { samples: MetricSampleInput[]; executionId: string | null }[] = [];
  for (const { samples, executionId } of groups) {
    const watching = samples.filter((s) => watched.has(s.metric));
    if (watching.length) evaluated.push({ samples: watching, executionId });
    for (const s of samples)
      if (!watched.has(s.metric)) stored.push({ metric: s.metric, value: s.value, timestamp: s.timestamp ?? services.clock(), labels: (s.labels as Record<string, string> | undefined) ?? null, executionId });
  }
  await insertSamples(services.db.sql, stored);
  for (const { samples, executionId } of evaluated)
    await reportMetrics(services, samples, executionId).catch((err: Error) => services.log.error({ err: err.message, executionId }, "metric samples not evaluated by triggers and alert rules"));
  return evaluated.length > 0;
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
  const read = await readTick(services.db.sql, opts);
  if (!read) return null;
  // The system samples mark this tick for the other workers' check in readTick.
  await storeSamples(services, [
    { samples: systemSamples(read.system, now), executionId: null },
    ...read.running.map((e) => ({ samples: [{ metric: "execution_duration_ms", value: executionDurationMs(e.startedAt, now), timestamp: now }], executionId: e.id })),
  ]);
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
