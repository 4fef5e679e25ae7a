import { estimateRemainingMs, type RemainingWork } from "./eta.ts";
import type { UsageTotals } from "./resources/usage.ts";
import { isTerminalExecution, type ExecutionStatus } from "./status.ts";

/**
 * Task counters and timings of one execution as of one event. Stored on the execution row and on every
 * event, so progress and metrics replayed from the timeline equal the ones streamed live.
 */
export interface ExecutionStats {
  total: number;
  waiting: number;
  ready: number;
  running: number;
  completed: number;
  failed: number;
  timedOut: number;
  skipped: number;
  cancelled: number;
  /** Sum of the run times of finished task runs, in ms. */
  busyMs: number;
  /** ISO time the first task started, or null. */
  startedAt: string | null;
  /** ISO time the execution ended, or null. */
  endedAt: string | null;
  /** Key of the most recently started task that is still running. */
  currentTask: string | null;
  /** That task as of this snapshot (absent from snapshots stored before it was recorded). */
  currentRun?: RunningTask | null;
  /** Sum of the running tasks' reported progress fractions (ctx.progress). */
  runningProgress: number;
  /** Critical-path estimate of the remaining time, in ms, as of `asOf`; null before any task completed. */
  etaMs: number | null;
  /** ISO time this snapshot was taken. */
  asOf: string;
  /** Sum of the `cost` metrics tasks reported (ctx.metric("cost", x)). */
  cost: number;
  /** Tasks that completed on their first attempt. */
  firstTry: number;
  /** Resource allocations of its task runs (domain/resources/usage.ts), as of asOf; absent before pools existed. */
  resources?: UsageTotals;
}

/** A running task as of one snapshot: what an ExecutionUpdate shows as its currentTask. */
export interface RunningTask {
  /** The TaskRun's id. */
  id: string;
  key: string;
  status: "RUNNING";
  attempt: number;
  /** ISO time its attempt started. */
  startedAt: string | null;
  progress: number | null;
}

/** A running run, as tallied: what currentTask shows, and what the ETA needs. */
export interface TalliedRun {
  id: string;
  key: string;
  attempt: number;
  startedAt: Date | null;
  progress: number | null;
  /** Plan position: of runs started the same ms, the first in the plan is the current one. */
  position: number;
  /** Regular tasks on its longest chain of dependants (domain/eta.ts). */
  downstream: number;
}

/**
 * An execution's task runs as the store counts them in one aggregate: fallback runs count only once
 * invoked (a WAITING fallback is in no counter); busyMs sums the run times of runs with both timestamps.
 */
export interface TaskTally extends Omit<RemainingWork, "running">, Pick<ExecutionStats, TalliedCounter> {
  running: readonly TalliedRun[];
}

/** The stats the tally carries as they are. */
type TalliedCounter = "total" | "waiting" | "ready" | "completed" | "failed" | "timedOut" | "skipped" | "cancelled" | "busyMs" | "cost" | "firstTry";

/** Stats of an execution from the tally of its task runs. */
export function summarizeTasks(tally: TaskTally, at: { startedAt: Date | null; endedAt: Date | null; now: Date; resources?: UsageTotals }): ExecutionStats {
  // Most recently started first; the plan's order among runs started the same ms.
  const running = [...tally.running].sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0) || a.position - b.position);
  const { total, waiting, ready, completed, failed, timedOut, skipped, cancelled, cost, firstTry } = tally;
  return {
    total,
    waiting,
    ready,
    running: running.length,
    completed,
    failed,
    timedOut,
    skipped,
    cancelled,
    busyMs: Math.round(tally.busyMs),
    startedAt: at.startedAt?.toISOString() ?? null,
    endedAt: at.endedAt?.toISOString() ?? null,
    currentTask: running[0]?.key ?? null,
    currentRun: running[0] ? runningTask(running[0]) : null,
    runningProgress: running.reduce((sum, t) => sum + (t.progress ?? 0), 0),
    etaMs: at.endedAt ? 0 : estimateRemainingMs({ ...tally, running }, at.now),
    asOf: at.now.toISOString(),
    cost,
    firstTry,
    resources: at.resources ?? { cost: 0, unitMs: 0, usedUnitMs: 0 },
  };
}

const runningTask = (t: TalliedRun): RunningTask => ({
  id: t.id,
  key: t.key,
  status: "RUNNING",
  attempt: t.attempt,
  startedAt: t.startedAt?.toISOString() ?? null,
  progress: t.progress,
});

