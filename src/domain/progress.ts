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
}

export function initialStats(total: number): ExecutionStats {
  return { total, waiting: total, ready: 0, running: 0, completed: 0, failed: 0, timedOut: 0, skipped: 0, cancelled: 0, busyMs: 0, startedAt: null, endedAt: null, currentTask: null };
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
  const elapsed = elapsedMs(s, now);
  let eta: number | null = null;
  if (terminal) eta = 0;
  else if (done > 0 && elapsed !== null) eta = Math.round((elapsed / done) * (s.total - done));
  return {
    percentage: s.total === 0 ? 0 : round((100 * done) / s.total, 1),
    completedTasks: s.completed,
    totalTasks: s.total,
    estimatedTimeRemaining: eta,
    currentPhase: phase(s, status),
  };
}

function phase(s: ExecutionStats, status: ExecutionStatus): string {
  if (status === "RUNNING" || status === "PENDING") {
    if (s.running > 0) return `running ${s.running} of ${s.total - finished(s)} remaining tasks`;
    return status === "PENDING" ? "queued, waiting for a worker" : "waiting for a worker";
  }
  return status.toLowerCase();
}

export function computeMetrics(s: ExecutionStats, now: Date): Metrics {
  const done = s.completed + s.failed + s.timedOut;
  const total = elapsedMs(s, now);
  return {
    totalDuration: total,
    effectiveDuration: s.busyMs,
    successRate: done === 0 ? null : round(s.completed / done, 4),
    errorRate: done === 0 ? null : round((s.failed + s.timedOut) / done, 4),
    throughput: total === null || total === 0 ? null : round(finished(s) / (total / 1000), 4),
  };
}
