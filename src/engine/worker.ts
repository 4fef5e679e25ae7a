import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { isTerminalExecution } from "../domain/status.ts";
import { retryTransient } from "../infra/db.ts";
import type { Services } from "../services/context.ts";
import { CONTROL_CHANNEL, TASK_READY_CHANNEL } from "../store/channels.ts";
import { publishUpdates } from "../store/outbox.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";
import { claimRuns, renewLeases, type ClaimedRun } from "../store/claim.ts";
import { registerWorker, unregisterWorker, workerHeartbeat, type WorkerIdentity } from "../store/registry.ts";
import { finishCompleted, finishRun, releaseRun, type Completion, type RunEnd } from "../store/finish.ts";
import { CompletionBatcher } from "./completions.ts";
import { RunInterrupted, runHandler } from "./runner.ts";
import { TaskStateWriter } from "../store/task-state.ts";
import { reportUsage } from "../store/resources.ts";
import { RunEndMetrics } from "../services/metric-streams.ts";
import { Sweeper } from "./sweeper.ts";
import type { Closable } from "../infra/shutdown.ts";
import type { HandlerRegistry } from "./handlers/registry.ts";

/** Claims one worker has in flight at most. */
const MAX_CLAIMS = 4;

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
  /** Ended executions older than this are deleted (null or absent: kept), `retentionBatch` per round: see services/retention.ts. */
  retentionMs?: number | null;
  retentionBatch?: number;
}

/** The resources object with the registry itself: the worker runs handlers and hooks, not only their names. */
export interface WorkerServices extends Services {
  handlers: HandlerRegistry;
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
 * Claims ready task runs (up to `concurrency` at once), runs them and records how they ended. Woken by
 * NOTIFY and by its own runs ending; its sweeper (timers: scheduled starts, deadlines, leases…) runs
 * beside it and wakes it after each round, which is also the claims' poll.
 */
export class Worker implements Closable {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly name = "worker";
  private readonly active = new Map<string, Active>();
  private running = false;
  private wake: (() => void) | null = null;
  /** Work may have become claimable (NOTIFY, a run ended here, the sweeper's round; true at start). */
  private poked = true;
  /** The last claim filled all its slots: claim again without waiting for a wake-up. */
  private more = false;
  /** Claims in flight, and the slots they may fill. */
  private readonly claims = new Set<Promise<void>>();
  private reserved = 0;
  private loop: Promise<void> | null = null;
  private unlisten: (() => Promise<void>)[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private beating: Promise<void> = Promise.resolve();
  private readonly sweeper: Sweeper;
  private readonly metrics: RunEndMetrics;
  private readonly completions: CompletionBatcher;

  constructor(
    private readonly services: WorkerServices,
    private readonly options: WorkerOptions,
  ) {
    this.sweeper = new Sweeper(services, {
      ...options,
      workerId: this.id,
      aliveMs: 3 * this.heartbeatMs(), // three missed heartbeats
      publish: (updates) => this.publish(updates),
      afterRound: () => this.poke(),
    });
    this.metrics = new RunEndMetrics(services, () => this.sweeper.soon()); // an alert's webhook is delivered by a sweep
    this.completions = new CompletionBatcher({
      record: (batch) => {
        // A retry after a lost answer may follow a commit: it must not claim again (what the first try
        // claimed would be held here by nobody), so only the first try claims.
        let tries = 0;
        return this.persist("record the ends of runs", () => this.finishAndClaim(batch, tries++ === 0));
      },
      publish: (updates) => this.publish(updates),
      launch: (runs) => runs.forEach((run) => this.launch(run)),
    });
  }

  // Renew at a third of the lease so one slow round trip never lets a lease lapse.
  private heartbeatMs(): number {
    return Math.max(250, Math.floor(this.options.leaseMs / 3));
  }

  async start(): Promise<void> {
    this.running = true;
    await registerWorker(this.services.db.sql, this.identity(), this.services.clock());
    // A NOTIFY wakes the claims, and the sweeper shortly after: what was scheduled may carry a timer it has not read (runAt, a resumed retry).
    this.unlisten = [
      ...(this.options.wakeOnNotify === false ? [] : [await this.services.db.listen(TASK_READY_CHANNEL, () => (this.poke(), this.sweeper.soon()))]),
      await this.services.db.listen(CONTROL_CHANNEL, (executionId) => void this.renew(executionId)),
    ];
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs());
    this.loop = this.claimLoop();
    this.sweeper.start();
    this.services.log.info({ worker: this.id, ...this.options }, "worker started");
  }

