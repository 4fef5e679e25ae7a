import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Services } from "../services/context.ts";
import { TASK_READY_CHANNEL } from "../services/context.ts";
import { publishUpdates } from "../services/outbox.ts";
import { claimRuns, loadRunContext, renewLeases, type ClaimedRun } from "./claim.ts";
import { finishRun, releaseRun } from "./finish.ts";
import { RunInterrupted, runHandler } from "./runner.ts";
import { isTerminalExecution } from "../domain/status.ts";

export interface WorkerOptions {
  concurrency: number;
  pollIntervalMs: number;
  leaseMs: number;
}

interface Active {
  run: ClaimedRun;
  interrupt: AbortController;
  done: Promise<void>;
}

/**
 * Claims ready task runs (up to `concurrency` at once), runs them and records how they ended.
 * Woken by NOTIFY when runs become ready; polls only as a fallback.
 */
export class Worker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly active = new Map<string, Active>();
  private running = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly services: Services,
    private readonly options: WorkerOptions,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    this.unlisten = await this.services.db.listen(TASK_READY_CHANNEL, () => this.poke());
    // Renew at a third of the lease so one slow round trip never lets a lease lapse.
    this.heartbeat = setInterval(() => void this.renew(), Math.max(250, Math.floor(this.options.leaseMs / 3)));
    this.loop = this.claimLoop();
    this.services.log.info({ worker: this.id, ...this.options }, "worker started");
  }

  /** Stops claiming, lets running tasks finish for graceMs, then releases the rest to the queue. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.poke();
    await this.loop;
    const all = Promise.all([...this.active.values()].map((a) => a.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    for (const a of this.active.values()) a.interrupt.abort(new RunInterrupted("shutdown"));
    await all;
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.unlisten?.();
    this.services.log.info({ worker: this.id }, "worker stopped");
  }

  private poke(): void {
    this.wake?.();
  }

  private async claimLoop(): Promise<void> {
    const { log, clock, db } = this.services;
    while (this.running) {
      const free = this.options.concurrency - this.active.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const { runs, updates } = await claimRuns(db.sql, { workerId: this.id, limit: free, leaseMs: this.options.leaseMs, now: clock() });
          await publishUpdates(this.services.bus, updates, log);
          for (const run of runs) this.start1(run);
          claimed = runs.length;
        } catch (err) {
          log.error({ err: (err as Error).message }, "claim failed; retrying after the poll interval");
        }
      }
      if (claimed > 0 && claimed === free) continue; // there may be more: claim again at once
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private start1(run: ClaimedRun): void {
    const interrupt = new AbortController();
    const done = this.execute(run, interrupt.signal).finally(() => {
      this.active.delete(run.id);
      this.poke();
    });
    this.active.set(run.id, { run, interrupt, done });
  }

  private async execute(run: ClaimedRun, interrupt: AbortSignal): Promise<void> {
    const { db, bus, log, clock, handlers } = this.services;
    const ctx = () => ({ sql: db.sql, workerId: this.id, now: clock() });
    try {
      const runContext = await loadRunContext(db.sql, run);
      const end = await runHandler(handlers, { run, ...runContext, interrupt });
      const updates = await finishRun(ctx(), run, end);
      await publishUpdates(bus, updates, log);
      // The execution ended (a task failed): stop its other runs here now; other workers notice at their next heartbeat.
      if (updates.some((u) => isTerminalExecution(u.event.status)))
        for (const other of this.active.values())
          if (other.run.executionId === run.executionId && other.run.id !== run.id) other.interrupt.abort(new RunInterrupted("revoked"));
    } catch (err) {
      if (err instanceof RunInterrupted && err.reason === "shutdown") {
        await publishUpdates(bus, await releaseRun(ctx(), run).catch(() => []), log);
      } else if (!(err instanceof RunInterrupted)) {
        // The run stays RUNNING under a lease that will expire; nothing is half-written.
        log.error({ err: (err as Error).message, run: run.id }, "could not record the end of a run");
      }
    }
  }

  private async renew(): Promise<void> {
    const ids = [...this.active.keys()];
    try {
      const lost = await renewLeases(this.services.db.sql, { workerId: this.id, ids, leaseMs: this.options.leaseMs, now: this.services.clock() });
      for (const id of lost) this.active.get(id)?.interrupt.abort(new RunInterrupted("revoked"));
    } catch (err) {
      this.services.log.warn({ err: (err as Error).message }, "lease renewal failed");
    }
  }
}
