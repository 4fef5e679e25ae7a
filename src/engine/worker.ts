import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { isTerminalExecution } from "../domain/status.ts";
import { retryTransient } from "../infra/db.ts";
import { CONTROL_CHANNEL, TASK_READY_CHANNEL, type Services } from "../services/context.ts";
import { publishUpdates } from "../store/outbox.ts";
import type { ExecutionUpdate } from "../services/updates.ts";
import { claimRuns, loadRunContext, renewLeases, type ClaimedRun } from "../store/claim.ts";
import { registerWorker, unregisterWorker, workerHeartbeat, type WorkerIdentity } from "../store/registry.ts";
import { finishRun, releaseRun, type RunEnd } from "../store/finish.ts";
import { RunInterrupted, runHandler } from "./runner.ts";
import { expireAllocations, expireDeadlines, nextTimerAt, promoteDue, reclaimExpired, takePeriodicCheckpoints } from "../store/timers.ts";
import { TaskStateWriter } from "../store/task-state.ts";
import { reportUsage } from "../store/resources.ts";
import { MetricTicker, reportRunEnd } from "../services/metric-streams.ts";
import { fireDueSchedules } from "../store/scheduler.ts";
import { deliverDueAlerts, firePendingAlerts } from "../services/alerts.ts";

export interface WorkerOptions {
  concurrency: number;
  pollIntervalMs: number;
  leaseMs: number;
  agingStepMs: number;
  /** LISTEN for ready work (default); false: find it by polling only (a baseline for bench:latency). */
  wakeOnNotify?: boolean;
  /** Metric tick interval (default 1000) and sample retention (default 1 day): see services/metric-streams.ts. */
  metricTickMs?: number;
  metricRetentionMs?: number;
}

interface Active {
  run: ClaimedRun;
  interrupt: AbortController;
  done: Promise<void>;
  paused: boolean;
  progress: number | null;
  phase: string | null;
}

/**
 * Claims ready task runs (up to `concurrency` at once), runs them and records how they ended; also
 * fires due timers (scheduled starts, retries, deadlines). Woken by NOTIFY; polls only as a fallback.
 */