  /**
   * Stops claiming and lets running tasks finish; once `deadline` aborts (the grace period is over),
   * interrupts the rest, which go back to the queue.
   */
  async stop(deadline: AbortSignal): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.poke();
    const interrupt = () => {
      for (const a of this.active.values()) a.interrupt.abort(new RunInterrupted("shutdown"));
    };
    deadline.addEventListener("abort", interrupt, { once: true });
    await Promise.all([this.loop, this.sweeper.stop()]);
    // Until none is left: a batch of ends in flight may still start the runs it claimed.
    while (this.active.size > 0) {
      if (deadline.aborted) interrupt(); // runs launched after the deadline
      await Promise.all([...this.active.values()].map((a) => a.done));
    }
    await this.metrics.close();
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.beating;
    await unregisterWorker(this.services.db.sql, this.id, this.services.clock()).catch((err: Error) =>
      this.services.log.warn({ err: err.message }, "could not mark the worker stopped"),
    );
    // Stopping goes on without its database: say what failed, close the rest.
    await Promise.all(this.unlisten.map((u) => u().catch((err: Error) => this.services.log.warn({ err: err.message }, "could not stop listening"))));
    this.services.log.info({ worker: this.id }, "worker stopped");
  }

  /** For the shutdown log: the runs in progress here, and the claim loop when its round has not ended. */
  open(): string[] {
    return [
      ...(this.claims.size ? ["the worker's claim loop (a claim in progress)"] : []),
      ...(this.sweeper.busy() ? ["the worker's sweeper (a timer sweep in progress)"] : []),
      ...[...this.active.values()].map(({ run }) => `run ${run.id} (task ${run.key} of execution ${run.executionId})`),
    ];
  }

