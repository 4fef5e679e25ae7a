import { InvalidTransitionError } from "./errors.ts";

// The state machines of executions and task runs; the only place that knows which status follows which.

export const EXECUTION_STATUSES = ["SCHEDULED", "PENDING", "RUNNING", "PAUSED", "COMPLETED", "FAILED", "CANCELLED"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const TASK_STATUSES = ["WAITING", "READY", "RUNNING", "RETRYING", "COMPLETED", "FAILED", "TIMED_OUT", "SKIPPED", "CANCELLED"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PRIORITIES = ["CRITICAL", "HIGH", "NORMAL", "LOW", "IDLE"] as const;
export type Priority = (typeof PRIORITIES)[number];

const EXECUTION_NEXT: Record<ExecutionStatus, readonly ExecutionStatus[]> = {
  SCHEDULED: ["PENDING", "CANCELLED"],
  PENDING: ["RUNNING", "PAUSED", "CANCELLED", "FAILED"],
  RUNNING: ["COMPLETED", "FAILED", "PAUSED", "CANCELLED"],
  PAUSED: ["RUNNING", "PENDING", "CANCELLED"],
  COMPLETED: [],
  FAILED: [],
  CANCELLED: [],
};

const TASK_NEXT: Record<TaskStatus, readonly TaskStatus[]> = {
  WAITING: ["READY", "SKIPPED", "CANCELLED"],
  READY: ["RUNNING", "CANCELLED"],
  // RUNNING → READY: the worker released the run (shutdown) or its lease expired.
  RUNNING: ["COMPLETED", "FAILED", "TIMED_OUT", "RETRYING", "READY", "CANCELLED"],
  RETRYING: ["READY", "CANCELLED"],
  COMPLETED: [],
  FAILED: [],
  TIMED_OUT: [],
  SKIPPED: [],
  CANCELLED: [],
};

export const isTerminalExecution = (s: ExecutionStatus): boolean => EXECUTION_NEXT[s].length === 0;
export const isTerminalTask = (s: TaskStatus): boolean => TASK_NEXT[s].length === 0;
/** Task statuses that still have work ahead; cancelling an execution cancels these. */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = TASK_STATUSES.filter((s) => !isTerminalTask(s));
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
