import { EXECUTION_STATUSES, PRIORITIES, TASK_STATUSES } from "../../domain/status.ts";
import { RETRY_STRATEGIES } from "../../domain/retry.ts";
import { RECOVERY_ACTIONS } from "../../domain/recovery.ts";
import { CHECKPOINT_REASONS } from "../../domain/checkpoint.ts";
import { COMPARISON_OPERATORS } from "../../domain/metrics/condition.ts";
import { EXECUTION_EVENT_TYPES } from "../../domain/updates.ts";
import { ROLES } from "../../domain/auth.ts";
import { builder } from "../builder.ts";

// Enums are tiny and always used together, so they share this file (the one exception to one-type-per-file).
export const PriorityEnum = builder.enumType("Priority", {
  description: "Claim order: CRITICAL runs first, IDLE last",
  values: PRIORITIES,
});
export const ExecutionStatusEnum = builder.enumType("ExecutionStatus", { values: EXECUTION_STATUSES });
export const TaskStatusEnum = builder.enumType("TaskStatus", { values: TASK_STATUSES });
export const ExecutionEventTypeEnum = builder.enumType("ExecutionEventType", { values: EXECUTION_EVENT_TYPES });
export const MessageLevelEnum = builder.enumType("MessageLevel", { values: ["DEBUG", "INFO", "WARNING", "ERROR"] as const });
export const RetryStrategyEnum = builder.enumType("RetryStrategy", {
  description: "Delay before retry n (n = failed attempts so far): IMMEDIATE 0; FIXED_DELAY delayMs; EXPONENTIAL_BACKOFF delayMs·2^(n−1); FIBONACCI_BACKOFF delayMs·fib(n); capped at maxDelayMs, then ± jitter",
  values: RETRY_STRATEGIES,
});
export const RecoveryActionEnum = builder.enumType("RecoveryAction", {
  description: "RETRY: apply the retry policy; SKIP: the task is SKIPPED and its dependants go on; FALLBACK: run the named fallback task in its place; ABORT: fail the execution now; CHECKPOINT_RESTORE: rewind the execution to its newest checkpoint (at most 3 times per execution; ABORT when there is none)",
  values: RECOVERY_ACTIONS,
});
export const CheckpointReasonEnum = builder.enumType("CheckpointReason", {
  description: "MANUAL: createCheckpoint; PERIODIC: the plan's checkpointIntervalMs; TASK: a handler's ctx.checkpoint(state)",
  values: CHECKPOINT_REASONS,
});
export const AlertOperatorEnum = builder.enumType("AlertOperator", {
  description: "How a metric value is compared with a threshold: value > (GT), ≥ (GTE), < (LT), ≤ (LTE) or = (EQ) threshold",
  values: COMPARISON_OPERATORS,
});
export const TriggerKindEnum = builder.enumType("TriggerKind", {
  description: "METRIC: a condition on a metric stream; WEBHOOK: POST /hooks/:triggerId with the trigger's secret",
  values: ["METRIC", "WEBHOOK"] as const,
});
export const MisfirePolicyEnum = builder.enumType("MisfirePolicy", {
  description: "When a schedule is more than a minute behind (the engine was down): SKIP the missed times, RUN_ONCE (the latest of them), RUN_ALL (each, at most 100)",
  values: ["SKIP", "RUN_ONCE", "RUN_ALL"] as const,
});
export const OverlapPolicyEnum = builder.enumType("OverlapPolicy", {
  description: "When a schedule fires while its previous execution still runs: ALLOW both; SKIP this one; QUEUE it (it depends on the previous one, so it fails if that fails); CANCEL_PREVIOUS first",
  values: ["ALLOW", "SKIP", "QUEUE", "CANCEL_PREVIOUS"] as const,
});
export const AlertSeverityEnum = builder.enumType("AlertSeverity", { values: ["INFO", "WARNING", "CRITICAL"] as const });
export const AlertStateEnum = builder.enumType("AlertState", {
  description: "FIRING: the rule's condition held for its duration; RESOLVED: the value went back past the resolve threshold",
  values: ["FIRING", "RESOLVED"] as const,
});
export const ApiRoleEnum = builder.enumType("ApiRole", {
  description: "VIEWER: queries and subscriptions; OPERATOR: + executions, alerts, metrics, resource allocations; ADMIN: + plans, schedules, triggers, resources, API keys",
  values: ROLES,
});