  /** While PostgreSQL restarts, keep trying for as long as a lease could last (the heartbeat renews it). */
  private persist<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return retryTransient(fn, { forMs: this.options.leaseMs, log: this.services.log, what });
  }

  private poke(): void {
    this.poked = true;
    this.wake?.();
  }

  private async publish(updates: readonly ExecutionUpdate[]): Promise<void> {
    await publishUpdates(this.services.bus, updates, this.services.log);
    for (const u of updates) {
      const retryInMs = u.event.type === "TASK_RETRYING" ? (u.event.data as { delayMs?: unknown } | null)?.delayMs : undefined;
      if (typeof retryInMs === "number") this.sweeper.wakeAt(new Date(u.event.timestamp.getTime() + retryInMs)); // its round wakes the claims then
      const ended = isTerminalExecution(u.event.status);
      const kind = u.event.type === "EXECUTION_STARTED" ? "onExecutionStart" : ended ? "onExecutionEnd" : null;
      // Hooks run beside the engine: they never delay or fail it. None registered: no lookup either.
      if (kind && this.services.handlers.hasHooks(kind)) this.hooks(kind, u).catch((err: Error) => this.services.log.warn({ err: err.message, kind }, "execution hook not run"));
    }
  }

  private async hooks(kind: "onExecutionStart" | "onExecutionEnd", u: ExecutionUpdate): Promise<void> {
    const { db, handlers, log } = this.services;
    const execution = await db.prisma.execution.findUnique({ where: { id: u.event.executionId }, select: { id: true, planId: true, params: true } });
    if (!execution) return;
    const errors = await handlers.runHooks(kind, { execution: { ...execution, status: u.event.status }, log: (level, message) => log[level === "ERROR" ? "error" : level === "WARNING" ? "warn" : "info"]({ executionId: execution.id }, message) });
    for (const err of errors) log.warn({ err: err.message, kind, executionId: execution.id }, "execution hook failed");
  }

  /**
   * Claims while there are free slots, up to MAX_CLAIMS at once (each for the slots free when it starts):
   * a claim's commit waits on the disk, and slots that free up meanwhile need not wait for it. A claim
   * that filled its slots claims again at once; one that found less waits for a wake-up (NOTIFY, a run
   * ending here, the sweeper's round).
   */
  private async claimLoop(): Promise<void> {
    while (this.running) {
      const free = this.options.concurrency - this.active.size - this.reserved;
      if (free > 0 && this.claims.size < MAX_CLAIMS && (this.poked || this.more)) {
        this.poked = false;
        this.more = false;
        this.claim(free);
        continue;
      }
      // Nothing is awaited between the checks above and setting `wake`, so no wake-up falls in between.
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    await Promise.all(this.claims);
  }

  private claim(limit: number): void {
    const { log, clock, db } = this.services;
    this.reserved += limit;
    const claim: Promise<void> = claimRuns(db.sql, { workerId: this.id, limit, leaseMs: this.options.leaseMs, agingStepMs: this.options.agingStepMs, clock })
      .then(async ({ runs, updates }) => {
        // Sent before the runs start, so their TASK_STARTED goes out ahead of anything they cause.
        const published = this.publish(updates);
        for (const run of runs) this.launch(run);
        await published;
        if (runs.length === limit) this.more = true; // there may be more
      })
      .catch((err: Error) => log.error({ err: err.message }, "claim failed; retried after the sweeper's next round"))
      .finally(() => {
        this.reserved -= limit;
        this.claims.delete(claim);
        this.wake?.();
      });
    this.claims.add(claim);
  }

  /**
   * Records a batch of completions and, in the same transaction, claims for the slots it frees: its runs
   * hold their slots (they stay active) until their ends hear back, after the claimed runs started.
   */
  private async finishAndClaim(batch: Completion[], claim: boolean) {
    const { db, clock } = this.services;
    const free = this.options.concurrency - (this.active.size - batch.length) - this.reserved;
    const limit = claim && this.running ? Math.max(0, Math.min(batch.length, free)) : 0;
    const result = await finishCompleted({ sql: db.sql, workerId: this.id, clock }, batch, { limit, leaseMs: this.options.leaseMs, agingStepMs: this.options.agingStepMs });
    if (limit > 0 && result.claimed.runs.length === limit) this.more = true; // there may be more
    return result;
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
    const ctx = () => ({ sql: db.sql, workerId: this.id, clock, random: Math.random });
    try {
      const { execution, dependencies, state } = run.context;
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
      const final = deadlineFirst ? executionTimeout(end, execution.deadlineAt!) : end;
      // Completions are batched with those of the other runs ending now (and published by the batch).
      let updates: ExecutionUpdate[];
      if (final.kind === "completed") updates = await this.completions.add({ run, output: final.output, messages: final.messages, metrics });
      else {
        updates = await this.persist("record the end of a run", () => finishRun(ctx(), run, final, metrics));
        await this.publish(updates);
      }
      // Built-in per-run samples and ctx.metric values feed the metric streams (and METRIC triggers) once the run's end is committed.
      const last = updates.at(-1)?.event;
      this.metrics.add({ run, custom: metrics, execution: last ? { status: last.status, stats: last.stats } : null, at: clock() });
      // The execution ended (a task failed for good): stop its other runs here now; other workers hear it on CONTROL_CHANNEL.
      if (updates.some((u) => isTerminalExecution(u.event.status)))
        for (const other of this.active.values())
          if (other.run.executionId === run.executionId && other.run.id !== run.id) other.interrupt.abort(new RunInterrupted("revoked"));
    } catch (err) {
      if (err instanceof RunInterrupted && err.reason === "shutdown") {
        // Not released, the run waits out its lease and then counts as a failed attempt (LEASE_EXPIRED): say so.
        const updates = await releaseRun(ctx(), run).catch((e: Error) => {
          log.error({ err: e.message, run: run.id, executionId: run.executionId }, "could not release a run on shutdown; it is reclaimed as LEASE_EXPIRED once its lease expires");
          return [];
        });
        await this.publish(updates);
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
