import type { Services } from "../services/context.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";
import { timersDue, type Sweep } from "../store/due.ts";
import { expireAllocations, expireDeadlines, promoteDue, reclaimExpired, takePeriodicCheckpoints } from "../store/timers.ts";
import { fireDueSchedules } from "../store/scheduler.ts";
import { deliverDueAlerts, firePendingAlerts } from "../services/alerts.ts";
import { MetricTicker } from "../services/metric-streams.ts";
import { RetentionSweeper } from "../services/retention.ts";

export interface SweeperOptions {
  workerId: string;
  pollIntervalMs: number;
  /** How long a worker's heartbeat keeps it in the registry's count of live workers, for the lead (store/due.ts). */
  aliveMs: number;
  leaseMs: number;
  metricTickMs?: number;
  metricRetentionMs?: number;
  retentionMs?: number | null;
  retentionBatch?: number;
  publish(updates: readonly ExecutionUpdate[]): Promise<void>;
  /** After each round: the claims' poll (a sweep may have released work, a retry may have come due). */
  afterRound(): void;
}

/** Each sweep, named for the log: what it does when the gate says it has work. */
const SWEEPS: Record<Sweep, [string, (s: Services, now: Date) => Promise<readonly ExecutionUpdate[] | void>]> = {
  promote: ["promote due executions", (s, now) => promoteDue(s.db.sql, now, s.log)],
  deadlines: ["expire deadlines", (s, now) => expireDeadlines(s.db.sql, now, s.log)],
  leases: ["reclaim expired leases", (s, now) => reclaimExpired(s.db.sql, now, Math.random, s.log)],
  checkpoints: ["take periodic checkpoints", (s, now) => takePeriodicCheckpoints(s.db.sql, now, s.log)],
  allocations: ["expire resource allocations", (s, now) => expireAllocations(s.db.sql, now, s.log)],
  schedules: ["fire due schedules", (s, now) => fireDueSchedules(s, now)],
  pendingAlerts: ["fire pending alerts", (s, now) => firePendingAlerts(s, now)],
  deliveries: ["deliver alerts", (s, now) => deliverDueAlerts(s, now)],
};

/** How long a wake-up for ready work, or a run ending an execution, waits before the round it asks for: those coalesce, and the claim goes first. */
const SOON_MS = 25;

/**
 * The timer sweeps (scheduled starts, deadlines, expired leases, checkpoints, allocations, schedules,
 * alerts) on their own loop beside the claims: a round every pollIntervalMs, or sooner at the next timer
 * the gate reported or one this worker set (wakeAt), or shortly after an event that may have made work
 * due (soon). A round is one statement (store/due.ts timersDue) unless a sweep has work.
 *
 * Rounds on the clock sweep only on the leader (store/due.ts): every worker's clock reaches the same
 * timers at once. A round asked for by an event this worker saw (a NOTIFY: say an execution with
 * dependants ended, which may be due now) sweeps wherever it runs: the leader may not have seen the event, and sweeps in
 * parallel stay correct (SKIP LOCKED), only redundant.
 */
export class Sweeper {
  private running = false;
  private loop: Promise<void> | null = null;
  private inRound = false;
  /** The current sleep: when it ends, and how to end it sooner. */
  private sleeping: { until: number; timer: NodeJS.Timeout | undefined; resolve: () => void } | null = null;
  /** When the clock next asks for a round (poll, next timer): the end of the last sleep planned. */
  private clockAt = 0;
  /** The earliest round asked for by wakeAt, and by soon, not yet run. */
  private timerAt = Infinity;
  private soonAt = Infinity;
  private readonly ticker: MetricTicker;
  private readonly retention: RetentionSweeper;

