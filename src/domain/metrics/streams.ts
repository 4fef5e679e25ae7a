import { computeMetrics, computeProgress, type ExecutionStats } from "../progress.ts";
import { isTerminalExecution, type ExecutionStatus } from "../status.ts";
import { METRIC_NAME, type MetricSampleInput } from "./samples.ts";

// The built-in metric streams: what the engine reports about itself through reportMetrics, so METRIC
// triggers and alert rules see them like any custom metric. Pure: the service layer reads the rows.

/** One task run as it ended, with its execution after that end was committed. */
export interface RunEndFacts {
  task: string;
  /** The run's attempt number, and the attempt number it started from (a restore resets runs). */
  attempt: number;
  attemptBase: number;
  readyAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  execution: { status: ExecutionStatus; stats: ExecutionStats | null; startedAt: Date | null; completedAt: Date | null };
  /** What the handler recorded with ctx.metric (`cost` included: it is reported once, from here). */
  custom: Record<string, number>;
  now: Date;
}

/**
 * The samples of one run's end, all stamped `now`: task_duration_ms and queue_wait_ms (labels
 * { task }), the execution's progress (%), error_rate, failed_tasks, execution_duration_ms once it
 * ended, and the handler's ctx.metric values (unlabelled, as before). queue_wait_ms (claim time −
 * readyAt) is known for a first attempt only: a retry's due time is not kept once it is claimed.
 */
export function runEndSamples(f: RunEndFacts): MetricSampleInput[] {
  const timestamp = f.now;
  const out: MetricSampleInput[] = [];
  const push = (metric: string, value: number | null | undefined, labels?: Record<string, string>) => {
    if (value !== null && value !== undefined && Number.isFinite(value)) out.push({ metric, value, timestamp, ...(labels ? { labels } : {}) });
  };
  const task = { task: f.task.slice(0, 200) };
  if (f.startedAt && f.finishedAt) push("task_duration_ms", Math.max(0, f.finishedAt.getTime() - f.startedAt.getTime()), task);
  // Clamped: the claim's clock (taken before its statement) may read a hair before readyAt, set by
  // a finish that committed while the claim ran; the run then waited for nothing.
  if (f.readyAt && f.startedAt && f.attempt === f.attemptBase + 1) push("queue_wait_ms", Math.max(0, f.startedAt.getTime() - f.readyAt.getTime()), task);
  const { stats, status } = f.execution;
  if (stats) {
    push("progress", computeProgress(stats, status, f.now).percentage);
    push("error_rate", computeMetrics(stats, f.now).errorRate);
    push("failed_tasks", stats.failed + stats.timedOut);
  }
  if (isTerminalExecution(status) && f.execution.startedAt) push("execution_duration_ms", executionDurationMs(f.execution.startedAt, f.execution.completedAt ?? f.now));
  for (const [metric, value] of Object.entries(f.custom)) if (METRIC_NAME.test(metric)) push(metric, value);
  return out;
}

export const executionDurationMs = (startedAt: Date, until: Date): number => Math.max(0, until.getTime() - startedAt.getTime());

/** The engine-wide counters a metric tick reads (one query). */
export interface SystemFacts {
  queueDepth: number;
  runningExecutions: number;
  runningTasks: number;
  workers: number;
  /** Task attempts that finished in the last minute. */
  finishedLastMinute: number;
}

/** queue_depth, running_executions, running_tasks, workers, throughput (tasks finished per second, over the last minute). */
export function systemSamples(f: SystemFacts, now: Date): MetricSampleInput[] {
  return [
    { metric: "queue_depth", value: f.queueDepth, timestamp: now },
    { metric: "running_executions", value: f.runningExecutions, timestamp: now },
    { metric: "running_tasks", value: f.runningTasks, timestamp: now },
    { metric: "workers", value: f.workers, timestamp: now },
    { metric: "throughput", value: Math.round((f.finishedLastMinute / 60) * 1e4) / 1e4, timestamp: now },
  ];
}

/** The limit metricSeries accepts: default and maximum. */
export const SERIES_LIMITS = { default: 500, max: 5000 } as const;
