import { InvalidTransitionError } from "./errors.ts";

// The state machines of executions and task runs; the only place that knows which status follows which.

export const EXECUTION_STATUSES = ["SCHEDULED", "PENDING", "RUNNING", "PAUSED", "COMPLETED", "FAILED", "CANCELLED"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const TASK_STATUSES = ["WAITING", "READY", "RUNNING", "RETRYING", "COMPLETED", "FAILED", "TIMED_OUT", "SKIPPED", "CANCELLED"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PRIORITIES = ["CRITICAL", "HIGH", "NORMAL", "LOW", "IDLE"] as const;
export type Priority = (typeof PRIORITIES)[number];

const EXECUTION_NEXT: Record<ExecutionStatus, readonly ExecutionStatus[]> = {
  // SCHEDULED → FAILED: an execution it depends on failed.
  SCHEDULED: ["PENDING", "CANCELLED", "FAILED"],
  PENDING: ["RUNNING", "PAUSED", "CANCELLED", "FAILED"],
  // RUNNING → PENDING: restored from a checkpoint (restoreFromCheckpoint or CHECKPOINT_RESTORE recovery).
  RUNNING: ["COMPLETED", "FAILED", "PAUSED", "CANCELLED", "PENDING"],
  PAUSED: ["RUNNING", "PENDING", "CANCELLED"],
  // Only a restore from a checkpoint reopens a completed execution.
  COMPLETED: ["PENDING"],
  // retryExecution (or a restore) re-runs what failed or was cancelled, in the same execution.
  FAILED: ["PENDING"],
  CANCELLED: ["PENDING"],
};

/** Ended: nothing runs and nothing will unless someone retries it. */
const TERMINAL_EXECUTION: readonly ExecutionStatus[] = ["COMPLETED", "FAILED", "CANCELLED"];

const TASK_NEXT: Record<TaskStatus, readonly TaskStatus[]> = {
  WAITING: ["READY", "SKIPPED", "CANCELLED"],
  READY: ["RUNNING", "CANCELLED"],
  // RUNNING → READY: the worker released the run (shutdown) or its lease expired.
  RUNNING: ["COMPLETED", "FAILED", "TIMED_OUT", "RETRYING", "SKIPPED", "READY", "CANCELLED"],
  // RETRYING → RUNNING: claimed once nextAttemptAt has passed.
  RETRYING: ["RUNNING", "READY", "CANCELLED"],
  COMPLETED: [],
  // retryExecution resets failed, timed-out and cancelled runs (and their dependants).
  FAILED: ["WAITING", "READY"],
  TIMED_OUT: ["WAITING", "READY"],
  SKIPPED: [],
  CANCELLED: ["WAITING", "READY"],
};

const TERMINAL_TASK: readonly TaskStatus[] = ["COMPLETED", "FAILED", "TIMED_OUT", "SKIPPED", "CANCELLED"];

export const isTerminalExecution = (s: ExecutionStatus): boolean => TERMINAL_EXECUTION.includes(s);
export const isTerminalTask = (s: TaskStatus): boolean => TERMINAL_TASK.includes(s);
/** Task statuses that retryExecution runs again. */
export const RETRYABLE_TASK_STATUSES: readonly TaskStatus[] = ["FAILED", "TIMED_OUT", "CANCELLED"];
/** Task statuses that still have work ahead; cancelling an execution cancels these. */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = TASK_STATUSES.filter((s) => !isTerminalTask(s));
/**
 * Executions a checkpoint may be taken of, and restored: every status but SCHEDULED (not started, so
 * nothing to save; restoring would skip its runAt and dependsOn). A restore leaves the execution PENDING.
 */
export const CHECKPOINTABLE_EXECUTION_STATUSES: readonly ExecutionStatus[] = EXECUTION_STATUSES.filter((s) => s !== "SCHEDULED");
/** Executions whose ready task runs may be claimed. */
export const CLAIMABLE_EXECUTION_STATUSES: readonly ExecutionStatus[] = ["PENDING", "RUNNING"];

export function canTransitionExecution(from: ExecutionStatus, to: ExecutionStatus): boolean {
  return EXECUTION_NEXT[from].includes(to);
}

export function canTransitionTask(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_NEXT[from].includes(to);
}

export function assertExecutionTransition(from: ExecutionStatus, to: ExecutionStatus): void {
  if (!canTransitionExecution(from, to)) throw new InvalidTransitionError("execution", from, to);
}

export function assertTaskTransition(from: TaskStatus, to: TaskStatus): void {
  if (!canTransitionTask(from, to)) throw new InvalidTransitionError("task run", from, to);
}
