/* eslint-disable */
// Generated from schema/schema.graphql by `npm run codegen` (codegen.ts); do not edit.
/** Object types of each interface and union: pass as `possibleTypes` to Apollo's InMemoryCache or urql's cacheExchange. */
export const possibleTypes: { [abstractType: string]: string[] } = {
  "Error": [
    "CycleError",
    "DuplicateTaskKeyError",
    "InvalidIdError",
    "InvalidTransitionError",
    "NotFoundError",
    "ResourceUnavailableError",
    "UnknownDependencyError",
    "UnknownHandlerError",
    "ValidationError"
  ],
  "MutationAcknowledgeAlertResult": [
    "Alert",
    "InvalidIdError",
    "NotFoundError"
  ],
  "MutationAllocateResourcesResult": [
    "MutationAllocateResourcesSuccess",
    "ResourceUnavailableError",
    "ValidationError"
  ],
  "MutationCancelExecutionResult": [
    "Execution",
    "InvalidIdError",
    "InvalidTransitionError",
    "NotFoundError",
    "ValidationError"
  ],
  "MutationCreateApiKeyResult": [
    "CreateApiKeyPayload",
    "ValidationError"
  ],
  "MutationCreateCheckpointResult": [
    "Checkpoint",
    "InvalidIdError",
    "InvalidTransitionError",
    "NotFoundError"
  ],
  "MutationCreatePlanResult": [
    "CycleError",
    "DuplicateTaskKeyError",
    "Plan",
    "UnknownDependencyError",
    "UnknownHandlerError",
    "ValidationError"
  ],
  "MutationCreateResourceResult": [
    "Resource",
    "ValidationError"
  ],
  "MutationCreateScheduleResult": [
    "InvalidIdError",
    "NotFoundError",
    "Schedule",
    "ValidationError"
  ],
  "MutationCreateTriggerResult": [
    "CreateTriggerPayload",
    "InvalidIdError",
    "NotFoundError",
    "ValidationError"
  ],
  "MutationDeleteScheduleResult": [
    "InvalidIdError",
    "NotFoundError",
    "Schedule",
    "ValidationError"
  ],
  "MutationDeleteTriggerResult": [
    "DeleteTriggerPayload",
    "InvalidIdError",
    "NotFoundError"
  ],
  "MutationPauseExecutionResult": [
    "Execution",
    "InvalidIdError",
    "InvalidTransitionError",
    "NotFoundError"
  ],
  "MutationReleaseResourcesResult": [
    "InvalidIdError",
    "MutationReleaseResourcesSuccess",
    "NotFoundError",
    "ValidationError"
  ],
  "MutationRemoveAlertResult": [
    "InvalidIdError",
    "NotFoundError",
    "RemoveAlertPayload"
  ],
  "MutationRemoveRateLimitResult": [
    "NotFoundError",
    "RemoveRateLimitPayload",
    "ValidationError"
  ],
  "MutationReportMetricsResult": [
    "ReportMetricsPayload",
    "ValidationError"
  ],
  "MutationRestoreFromCheckpointResult": [
    "Execution",
    "InvalidIdError",
    "InvalidTransitionError",
    "NotFoundError"
  ],
  "MutationResumeExecutionResult": [
    "Execution",
    "InvalidIdError",
    "InvalidTransitionError",
    "NotFoundError"
  ],
  "MutationRetryExecutionResult": [
    "Execution",
    "InvalidIdError",
    "InvalidTransitionError",
    "NotFoundError"
  ],
  "MutationRevokeApiKeyResult": [
    "ApiKey",
    "InvalidIdError",
    "NotFoundError"
  ],
  "MutationScheduleExecutionResult": [
    "Execution",
    "InvalidIdError",
    "NotFoundError",
    "ValidationError"
  ],
  "MutationSetAlertResult": [
    "AlertRule",
    "InvalidIdError",
    "NotFoundError",
    "ValidationError"
  ],
  "MutationSetRateLimitResult": [
    "RateLimit",
    "ValidationError"
  ],
  "MutationSetScheduleEnabledResult": [
    "InvalidIdError",
    "NotFoundError",
    "Schedule",
    "ValidationError"
  ],
  "MutationSetTriggerEnabledResult": [
    "InvalidIdError",
    "NotFoundError",
    "Trigger"
  ],
  "MutationTriggerScheduleResult": [
    "Execution",
    "InvalidIdError",
    "NotFoundError",
    "ValidationError"
  ],
  "MutationUpdateResourceResult": [
    "InvalidIdError",
    "NotFoundError",
    "Resource",
    "ValidationError"
  ],
  "MutationUpdateScheduleResult": [
    "InvalidIdError",
    "NotFoundError",
    "Schedule",
    "ValidationError"
  ],
  "Node": [
    "Alert",
    "AlertRule",
    "ApiKey",
    "Checkpoint",
    "Execution",
    "ExecutionEvent",
    "Plan",
    "Resource",
    "ResourceAllocation",
    "Schedule",
    "TaskRun",
    "Trigger"
  ]
};