  constructor(
    private readonly services: Services,
    private readonly options: SweeperOptions,
  ) {
    this.ticker = new MetricTicker(services, { tickMs: options.metricTickMs ?? 1000, retentionMs: options.metricRetentionMs ?? 86_400_000, aliveMs: 3 * options.leaseMs });
    this.retention = new RetentionSweeper(services, { retentionMs: options.retentionMs ?? null, batch: options.retentionBatch ?? 500 });
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sleeping?.resolve();
    await this.loop;
    await this.ticker.idle();
    await this.retention.idle();
  }

  /** True while a round (gate, sweeps) is in progress: for the shutdown log. */
  busy(): boolean {
    return this.inRound;
  }

  /** A timer this worker just set (a retry's next attempt): a round runs then, and wakes the claims. */
  wakeAt(at: Date): void {
    this.timerAt = Math.min(this.timerAt, at.getTime());
    this.shorten(this.timerAt);
  }

  /** Something may have come due (a NOTIFY, an alert's delivery): a round runs shortly. */
  soon(): void {
    this.soonAt = Math.min(this.soonAt, this.services.clock().getTime() + SOON_MS);
    this.shorten(this.soonAt);
  }

  private async run(): Promise<void> {
    while (this.running) {
      // What asked for this round (a few ms of slack: timers and the clock disagree that much).
      const now = this.services.clock().getTime() + 5;
      const timed = Math.min(this.clockAt, this.timerAt) <= now;
      const soon = this.soonAt <= now;
      if (this.timerAt <= now) this.timerAt = Infinity;
      if (soon) this.soonAt = Infinity;
      this.inRound = true;
      const { swept, next } = await this.round(soon);
      this.inRound = false;
      // The claims' poll, and work a sweep released or a retry due; a round only asked for by an event that already woke the claims has none.
      if (swept > 0 || timed || !soon) this.options.afterRound();
      if (swept > 0 || !this.running) continue; // a sweep moved something: more than a batch may be due, sweep again at once
      // A few ms past the timer, so that it is due when the round reads the clock.
      this.clockAt = Math.min(this.services.clock().getTime() + this.options.pollIntervalMs, next ? next.getTime() + 5 : Infinity);
      await this.sleepUntil(Math.min(this.clockAt, this.timerAt, this.soonAt));
    }
  }

  private async round(asked: boolean): Promise<{ swept: number; next: Date | null }> {
    const { db, clock, log } = this.services;
    let swept = 0;
    let next: Date | null = null;
    try {
      const gate = await timersDue(db.sql, { now: clock(), workerId: this.options.workerId, aliveMs: this.options.aliveMs });
      next = gate.next;
      // Each sweep on its own: one failing (a bad schedule row, an unreachable webhook) never stops the others.
      for (const sweep of gate.leader || asked ? gate.due : []) {
        const [name, fn] = SWEEPS[sweep];
        const updates = await fn(this.services, clock()).catch((err: Error) => void log.error({ err: err.message, sweep: name }, "timer sweep failed; retried next round"));
        if (updates?.length) {
          swept += updates.length;
          await this.options.publish(updates);
        }
      }
    } catch (err) {
      log.error({ err: (err as Error).message }, "timer gate failed; retried after the poll interval");
    }
    this.ticker.maybeTick(); // metric streams: in the background, one worker at a time
    this.retention.maybeRun(); // likewise: deletes what ended long ago, prunes alert scopes
    return { swept, next };
  }

  private sleepUntil(until: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const sleeping = { until, timer: undefined as NodeJS.Timeout | undefined, resolve: () => (clearTimeout(sleeping.timer), (this.sleeping = null), resolve()) };
      this.sleeping = sleeping;
      this.arm(until);
    });
  }

  /** Ends the current sleep by `until` if it would end later (during a round, the next sleep's end is computed from timerAt and soonAt). */
  private shorten(until: number): void {
    if (this.sleeping && until < this.sleeping.until) this.arm(until);
  }

  /** (Re)sets the current sleep's end. */
  private arm(until: number): void {
    const s = this.sleeping!;
    clearTimeout(s.timer);
    s.until = until;
    s.timer = setTimeout(s.resolve, Math.max(0, until - this.services.clock().getTime()));
  }
}
