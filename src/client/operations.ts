import { graphql } from "./__generated__/gql.ts";

// The operations the client's helpers send, typed by graphql-codegen (npm run codegen) from the committed
// schema. Each mutation selects its success member and every error member of its result union through
// EngineErrorFields, which errors.ts turns into a typed exception.

export const EngineErrorFields = graphql(`
  fragment EngineErrorFields on Error {
    __typename
    message
    ... on ValidationError { field reason }
    ... on InvalidIdError { field reason value }
    ... on NotFoundError { entity entityId }
    ... on InvalidTransitionError { currentStatus requestedStatus }
    ... on CycleError { field reason cycle }
    ... on DuplicateTaskKeyError { field reason key }
    ... on UnknownDependencyError { field reason taskKey dependency }
    ... on UnknownHandlerError { field reason handler knownHandlers }
    ... on ResourceUnavailableError { field reason }
  }
`);

export const PlanFields = graphql(`
  fragment PlanFields on Plan {
    __typename
    id
    name
    description
    createdAt
    maxParallelism
    maxConcurrentExecutions
    checkpointIntervalMs
    tasks { key name handler dependsOn input fallback priority timeoutMs }
  }
`);

export const ExecutionFields = graphql(`
  fragment ExecutionFields on Execution {
    __typename
    id
    status
    priority
    params
    result
    pausing
    lastSeq
    idempotencyKey
    dependsOn
    maxParallelism
    timeoutMs
    createdAt
    runAt
    startedAt
    completedAt
    deadlineAt
    plan { id name }
    progress { percentage completedTasks totalTasks currentPhase estimatedTimeRemaining }
    error { code message taskId taskKey recoverable context timestamp }
    tasks { id key name handler status attempt output startedAt finishedAt error { code message recoverable } }
  }
`);

export const CreatePlanDocument = graphql(`
  mutation EngineCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      __typename
      ...PlanFields
      ...EngineErrorFields
    }
  }
`);

export const PlanDocument = graphql(`
  query EnginePlan($id: ID!) {
    plan(id: $id) { ...PlanFields }
  }
`);

export const ScheduleExecutionDocument = graphql(`
  mutation EngineScheduleExecution($input: ScheduleExecutionInput!) {
    scheduleExecution(input: $input) {
      __typename
      ...ExecutionFields
      ...EngineErrorFields
    }
  }
`);

export const ExecutionDocument = graphql(`
  query EngineExecution($id: ID!) {
    execution(id: $id) { ...ExecutionFields }
  }
`);

export const PauseExecutionDocument = graphql(`
  mutation EnginePauseExecution($id: ID!) {
    pauseExecution(id: $id) {
      __typename
      ...ExecutionFields
      ...EngineErrorFields
    }
  }
`);

export const ResumeExecutionDocument = graphql(`
  mutation EngineResumeExecution($id: ID!) {
    resumeExecution(id: $id) {
      __typename
      ...ExecutionFields
      ...EngineErrorFields
    }
  }
`);

export const CancelExecutionDocument = graphql(`
  mutation EngineCancelExecution($id: ID!, $reason: String) {
    cancelExecution(id: $id, reason: $reason) {
      __typename
      ...ExecutionFields
      ...EngineErrorFields
    }
  }
`);

export const RetryExecutionDocument = graphql(`
  mutation EngineRetryExecution($id: ID!) {
    retryExecution(id: $id) {
      __typename
      ...ExecutionFields
      ...EngineErrorFields
    }
  }
`);

export const CreateApiKeyDocument = graphql(`
  mutation EngineCreateApiKey($name: String!, $role: ApiRole!) {
    createApiKey(name: $name, role: $role) {
      __typename
      ... on CreateApiKeyPayload { secret apiKey { id name role prefix active createdAt } }
      ...EngineErrorFields
    }
  }
`);

export const MonitorDocument = graphql(`
  subscription EngineMonitor($executionId: ID!, $afterSeq: Int) {
    monitor(executionId: $executionId, afterSeq: $afterSeq) {
      executionId
      seq
      timestamp
      status
      progress { percentage completedTasks totalTasks currentPhase estimatedTimeRemaining }
      currentTask { taskRunId key status attempt startedAt progress }
      metrics { totalDuration effectiveDuration totalCost resourceEfficiency qualityScore successRate errorRate throughput }
      events { id seq type taskKey timestamp message status data }
      messages { seq level message taskKey timestamp context }
    }
  }
`);
