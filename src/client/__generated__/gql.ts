/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment EngineErrorFields on Error {\n    __typename\n    message\n    ... on ValidationError { field reason }\n    ... on InvalidIdError { field reason value }\n    ... on NotFoundError { entity entityId }\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on CycleError { field reason cycle }\n    ... on DuplicateTaskKeyError { field reason key }\n    ... on UnknownDependencyError { field reason taskKey dependency }\n    ... on UnknownHandlerError { field reason handler knownHandlers }\n    ... on ResourceUnavailableError { field reason }\n  }\n": typeof types.EngineErrorFieldsFragmentDoc,
    "\n  fragment PlanFields on Plan {\n    __typename\n    id\n    name\n    description\n    createdAt\n    maxParallelism\n    maxConcurrentExecutions\n    checkpointIntervalMs\n    tasks { key name handler dependsOn input fallback priority timeoutMs }\n  }\n": typeof types.PlanFieldsFragmentDoc,
    "\n  fragment ExecutionFields on Execution {\n    __typename\n    id\n    status\n    priority\n    params\n    result\n    pausing\n    lastSeq\n    idempotencyKey\n    dependsOn\n    maxParallelism\n    timeoutMs\n    createdAt\n    runAt\n    startedAt\n    completedAt\n    deadlineAt\n    plan { id name }\n    progress { percentage completedTasks totalTasks currentPhase estimatedTimeRemaining }\n    error { code message taskId taskKey recoverable context timestamp }\n    tasks { id key name handler status attempt output startedAt finishedAt error { code message recoverable } }\n  }\n": typeof types.ExecutionFieldsFragmentDoc,
    "\n  mutation EngineCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ...PlanFields\n      ...EngineErrorFields\n    }\n  }\n": typeof types.EngineCreatePlanDocument,
    "\n  query EnginePlan($id: ID!) {\n    plan(id: $id) { ...PlanFields }\n  }\n": typeof types.EnginePlanDocument,
    "\n  mutation EngineScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n": typeof types.EngineScheduleExecutionDocument,
    "\n  query EngineExecution($id: ID!) {\n    execution(id: $id) { ...ExecutionFields }\n  }\n": typeof types.EngineExecutionDocument,
    "\n  mutation EnginePauseExecution($id: ID!) {\n    pauseExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n": typeof types.EnginePauseExecutionDocument,
    "\n  mutation EngineResumeExecution($id: ID!) {\n    resumeExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n": typeof types.EngineResumeExecutionDocument,
    "\n  mutation EngineCancelExecution($id: ID!, $reason: String) {\n    cancelExecution(id: $id, reason: $reason) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n": typeof types.EngineCancelExecutionDocument,
    "\n  mutation EngineRetryExecution($id: ID!) {\n    retryExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n": typeof types.EngineRetryExecutionDocument,
    "\n  mutation EngineCreateApiKey($name: String!, $role: ApiRole!) {\n    createApiKey(name: $name, role: $role) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id name role prefix active createdAt } }\n      ...EngineErrorFields\n    }\n  }\n": typeof types.EngineCreateApiKeyDocument,
    "\n  subscription EngineMonitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      timestamp\n      status\n      progress { percentage completedTasks totalTasks currentPhase estimatedTimeRemaining }\n      currentTask { taskRunId key status attempt startedAt progress }\n      metrics { totalDuration effectiveDuration totalCost resourceEfficiency qualityScore successRate errorRate throughput }\n      events { id seq type taskKey timestamp message status data }\n      messages { seq level message taskKey timestamp context }\n    }\n  }\n": typeof types.EngineMonitorDocument,
};
const documents: Documents = {
    "\n  fragment EngineErrorFields on Error {\n    __typename\n    message\n    ... on ValidationError { field reason }\n    ... on InvalidIdError { field reason value }\n    ... on NotFoundError { entity entityId }\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on CycleError { field reason cycle }\n    ... on DuplicateTaskKeyError { field reason key }\n    ... on UnknownDependencyError { field reason taskKey dependency }\n    ... on UnknownHandlerError { field reason handler knownHandlers }\n    ... on ResourceUnavailableError { field reason }\n  }\n": types.EngineErrorFieldsFragmentDoc,
    "\n  fragment PlanFields on Plan {\n    __typename\n    id\n    name\n    description\n    createdAt\n    maxParallelism\n    maxConcurrentExecutions\n    checkpointIntervalMs\n    tasks { key name handler dependsOn input fallback priority timeoutMs }\n  }\n": types.PlanFieldsFragmentDoc,
    "\n  fragment ExecutionFields on Execution {\n    __typename\n    id\n    status\n    priority\n    params\n    result\n    pausing\n    lastSeq\n    idempotencyKey\n    dependsOn\n    maxParallelism\n    timeoutMs\n    createdAt\n    runAt\n    startedAt\n    completedAt\n    deadlineAt\n    plan { id name }\n    progress { percentage completedTasks totalTasks currentPhase estimatedTimeRemaining }\n    error { code message taskId taskKey recoverable context timestamp }\n    tasks { id key name handler status attempt output startedAt finishedAt error { code message recoverable } }\n  }\n": types.ExecutionFieldsFragmentDoc,
    "\n  mutation EngineCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ...PlanFields\n      ...EngineErrorFields\n    }\n  }\n": types.EngineCreatePlanDocument,
    "\n  query EnginePlan($id: ID!) {\n    plan(id: $id) { ...PlanFields }\n  }\n": types.EnginePlanDocument,
    "\n  mutation EngineScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n": types.EngineScheduleExecutionDocument,
    "\n  query EngineExecution($id: ID!) {\n    execution(id: $id) { ...ExecutionFields }\n  }\n": types.EngineExecutionDocument,
    "\n  mutation EnginePauseExecution($id: ID!) {\n    pauseExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n": types.EnginePauseExecutionDocument,
    "\n  mutation EngineResumeExecution($id: ID!) {\n    resumeExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n": types.EngineResumeExecutionDocument,
    "\n  mutation EngineCancelExecution($id: ID!, $reason: String) {\n    cancelExecution(id: $id, reason: $reason) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n": types.EngineCancelExecutionDocument,
    "\n  mutation EngineRetryExecution($id: ID!) {\n    retryExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n": types.EngineRetryExecutionDocument,
    "\n  mutation EngineCreateApiKey($name: String!, $role: ApiRole!) {\n    createApiKey(name: $name, role: $role) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id name role prefix active createdAt } }\n      ...EngineErrorFields\n    }\n  }\n": types.EngineCreateApiKeyDocument,
    "\n  subscription EngineMonitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      timestamp\n      status\n      progress { percentage completedTasks totalTasks currentPhase estimatedTimeRemaining }\n      currentTask { taskRunId key status attempt startedAt progress }\n      metrics { totalDuration effectiveDuration totalCost resourceEfficiency qualityScore successRate errorRate throughput }\n      events { id seq type taskKey timestamp message status data }\n      messages { seq level message taskKey timestamp context }\n    }\n  }\n": types.EngineMonitorDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EngineErrorFields on Error {\n    __typename\n    message\n    ... on ValidationError { field reason }\n    ... on InvalidIdError { field reason value }\n    ... on NotFoundError { entity entityId }\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on CycleError { field reason cycle }\n    ... on DuplicateTaskKeyError { field reason key }\n    ... on UnknownDependencyError { field reason taskKey dependency }\n    ... on UnknownHandlerError { field reason handler knownHandlers }\n    ... on ResourceUnavailableError { field reason }\n  }\n"): (typeof documents)["\n  fragment EngineErrorFields on Error {\n    __typename\n    message\n    ... on ValidationError { field reason }\n    ... on InvalidIdError { field reason value }\n    ... on NotFoundError { entity entityId }\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on CycleError { field reason cycle }\n    ... on DuplicateTaskKeyError { field reason key }\n    ... on UnknownDependencyError { field reason taskKey dependency }\n    ... on UnknownHandlerError { field reason handler knownHandlers }\n    ... on ResourceUnavailableError { field reason }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PlanFields on Plan {\n    __typename\n    id\n    name\n    description\n    createdAt\n    maxParallelism\n    maxConcurrentExecutions\n    checkpointIntervalMs\n    tasks { key name handler dependsOn input fallback priority timeoutMs }\n  }\n"): (typeof documents)["\n  fragment PlanFields on Plan {\n    __typename\n    id\n    name\n    description\n    createdAt\n    maxParallelism\n    maxConcurrentExecutions\n    checkpointIntervalMs\n    tasks { key name handler dependsOn input fallback priority timeoutMs }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExecutionFields on Execution {\n    __typename\n    id\n    status\n    priority\n    params\n    result\n    pausing\n    lastSeq\n    idempotencyKey\n    dependsOn\n    maxParallelism\n    timeoutMs\n    createdAt\n    runAt\n    startedAt\n    completedAt\n    deadlineAt\n    plan { id name }\n    progress { percentage completedTasks totalTasks currentPhase estimatedTimeRemaining }\n    error { code message taskId taskKey recoverable context timestamp }\n    tasks { id key name handler status attempt output startedAt finishedAt error { code message recoverable } }\n  }\n"): (typeof documents)["\n  fragment ExecutionFields on Execution {\n    __typename\n    id\n    status\n    priority\n    params\n    result\n    pausing\n    lastSeq\n    idempotencyKey\n    dependsOn\n    maxParallelism\n    timeoutMs\n    createdAt\n    runAt\n    startedAt\n    completedAt\n    deadlineAt\n    plan { id name }\n    progress { percentage completedTasks totalTasks currentPhase estimatedTimeRemaining }\n    error { code message taskId taskKey recoverable context timestamp }\n    tasks { id key name handler status attempt output startedAt finishedAt error { code message recoverable } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EngineCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ...PlanFields\n      ...EngineErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation EngineCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ...PlanFields\n      ...EngineErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EnginePlan($id: ID!) {\n    plan(id: $id) { ...PlanFields }\n  }\n"): (typeof documents)["\n  query EnginePlan($id: ID!) {\n    plan(id: $id) { ...PlanFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EngineScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation EngineScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EngineExecution($id: ID!) {\n    execution(id: $id) { ...ExecutionFields }\n  }\n"): (typeof documents)["\n  query EngineExecution($id: ID!) {\n    execution(id: $id) { ...ExecutionFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnginePauseExecution($id: ID!) {\n    pauseExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation EnginePauseExecution($id: ID!) {\n    pauseExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EngineResumeExecution($id: ID!) {\n    resumeExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation EngineResumeExecution($id: ID!) {\n    resumeExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EngineCancelExecution($id: ID!, $reason: String) {\n    cancelExecution(id: $id, reason: $reason) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation EngineCancelExecution($id: ID!, $reason: String) {\n    cancelExecution(id: $id, reason: $reason) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EngineRetryExecution($id: ID!) {\n    retryExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation EngineRetryExecution($id: ID!) {\n    retryExecution(id: $id) {\n      __typename\n      ...ExecutionFields\n      ...EngineErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EngineCreateApiKey($name: String!, $role: ApiRole!) {\n    createApiKey(name: $name, role: $role) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id name role prefix active createdAt } }\n      ...EngineErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation EngineCreateApiKey($name: String!, $role: ApiRole!) {\n    createApiKey(name: $name, role: $role) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id name role prefix active createdAt } }\n      ...EngineErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EngineMonitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      timestamp\n      status\n      progress { percentage completedTasks totalTasks currentPhase estimatedTimeRemaining }\n      currentTask { taskRunId key status attempt startedAt progress }\n      metrics { totalDuration effectiveDuration totalCost resourceEfficiency qualityScore successRate errorRate throughput }\n      events { id seq type taskKey timestamp message status data }\n      messages { seq level message taskKey timestamp context }\n    }\n  }\n"): (typeof documents)["\n  subscription EngineMonitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      timestamp\n      status\n      progress { percentage completedTasks totalTasks currentPhase estimatedTimeRemaining }\n      currentTask { taskRunId key status attempt startedAt progress }\n      metrics { totalDuration effectiveDuration totalCost resourceEfficiency qualityScore successRate errorRate throughput }\n      events { id seq type taskKey timestamp message status data }\n      messages { seq level message taskKey timestamp context }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;