import { EXECUTION_STATUSES, PRIORITIES, TASK_STATUSES } from "../../domain/status.ts";
import { RETRY_STRATEGIES } from "../../domain/retry.ts";
import { RECOVERY_ACTIONS } from "../../domain/recovery.ts";
import { CHECKPOINT_REASONS } from "../../domain/checkpoint.ts";
import { COMPARISON_OPERATORS } from "../../domain/metrics/condition.ts";
import { EXECUTION_EVENT_TYPES } from "../../domain/updates.ts";
import { ROLES } from "../../domain/auth.ts";
import { builder } from "../builder.ts";

// Enums are tiny and always used together, so they share this file (the one exception to one-type-per-file).
// Each value is described here, keyed by the domain's list, so a value added there without a description
// fails to type-check.

/** Pothos `values` from a domain list and a description per value. */
const described = <V extends string>(values: readonly V[], descriptions: Record<V, string>) =>
  Object.fromEntries(values.map((v) => [v, { description: descriptions[v] }])) as Record<V, { description: string }>;

export const PriorityEnum = builder.enumType("Priority", {
  description: "Claim order: CRITICAL runs first, IDLE last. A ready task climbs one level per AGING_STEP_MS it waits (default 60000 ms), so lower priorities are delayed, never starved.",
  values: described(PRIORITIES, {
    CRITICAL: "Claimed first.",
    HIGH: "Claimed after CRITICAL.",
    NORMAL: "The default.",
    LOW: "Claimed after NORMAL.",
    IDLE: "Claimed last.",
  }),
});
export const ExecutionStatusEnum = builder.enumType("ExecutionStatus", {
  description: "Where an execution is in its life; COMPLETED, FAILED and CANCELLED are ends (retryExecution and restoreFromCheckpoint reopen them).",
  values: described(EXECUTION_STATUSES, {
    SCHEDULED: "Created, waiting for its runAt and for the executions it depends on to complete.",
    PENDING: "Due: its ready tasks wait for a worker, and none has started since it was created, retried or restored.",
    RUNNING: "Its tasks are being run (one has started); not paused, not ended.",
    PAUSED: "Paused: no task runs and its timers (timeout, retry delays) are frozen until resumeExecution.",
    COMPLETED: "Every task completed (or was skipped, or replaced by a fallback that completed).",
    FAILED: "A task failed with no recovery left, it timed out, or an execution it depends on failed or was cancelled.",
    CANCELLED: "Cancelled by cancelExecution, or by a schedule's CANCEL_PREVIOUS overlap policy.",
  }),
});
export const TaskStatusEnum = builder.enumType("TaskStatus", {
  description: "Where a task run is; COMPLETED, FAILED, TIMED_OUT, SKIPPED and CANCELLED are ends (retryExecution reruns FAILED, TIMED_OUT and CANCELLED ones).",
  values: described(TASK_STATUSES, {
    WAITING: "Its dependencies have not all completed yet (a fallback task waits here until a FALLBACK rule invokes it).",
    READY: "May run: waits for a worker, its execution's and plan's concurrency limits, and its resources.",
    RUNNING: "An attempt runs on a worker, under a lease the worker renews.",
    RETRYING: "An attempt failed and the retry policy allows another, due at nextAttemptAt.",
    COMPLETED: "The handler returned; its output is stored.",
    FAILED: "The last attempt failed and no retry or recovery rule took over.",
    TIMED_OUT: "The last attempt ran longer than the task's timeoutMs.",
    SKIPPED: "A SKIP recovery rule skipped it after a failure (its dependants go on), or it is a fallback task nothing invoked before the execution completed.",
    CANCELLED: "Its execution was cancelled or failed before it could end.",
  }),
});
export const ExecutionEventTypeEnum = builder.enumType("ExecutionEventType", {
  description: "What an ExecutionEvent records.",
  values: described(EXECUTION_EVENT_TYPES, {
    EXECUTION_SCHEDULED: "The execution was created (the first event of every execution).",
    EXECUTION_QUEUED: "A SCHEDULED execution became due (runAt passed, dependencies completed): PENDING.",
    EXECUTION_STARTED: "A task started while the execution was PENDING (its first, or the first after a retry or restore): RUNNING.",
    EXECUTION_PAUSE_REQUESTED: "A pause was requested while tasks run: no new task starts, and it becomes PAUSED once they end.",
    EXECUTION_COMPLETED: "Every task is done: COMPLETED.",
    EXECUTION_FAILED: "It failed: a task without recovery left, its timeout, or a failed dependency.",
    EXECUTION_PAUSED: "No task runs any more and its timers froze: PAUSED.",
    EXECUTION_RESUMED: "A paused execution runs again, or a pause request was withdrawn (resumeExecution).",
    EXECUTION_CANCELLED: "It was cancelled: CANCELLED.",
    EXECUTION_RETRIED: "Its failed, timed-out and cancelled tasks run again (retryExecution; data.tasks lists them): PENDING.",
    TASK_STARTED: "A worker started an attempt of the task (data: attempt, worker).",
    TASK_COMPLETED: "The task completed.",
    TASK_FAILED: "An attempt of the task failed or timed out (data: status, code, attempt); RECOVERY_INITIATED says what follows.",
    TASK_RETRYING: "The task will be tried again (data: delayMs, nextAttemptAt, retry).",
    TASK_SKIPPED: "A SKIP recovery rule skipped the failed task.",
    TASK_RELEASED: "A stopping worker handed the running task back: READY again, the attempt not counted.",
    RESOURCE_ALLOCATED: "The task took its resources as it started (data.allocations).",
    RESOURCE_RELEASED: "Resources the task held were released (data: reason, allocations).",
    CHECKPOINT_CREATED: "A checkpoint was saved (MANUAL, PERIODIC or TASK).",
    RECOVERY_INITIATED: "What follows a failed attempt (data: action, reason, rule), or a restore from a checkpoint.",
    ALERT_TRIGGERED: "An alert rule fired on one of its samples (data: alertId, ruleId, metric, value, severity).",
    ALERT_RESOLVED: "An alert of this execution resolved.",
  }),
});
export const MessageLevelEnum = builder.enumType("MessageLevel", {
  description: "Severity of an ExecutionMessage.",
  values: described(["DEBUG", "INFO", "WARNING", "ERROR"] as const, {
    DEBUG: "Detail for debugging.",
    INFO: "Normal progress.",
    WARNING: "Something unexpected that did not stop the task.",
    ERROR: "A failure (every failed attempt logs its error at this level).",
  }),
});
export const RetryStrategyEnum = builder.enumType("RetryStrategy", {
  description: "Delay before retry n (n = failed attempts so far): IMMEDIATE 0; FIXED_DELAY delayMs; EXPONENTIAL_BACKOFF delayMs·2^(n−1); FIBONACCI_BACKOFF delayMs·fib(n); capped at maxDelayMs, then ± jitter.",
  values: described(RETRY_STRATEGIES, {
    NONE: "Never retry (the default): the first failure is final unless a recovery rule says otherwise.",
    IMMEDIATE: "Retry at once.",
    FIXED_DELAY: "Wait delayMs before every retry.",
    EXPONENTIAL_BACKOFF: "Wait delayMs, then twice as long each time: delayMs·2^(n−1).",
    FIBONACCI_BACKOFF: "Wait delayMs·fib(n): 1, 1, 2, 3, 5… times delayMs.",
  }),
});
export const RecoveryActionEnum = builder.enumType("RecoveryAction", {
  description: "What a recovery rule does when a task fails with its error code.",
  values: described(RECOVERY_ACTIONS, {
    RETRY: "Apply the retry policy (only to recoverable failures, while retries are left); otherwise ABORT.",
    SKIP: "The task is SKIPPED and its dependants go on.",
    FALLBACK: "Run the rule's fallbackTask in its place; its output stands in for this task's.",
    ABORT: "Fail the execution now.",
    CHECKPOINT_RESTORE: "Rewind the execution to its newest checkpoint (at most 3 times per execution; ABORT when there is none).",
  }),
});
export const CheckpointReasonEnum = builder.enumType("CheckpointReason", {
  description: "Why a checkpoint was taken.",
  values: described(CHECKPOINT_REASONS, {
    MANUAL: "The createCheckpoint mutation.",
    PERIODIC: "The plan's checkpointIntervalMs.",
    TASK: "A handler's ctx.checkpoint(state).",
  }),
});
export const AlertOperatorEnum = builder.enumType("AlertOperator", {
  description: "How a metric value is compared with a threshold.",
  values: described(COMPARISON_OPERATORS, {
    GT: "Value > threshold.",
    GTE: "Value ≥ threshold.",
    LT: "Value < threshold.",
    LTE: "Value ≤ threshold.",
    EQ: "Value = threshold (exactly).",
  }),
});
export const TriggerKindEnum = builder.enumType("TriggerKind", {
  description: "What starts a trigger's executions.",
  values: described(["METRIC", "WEBHOOK"] as const, {
    METRIC: "A condition on a metric stream (reportMetrics, ctx.metric, built-in streams), fired once per crossing.",
    WEBHOOK: "POST /hooks/:triggerId, signed with the trigger's secret.",
  }),
});
export const MisfirePolicyEnum = builder.enumType("MisfirePolicy", {
  description: "What a schedule does with due times missed by more than a minute (the engine was down).",
  values: described(["SKIP", "RUN_ONCE", "RUN_ALL"] as const, {
    SKIP: "Skip the missed times.",
    RUN_ONCE: "Run once, for the latest missed time (the default).",
    RUN_ALL: "Run each missed time (the latest 100 at most).",
  }),
});
export const OverlapPolicyEnum = builder.enumType("OverlapPolicy", {
  description: "What a schedule does when a due time comes while its previous execution has not ended.",
  values: described(["ALLOW", "SKIP", "QUEUE", "CANCEL_PREVIOUS"] as const, {
    ALLOW: "Start the new one anyway (the default).",
    SKIP: "Skip this due time.",
    QUEUE: "Start it depending on the previous one: it runs after that completes, and fails if that fails.",
    CANCEL_PREVIOUS: "Cancel the previous one, then start the new one.",
  }),
});
export const AlertSeverityEnum = builder.enumType("AlertSeverity", {
  description: "How urgent an alert rule's alerts are; a label for people and webhooks, evaluation ignores it.",
  values: described(["INFO", "WARNING", "CRITICAL"] as const, {
    INFO: "For information.",
    WARNING: "Needs attention (the default).",
    CRITICAL: "Needs attention now.",
  }),
});
export const AlertStateEnum = builder.enumType("AlertState", {
  description: "Whether an alert is still firing.",
  values: described(["FIRING", "RESOLVED"] as const, {
    FIRING: "The rule's condition held for its duration and the value has not gone back past the resolve threshold.",
    RESOLVED: "The value went back past the resolve threshold (resolvedAt says when).",
  }),
});
export const ApiRoleEnum = builder.enumType("ApiRole", {
  description: "What an API key may do; each role includes the ones below it.",
  values: described(ROLES, {
    VIEWER: "Queries and subscriptions.",
    OPERATOR: "VIEWER, plus executions (schedule, control, checkpoints), alerts, metrics and resource allocations.",
    ADMIN: "OPERATOR, plus plans, schedules, triggers, resource pools, rate limits and API keys.",
  }),
});