export class Worker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly active = new Map<string, Active>();
  private running = false;
  private wake: (() => void) | null = null;
  /** A wake-up arrived while a round was running (no one was asleep to hear it): skip the next sleep. */
  private poked = false;
  private loop: Promise<void> | null = null;
  private unlisten: (() => Promise<void>)[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private beating: Promise<void> = Promise.resolve();
  private readonly ticker: MetricTicker;

  constructor(
    private readonly services: Services,
    private readonly options: WorkerOptions,
  ) {
    this.ticker = new MetricTicker(services, { tickMs: options.metricTickMs ?? 1000, retentionMs: options.metricRetentionMs ?? 86_400_000, aliveMs: 3 * options.leaseMs });
  }

  async start(): Promise<void> {
    this.running = true;
    await registerWorker(this.services.db.sql, this.identity(), this.services.clock());
    this.unlisten = [
      ...(this.options.wakeOnNotify === false ? [] : [await this.services.db.listen(TASK_READY_CHANNEL, () => this.poke())]),
      await this.services.db.listen(CONTROL_CHANNEL, (executionId) => void this.renew(executionId)),
    ];
    // Renew at a third of the lease so one slow round trip never lets a lease lapse.
    this.heartbeat = setInterval(() => void this.beat(), Math.max(250, Math.floor(this.options.leaseMs / 3)));
    this.loop = this.claimLoop();
    this.services.log.info({ worker: this.id, ...this.options }, "worker started");
  }

  /** Stops claiming, lets running tasks finish for graceMs, then releases the rest to the queue. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.poke();
    await this.loop;
    await this.ticker.idle();
    const all = Promise.all([...this.active.values()].map((a) => a.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    for (const a of this.active.values()) a.interrupt.abort(new RunInterrupted("shutdown"));
    await all;
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.beating;
    await unregisterWorker(this.services.db.sql, this.id, this.services.clock()).catch((err: Error) =>
      this.services.log.warn({ err: err.message }, "could not mark the worker stopped"),
    );
    await Promise.all(this.unlisten.map((u) => u()));
    this.services.log.info({ worker: this.id }, "worker stopped");
  }

  private poke(): void {
    this.poked = true;
    this.wake?.();
  }

  private async publish(updates: readonly ExecutionUpdate[]): Promise<void> {
    await publishUpdates(this.services.bus, updates, this.services.log);
    for (const u of updates) {
      const kind = u.event.type === "EXECUTION_STARTED" ? "onExecutionStart" : isTerminalExecution(u.event.status) ? "onExecutionEnd" : null;
      // Hooks run beside the engine: they never delay or fail it.
      if (kind) this.hooks(kind, u).catch((err: Error) => this.services.log.warn({ err: err.message, kind }, "execution hook not run"));
    }
  }

  private async hooks(kind: "onExecutionStart" | "onExecutionEnd", u: ExecutionUpdate): Promise<void> {
    const { db, handlers, log } = this.services;
    const execution = await db.prisma.execution.findUnique({ where: { id: u.event.executionId }, select: { id: true, planId: true, params: true } });
    if (!execution) return;
    const errors = await handlers.runHooks(kind, { execution: { ...execution, status: u.event.status }, log: (level, message) => log[level === "ERROR" ? "error" : level === "WARNING" ? "warn" : "info"]({ executionId: execution.id }, message) });
    for (const err of errors) log.warn({ err: err.message, kind, executionId: execution.id }, "execution hook failed");
  }

  private async claimLoop(): Promise<void> {
    const { log, clock, db } = this.services;
    let busy = false;
    let lastSweep = 0;
    while (this.running) {
      const free = this.options.concurrency - this.active.size;
      let claimed = 0;
      this.poked = false;
      try {
        // Timers are swept on every wake-up, but while claims keep the worker busy only once per poll
        // interval: the hot path stays a claim.
        if (!busy || clock().getTime() - lastSweep >= this.options.pollIntervalMs) {
          lastSweep = clock().getTime();
          // Each sweep on its own: one failing (a bad schedule row, an unreachable webhook) never stops the others or the claims.
          const sweeps: [string, () => Promise<ExecutionUpdate[] | void>][] = [
            ["promote due executions", () => promoteDue(db.sql, clock())],
            ["expire deadlines", () => expireDeadlines(db.sql, clock())],
            ["reclaim expired leases", () => reclaimExpired(db.sql, clock(), Math.random)],
            ["take periodic checkpoints", () => takePeriodicCheckpoints(db.sql, clock())],
            ["expire resource allocations", () => expireAllocations(db.sql, clock())],
            ["fire due schedules", () => fireDueSchedules(this.services, clock())],
            ["fire pending alerts", () => firePendingAlerts(this.services, clock())],
            ["deliver alerts", () => deliverDueAlerts(this.services, clock())],
          ];
          for (const [name, sweep] of sweeps) {
            const updates = await sweep().catch((err: Error) => void log.error({ err: err.message, sweep: name }, "timer sweep failed; retried next round"));
            if (updates) await this.publish(updates);
          }
          this.ticker.maybeTick(); // metric streams: in the background, one worker at a time
        }
        if (free > 0) {
          const { runs, updates } = await claimRuns(db.sql, { workerId: this.id, limit: free, leaseMs: this.options.leaseMs, agingStepMs: this.options.agingStepMs, now: clock() });
          await this.publish(updates);
          for (const run of runs) this.launch(run);
          claimed = runs.length;
        }
      } catch (err) {
        log.error({ err: (err as Error).message }, "worker round failed; retrying after the poll interval");
        this.poked = false;
      }
      busy = claimed > 0 && claimed === free;
      if (busy) continue; // there may be more: claim again at once
      if (this.poked) continue; // a NOTIFY or a finished run during this round: its work may be claimable now
      const sleepMs = await this.sleepMs().catch(() => this.options.pollIntervalMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, sleepMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Until the next poll, or sooner if a timer (runAt, retry, deadline, lease, checkpoint) fires first. */
  private async sleepMs(): Promise<number> {
    const next = await nextTimerAt(this.services.db.sql);
    if (!next) return this.options.pollIntervalMs;
    return Math.max(5, Math.min(this.options.pollIntervalMs, next.getTime() - this.services.clock().getTime() + 5));
  }

  private launch(run: ClaimedRun): void {
    const interrupt = new AbortController();
    const active: Active = { run, interrupt, done: Promise.resolve(), paused: false, progress: null, phase: null };
    // A restore can hand a run back to the queue while its old attempt still winds down here: stop that one.
    this.active.get(run.id)?.interrupt.abort(new RunInterrupted("revoked"));
    active.done = this.execute(active).finally(() => {
      if (this.active.get(run.id) === active) this.active.delete(run.id);
      this.poke();
    });
    this.active.set(run.id, active);
  }

  private async execute(active: Active): Promise<void> {
    const { db, log, clock, handlers } = this.services;
    const { run, interrupt } = active;
    const ctx = () => ({ sql: db.sql, workerId: this.id, now: clock(), random: Math.random });
    try {
      // While PostgreSQL restarts, keep trying for as long as the lease could last (the heartbeat renews it).
      const persist = <T>(what: string, fn: () => Promise<T>) => retryTransient(fn, { forMs: this.options.leaseMs, log, what });
      const { execution, dependencies, state } = await persist("load a claimed run", () => loadRunContext(db.sql, run));
      const saver = new TaskStateWriter({ sql: db.sql, workerId: this.id, run, clock, publish: (u) => this.publish(u), log });
      active.paused = execution.pauseRequested;
      // The execution's deadline bounds the run too: whichever comes first times it out.
      const untilDeadline = execution.deadlineAt ? Math.max(1, execution.deadlineAt.getTime() - clock().getTime()) : null;
      const deadlineFirst = untilDeadline !== null && (run.timeoutMs === null || untilDeadline < run.timeoutMs);
      const { end, metrics } = await runHandler(handlers, {
        run: deadlineFirst ? { ...run, timeoutMs: untilDeadline } : run,
        execution,
        dependencies,
        interrupt: interrupt.signal,
        isPaused: () => active.paused,
        onProgress: (fraction, phase) => Object.assign(active, { progress: fraction, phase }),
        state,
        onCheckpoint: (s) => saver.save(s),
        onResourceUsage: (allocationId, amount) => reportUsage(db.sql, allocationId, amount),
      });
      await saver.idle(); // the last ctx.checkpoint is stored before the run ends
      const updates = await persist("record the end of a run", () => finishRun(ctx(), run, deadlineFirst ? executionTimeout(end, execution.deadlineAt!) : end, metrics));
      await this.publish(updates);
      // Built-in per-run samples and ctx.metric values feed the metric streams (and METRIC triggers) once the run's end is committed.
      await reportRunEnd(this.services, run, metrics, updates.length > 0).catch((err) => log.error({ err: (err as Error).message, run: run.id }, "could not report a run's metrics"));
      // The execution ended (a task failed for good): stop its other runs here now; other workers hear it on CONTROL_CHANNEL.
      if (updates.some((u) => isTerminalExecution(u.event.status)))
        for (const other of this.active.values())
          if (other.run.executionId === run.executionId && other.run.id !== run.id) other.interrupt.abort(new RunInterrupted("revoked"));
    } catch (err) {
      if (err instanceof RunInterrupted && err.reason === "shutdown") {
        await this.publish(await releaseRun(ctx(), run).catch(() => []));
      } else if (!(err instanceof RunInterrupted)) {
        // The run stays RUNNING under a lease that will expire; nothing is half-written.
        log.error({ err: (err as Error).message, run: run.id }, "could not record the end of a run");
      }
    }
  }

  private identity(): WorkerIdentity {
    return { id: this.id, hostname: hostname(), pid: process.pid, concurrency: this.options.concurrency };
  }

  /** Each heartbeat: renew every lease, and record liveness and load in the registry. */
  private beat(): void {
    const registry = workerHeartbeat(this.services.db.sql, this.identity(), this.active.size, this.services.clock()).catch((err: Error) =>
      this.services.log.warn({ err: err.message }, "worker heartbeat not recorded"),
    );
    this.beating = Promise.all([this.renew(), registry]).then(() => undefined);
  }

  /** Heartbeat (all runs) or a control notification (one execution's runs): renew, learn pauses and revocations. */
  private async renew(executionId?: string): Promise<void> {
    const runs = [...this.active.values()].filter((a) => !executionId || a.run.executionId === executionId);
    if (runs.length === 0) return;
    try {
      const { lost, pausing } = await renewLeases(this.services.db.sql, {
        workerId: this.id,
        runs: runs.map((a) => ({ id: a.run.id, progress: a.progress, phase: a.phase })),
        leaseMs: this.options.leaseMs,
        now: this.services.clock(),
      });
      for (const a of runs) a.paused = pausing.has(a.run.executionId);
      for (const id of lost) this.active.get(id)?.interrupt.abort(new RunInterrupted("revoked"));
    } catch (err) {
      this.services.log.warn({ err: (err as Error).message }, "lease renewal failed");
    }
  }
}

/** A timeout caused by the execution's deadline is not the task's fault: it must not be retried. */
function executionTimeout(end: RunEnd, deadlineAt: Date): RunEnd {
  if (end.kind !== "failed" || end.status !== "TIMED_OUT") return end;
  return { ...end, error: { code: "EXECUTION_TIMEOUT", message: `the execution's deadline (${deadlineAt.toISOString()}) passed`, recoverable: false } };
}