export function initialStats(total: number, now: Date): ExecutionStats {
  return { total, waiting: total, ready: 0, running: 0, completed: 0, failed: 0, timedOut: 0, skipped: 0, cancelled: 0, busyMs: 0, startedAt: null, endedAt: null, currentTask: null, currentRun: null, runningProgress: 0, etaMs: null, asOf: now.toISOString(), cost: 0, firstTry: 0, resources: { cost: 0, unitMs: 0, usedUnitMs: 0 } };
}

export interface Progress {
  percentage: number;
  completedTasks: number;
  totalTasks: number;
  /** ms; null while there is nothing to extrapolate from. */
  estimatedTimeRemaining: number | null;
  currentPhase: string;
}

export interface Metrics {
  /** Cost of the resources its tasks held (amount × costPerUnitSecond × seconds) plus the `cost` metrics tasks reported. */
  totalCost: number;
  /** Resource units used ÷ units held, weighted by time held, 0..1; null when no task held a resource. */
  resourceEfficiency: number | null;
  /** Share of finished tasks that completed on their first attempt (no retry, skip or fallback), 0..1. */
  qualityScore: number | null;
  /** ms from the first task start to the end (or to `now` while running). */
  totalDuration: number | null;
  /** ms of task run time summed over finished tasks. */
  effectiveDuration: number;
  /** share of finished tasks that completed, 0..1; null before any finished. */
  successRate: number | null;
  /** share of finished tasks that failed or timed out, 0..1; null before any finished. */
  errorRate: number | null;
  /** finished tasks per second of totalDuration; null before it can be measured. */
  throughput: number | null;
}

const finished = (s: ExecutionStats) => s.completed + s.failed + s.timedOut + s.skipped + s.cancelled;
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function elapsedMs(s: ExecutionStats, now: Date): number | null {
  if (!s.startedAt) return null;
  const end = s.endedAt ? Date.parse(s.endedAt) : now.getTime();
  return Math.max(0, end - Date.parse(s.startedAt));
}

export function computeProgress(s: ExecutionStats, status: ExecutionStatus, now: Date): Progress {
  const done = finished(s);
  const terminal = isTerminalExecution(status);
  let eta: number | null = null;
  if (terminal) eta = 0;
  // The snapshot's critical-path estimate, less the time that has passed since it was taken.
  else if (s.etaMs !== null) eta = Math.max(0, s.etaMs - Math.max(0, now.getTime() - Date.parse(s.asOf)));
  return {
    percentage: s.total === 0 ? 0 : round(Math.min(100, (100 * (done + (s.runningProgress ?? 0))) / s.total), 1),
    completedTasks: s.completed,
    totalTasks: s.total,
    estimatedTimeRemaining: eta,
    currentPhase: phase(s, status),
  };
}

function phase(s: ExecutionStats, status: ExecutionStatus): string {
  if (status === "RUNNING" || status === "PENDING") {
    const remaining = s.total - finished(s);
    if (s.running > 0) return `running ${s.running} of ${remaining} remaining tasks`;
    // The last task's end, in the transaction that also ends the execution (its event comes next).
    if (remaining <= 0 && s.total > 0) return "all tasks finished";
    return status === "PENDING" ? "queued, waiting for a worker" : "waiting for a worker";
  }
  return status.toLowerCase();
}

export function computeMetrics(s: ExecutionStats, now: Date): Metrics {
  const done = s.completed + s.failed + s.timedOut;
  const total = elapsedMs(s, now);
  const usage = s.resources ?? { cost: 0, unitMs: 0, usedUnitMs: 0 };
  return {
    totalCost: round((s.cost ?? 0) + usage.cost, 6),
    resourceEfficiency: usage.unitMs > 0 ? round(Math.min(1, usage.usedUnitMs / usage.unitMs), 4) : null,
    qualityScore: finished(s) === 0 ? null : round((s.firstTry ?? 0) / finished(s), 4),
    totalDuration: total,
    effectiveDuration: s.busyMs,
    successRate: done === 0 ? null : round(s.completed / done, 4),
    errorRate: done === 0 ? null : round((s.failed + s.timedOut) / done, 4),
    throughput: total === null || total === 0 ? null : round(finished(s) / (total / 1000), 4),
  };
}
