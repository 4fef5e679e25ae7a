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
    "\n  mutation AlertsSet($input: SetAlertInput!) {\n    setAlert(input: $input) {\n      __typename\n      ... on AlertRule { id metric durationMs resolveThreshold severity }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n": typeof types.AlertsSetDocument,
    "\n  mutation AlertsRemove($id: ID!) {\n    removeAlert(id: $id) { __typename ... on RemoveAlertPayload { removedAlertRuleId } ... on Error { message } }\n  }\n": typeof types.AlertsRemoveDocument,
    "\n  mutation AlertsReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) { __typename ... on ReportMetricsPayload { accepted } ... on Error { message } }\n  }\n": typeof types.AlertsReportDocument,
    "\n  query AlertsList($filter: AlertFilter) {\n    alerts(filter: $filter, first: 50) {\n      edges { node { id state value message severity triggeredAt resolvedAt acknowledgedAt executionId rule { id } deliveries { kind attempt status error deliveredAt nextAttemptAt } } }\n    }\n  }\n": typeof types.AlertsListDocument,
    "\n  mutation AlertsAck($id: ID!) {\n    acknowledgeAlert(id: $id) { __typename ... on Alert { id acknowledgedAt } ... on Error { message } }\n  }\n": typeof types.AlertsAckDocument,
    "\n  subscription AlertsLive($executionId: ID, $planId: ID) {\n    alertTriggered(executionId: $executionId, planId: $planId) { id state value severity executionId rule { id metric } }\n  }\n": typeof types.AlertsLiveDocument,
    "\n  mutation AlertsCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n": typeof types.AlertsCreatePlanDocument,
    "\n  mutation AlertsSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n": typeof types.AlertsScheduleDocument,
    "\n  mutation ApolloCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id name }\n      ... on Error { message }\n    }\n  }\n": typeof types.ApolloCreatePlanDocument,
    "\n  mutation ApolloScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status }\n      ... on Error { message }\n    }\n  }\n": typeof types.ApolloScheduleExecutionDocument,
    "\n  query ApolloPlansPage($first: Int!, $after: String) {\n    plans(first: $first, after: $after) {\n      edges { cursor node { id name } }\n      pageInfo { endCursor hasNextPage }\n    }\n  }\n": typeof types.ApolloPlansPageDocument,
    "\n  query ApolloNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Node { id }\n      ... on Plan { name }\n    }\n  }\n": typeof types.ApolloNodeDocument,
    "\n  subscription ApolloMonitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      status\n      progress { percentage completedTasks totalTasks }\n      events { id seq type taskKey }\n    }\n  }\n": typeof types.ApolloMonitorDocument,
    "\n  mutation BusSetAlert($input: SetAlertInput!) {\n    setAlert(input: $input) { __typename ... on AlertRule { id } ... on Error { message } }\n  }\n": typeof types.BusSetAlertDocument,
    "\n  mutation BusReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) { __typename ... on ReportMetricsPayload { accepted } ... on Error { message } }\n  }\n": typeof types.BusReportDocument,
    "\n  subscription BusAlerts {\n    alertTriggered { id state value severity message }\n  }\n": typeof types.BusAlertsDocument,
    "\n  mutation BusCreateKey($name: String!, $role: ApiRole!) {\n    createApiKey(name: $name, role: $role) { __typename ... on CreateApiKeyPayload { secret apiKey { id } } ... on Error { message } }\n  }\n": typeof types.BusCreateKeyDocument,
    "\n  fragment CpCheckpoint on Checkpoint {\n    id seq reason createdAt completedTasks taskStates variables resourceAllocations\n    execution { id }\n  }\n": typeof types.CpCheckpointFragmentDoc,
    "\n  fragment CpError on Error {\n    message\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on InvalidIdError { field value }\n    ... on NotFoundError { entity entityId }\n  }\n": typeof types.CpErrorFragmentDoc,
    "mutation CpCreate($id: ID!) { createCheckpoint(executionId: $id) { __typename ...CpCheckpoint ...CpError } }": typeof types.CpCreateDocument,
    "\n  mutation CpRestore($id: ID!) {\n    restoreFromCheckpoint(checkpointId: $id) { __typename ... on Execution { id status completedAt result error { code } } ...CpError }\n  }\n": typeof types.CpRestoreDocument,
    "mutation CpCancel($id: ID!) { cancelExecution(id: $id) { __typename } }": typeof types.CpCancelDocument,
    "query CpPlan($id: ID!) { plan(id: $id) { checkpointIntervalMs } }": typeof types.CpPlanDocument,
    "\n  query CpDetails($id: ID!) {\n    execution(id: $id) {\n      id status lastSeq startedAt completedAt result error { code message }\n      tasks { key status attempt startedAt finishedAt output state attempts { attempt status error { code message } } }\n      timeline(first: 200) { edges { node { seq type taskKey status message data } } }\n      checkpoints(first: 20) { edges { node { ...CpCheckpoint } } }\n    }\n  }\n": typeof types.CpDetailsDocument,
    "fragment CtlExecution on Execution { id status pausing lastSeq deadlineAt error { code message } }": typeof types.CtlExecutionFragmentDoc,
    "\n  fragment CtlError on Error {\n    message\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on InvalidIdError { field value }\n    ... on NotFoundError { entity entityId }\n  }\n": typeof types.CtlErrorFragmentDoc,
    "mutation CtlPause($id: ID!) { pauseExecution(id: $id) { __typename ...CtlExecution ...CtlError } }": typeof types.CtlPauseDocument,
    "mutation CtlResume($id: ID!) { resumeExecution(id: $id) { __typename ...CtlExecution ...CtlError } }": typeof types.CtlResumeDocument,
    "mutation CtlRetry($id: ID!) { retryExecution(id: $id) { __typename ...CtlExecution ...CtlError } }": typeof types.CtlRetryDocument,
    "mutation CtlCancel($id: ID!, $reason: String) { cancelExecution(id: $id, reason: $reason) { __typename ...CtlExecution ...CtlError } }": typeof types.CtlCancelDocument,
    "\n  query CtlDetails($id: ID!) {\n    execution(id: $id) {\n      ...CtlExecution\n      result\n      tasks { key status attempt startedAt finishedAt nextAttemptAt output attempts { attempt status startedAt finishedAt } }\n      timeline(first: 200) { edges { node { seq type taskKey timestamp status } } }\n    }\n  }\n": typeof types.CtlDetailsDocument,
    "\n  query Workers($includeStopped: Boolean) {\n    workers(includeStopped: $includeStopped) { id hostname pid concurrency running startedAt lastHeartbeatAt stoppedAt alive }\n  }\n": typeof types.WorkersDocument,
    "mutation EmbeddedPool($input: CreateResourceInput!) { createResource(input: $input) { __typename ... on Resource { id } } }": typeof types.EmbeddedPoolDocument,
    "mutation EmbeddedSchedule($input: CreateScheduleInput!) { createSchedule(input: $input) { __typename ... on Schedule { id } ... on Error { message } } }": typeof types.EmbeddedScheduleDocument,
    "query EmbeddedHistory($id: ID!) { schedule(id: $id) { history(first: 100) { edges { node { status } } } } engineStats { executionsByStatus { status count } } }": typeof types.EmbeddedHistoryDocument,
    "\n  query EmbeddedUsage($execution: ID!, $resource: ID!) {\n    execution(id: $execution) {\n      status\n      resourceUsage(first: 10) { edges { node { taskKey startTime endTime } } }\n      timeline(first: 100) { edges { node { type taskKey } } }\n    }\n    resource(id: $resource) { allocated }\n  }\n": typeof types.EmbeddedUsageDocument,
    "\n  mutation HandlersCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n      ... on UnknownHandlerError { field knownHandlers }\n    }\n  }\n": typeof types.HandlersCreatePlanDocument,
    "\n  mutation HandlersSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n": typeof types.HandlersScheduleDocument,
    "\n  query HandlersExecution($id: ID!, $level: [MessageLevel!], $taskKey: String) {\n    execution(id: $id) {\n      status\n      result\n      error { code message taskKey recoverable context }\n      currentTask { key progress phase }\n      metrics { totalCost }\n      progress { estimatedTimeRemaining percentage }\n      tasks { key status attempt output metrics }\n      messages(first: 100, level: $level, taskKey: $taskKey) { edges { node { level message taskKey } } }\n    }\n  }\n": typeof types.HandlersExecutionDocument,
    "\n  mutation PoolSetRateLimit($input: SetRateLimitInput!) {\n    setRateLimit(input: $input) {\n      __typename\n      ... on RateLimit { name requests windowMs createdAt updatedAt }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n": typeof types.PoolSetRateLimitDocument,
    "\n  mutation PoolRemoveRateLimit($name: String!) {\n    removeRateLimit(name: $name) {\n      __typename\n      ... on RemoveRateLimitPayload { removedName }\n      ... on Error { message }\n      ... on NotFoundError { entity entityId }\n    }\n  }\n": typeof types.PoolRemoveRateLimitDocument,
    "\n  query PoolRateLimits {\n    rateLimits { name requests windowMs }\n  }\n": typeof types.PoolRateLimitsDocument,
    "\n  mutation PoolCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id }\n      ... on Error { message }\n    }\n  }\n": typeof types.PoolCreatePlanDocument,
    "\n  mutation PoolSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n": typeof types.PoolScheduleDocument,
    "\n  query PoolExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      error { code message taskKey recoverable context }\n      tasks { key status attempt output attempts { worker } }\n      messages(first: 100) { edges { node { level message taskKey } } }\n    }\n  }\n": typeof types.PoolExecutionDocument,
    "\n  mutation StreamsCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n": typeof types.StreamsCreatePlanDocument,
    "\n  mutation StreamsSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n": typeof types.StreamsScheduleDocument,
    "\n  query StreamsSeries($id: ID!, $metric: String!, $since: DateTime, $limit: Int) {\n    execution(id: $id) { status metricSeries(metric: $metric, since: $since, limit: $limit) { timestamp value labels } }\n  }\n": typeof types.StreamsSeriesDocument,
    "\n  mutation CreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id name tasks { key handler dependsOn } }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n      ... on CycleError { field cycle }\n      ... on DuplicateTaskKeyError { field key }\n      ... on UnknownDependencyError { field taskKey dependency }\n      ... on UnknownHandlerError { field handler knownHandlers }\n    }\n  }\n": typeof types.CreatePlanDocument,
    "\n  mutation ScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status lastSeq }\n      ... on Error { message }\n      ... on InvalidIdError { field value }\n      ... on ValidationError { field reason }\n      ... on NotFoundError { entity entityId }\n    }\n  }\n": typeof types.ScheduleExecutionDocument,
    "\n  subscription Monitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      timestamp\n      status\n      progress { percentage completedTasks totalTasks estimatedTimeRemaining currentPhase }\n      currentTask { taskRunId key status attempt startedAt progress }\n      metrics { totalDuration effectiveDuration totalCost resourceEfficiency qualityScore successRate errorRate throughput }\n      events { id seq type taskKey timestamp message status data }\n      messages { level message taskKey }\n    }\n  }\n": typeof types.MonitorDocument,
    "\n  query ExecutionDetails($id: ID!) {\n    execution(id: $id) {\n      id\n      status\n      result\n      error { code message taskId taskKey recoverable }\n      progress { percentage completedTasks totalTasks }\n      tasks { key status attempt startedAt finishedAt output error { code message } }\n      timeline(first: 100) { edges { node { seq type taskKey timestamp status } } pageInfo { hasNextPage } }\n      messages(first: 100) { edges { node { seq level message taskKey } } }\n    }\n  }\n": typeof types.ExecutionDetailsDocument,
    "\n  query Timelines($first: Int!) {\n    executions(first: $first) {\n      edges {\n        node {\n          id\n          status\n          plan { name }\n          tasks { key status }\n          timeline(first: 50) { edges { node { seq type taskKey } } }\n        }\n      }\n    }\n  }\n": typeof types.TimelinesDocument,
    "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Plan { name }\n      ... on Execution { status }\n    }\n  }\n": typeof types.NodeDocument,
    "\n  query Lists($planId: ID, $status: [ExecutionStatus!]) {\n    plans(first: 10) { edges { node { id name } } }\n    executions(first: 10, filter: { planId: $planId, status: $status }) { edges { node { id status } } }\n  }\n": typeof types.ListsDocument,
    "\n  query PlanById($id: ID!) {\n    plan(id: $id) {\n      id\n      name\n      tasks { key handler dependsOn priority timeoutMs }\n      executions(first: 5) { edges { node { id status } } }\n    }\n  }\n": typeof types.PlanByIdDocument,
    "mutation ApqCreate($input: CreatePlanInput!) { createPlan(input: $input) { __typename ... on Plan { id name } } }": typeof types.ApqCreateDocument,
    "query ApqPlans { plans(first: 5) { edges { node { id name } } } }": typeof types.ApqPlansDocument,
    "query Off { __typename }": typeof types.OffDocument,
    "\n  mutation RecoveryCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id tasks { key fallback recovery { on action fallbackTask } } }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n": typeof types.RecoveryCreatePlanDocument,
    "\n  mutation RecoverySchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n": typeof types.RecoveryScheduleDocument,
    "\n  query RecoveryExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      result\n      startedAt\n      completedAt\n      error { code message taskId taskKey timestamp recoverable context }\n      tasks {\n        id\n        key\n        status\n        attempt\n        fallback\n        replacedBy\n        output\n        error { code message taskId taskKey timestamp recoverable context }\n        attempts { attempt status error { code } }\n      }\n      timeline(first: 100) { edges { node { type taskKey message data } } }\n    }\n  }\n": typeof types.RecoveryExecutionDocument,
    "mutation ContentionPool($input: CreateResourceInput!) { createResource(input: $input) { __typename } }": typeof types.ContentionPoolDocument,
    "\n  mutation ContentionHold($requirements: [ResourceRequirementInput!]!) {\n    allocateResources(requirements: $requirements, leaseMs: 2000) { __typename ... on MutationAllocateResourcesSuccess { data { id } } }\n  }\n": typeof types.ContentionHoldDocument,
    "mutation ContentionUnhold($ids: [ID!]!) { releaseResources(ids: $ids) { __typename } }": typeof types.ContentionUnholdDocument,
    "mutation ContentionCancel($id: ID!) { cancelExecution(id: $id) { __typename } }": typeof types.ContentionCancelDocument,
    "fragment RsError on Error { __typename message ... on ValidationError { field reason } ... on ResourceUnavailableError { field reason } ... on NotFoundError { entity entityId } }": typeof types.RsErrorFragmentDoc,
    "\n  mutation RsCreate($input: CreateResourceInput!) { createResource(input: $input) { __typename ... on Resource { id name type capacity allocated } ...RsError } }\n": typeof types.RsCreateDocument,
    "\n  mutation RsUpdate($id: ID!, $input: UpdateResourceInput!) { updateResource(id: $id, input: $input) { __typename ... on Resource { id capacity name } ...RsError } }\n": typeof types.RsUpdateDocument,
    "\n  mutation RsAllocate($requirements: [ResourceRequirementInput!]!, $leaseMs: Int, $label: String) {\n    allocateResources(requirements: $requirements, leaseMs: $leaseMs, label: $label) {\n      __typename\n      ... on MutationAllocateResourcesSuccess { data { id amount label active expiresAt resource { name } } }\n      ...RsError\n    }\n  }\n": typeof types.RsAllocateDocument,
    "\n  mutation RsRelease($ids: [ID!]!) {\n    releaseResources(ids: $ids) { __typename ... on MutationReleaseResourcesSuccess { data { id active releaseReason } } ...RsError }\n  }\n": typeof types.RsReleaseDocument,
    "\n  query RsResource($id: ID!) {\n    resource(id: $id) {\n      name capacity allocated available utilization\n      allocations(first: 50) { edges { node { amount taskKey label } } }\n      waiting(first: 50) { edges { node { key waitingFor } } }\n    }\n  }\n": typeof types.RsResourceDocument,
    "\n  query RsResources($type: String) { resources(type: $type, first: 10) { edges { node { name type capacity costPerUnitSecond attributes createdAt updatedAt } } } }\n": typeof types.RsResourcesDocument,
    "\n  query RsAllocations($id: ID!) {\n    execution(id: $id) {\n      plan { tasks { resources { type amount } } }\n      tasks {\n        resources { type amount priority constraints durationMs releaseOnPause }\n        allocations(first: 5) {\n          edges { node { amount priority active releaseOnPause taskKey attempt label allocatedAt expiresAt execution { id } taskRun { key } resource { name } usage { amountAllocated resourceType } } }\n        }\n      }\n    }\n  }\n": typeof types.RsAllocationsDocument,
    "\n  query RsExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      metrics { totalCost resourceEfficiency }\n      tasks {\n        key status startedAt finishedAt waitingFor output\n        allocations(first: 20) { edges { node { amount active releaseReason allocatedAt releasedAt resource { name } } } }\n      }\n      resourceUsage(first: 50) { edges { node { resourceType taskKey amountAllocated amountUsed cost startTime endTime efficiency } } }\n      timeline(first: 200) { edges { node { type taskKey message data } } }\n      checkpoints(first: 10) { edges { node { resourceAllocations } } }\n    }\n  }\n": typeof types.RsExecutionDocument,
    "mutation RsPause($id: ID!) { pauseExecution(id: $id) { __typename } }": typeof types.RsPauseDocument,
    "mutation RsCancel($id: ID!) { cancelExecution(id: $id) { __typename } }": typeof types.RsCancelDocument,
    "mutation RsCheckpoint($id: ID!) { createCheckpoint(executionId: $id) { __typename ... on Checkpoint { id } } }": typeof types.RsCheckpointDocument,
    "mutation RsRestore($id: ID!) { restoreFromCheckpoint(checkpointId: $id) { __typename } }": typeof types.RsRestoreDocument,
    "\n  mutation RetentionSetAlert($input: SetAlertInput!) {\n    setAlert(input: $input) { __typename ... on AlertRule { id } ... on Error { message } }\n  }\n": typeof types.RetentionSetAlertDocument,
    "\n  mutation RetentionCheckpoint($id: ID!) {\n    createCheckpoint(executionId: $id) { __typename ... on Error { message } }\n  }\n": typeof types.RetentionCheckpointDocument,
    "\n  mutation RetryCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan {\n        id\n        retryPolicy { strategy maxRetries delayMs maxDelayMs jitter }\n        tasks { key retryPolicy { strategy maxRetries delayMs maxDelayMs jitter } }\n      }\n      ... on Error { message }\n    }\n  }\n": typeof types.RetryCreatePlanDocument,
    "\n  mutation RetrySchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n": typeof types.RetryScheduleDocument,
    "\n  query RetryExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      startedAt\n      completedAt\n      error { code message taskKey recoverable }\n      tasks {\n        key\n        status\n        attempt\n        nextAttemptAt\n        error { code }\n        retryPolicy { strategy maxRetries delayMs maxDelayMs jitter }\n        attempts { attempt status startedAt finishedAt durationMs error { code } }\n      }\n      timeline(first: 100) { edges { node { type taskKey data } } }\n    }\n  }\n": typeof types.RetryExecutionDocument,
    "\n  mutation SchedulesCreate($input: CreateScheduleInput!) {\n    createSchedule(input: $input) {\n      __typename\n      ... on Schedule { id nextRunAt enabled nextRuns(count: 3) }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n": typeof types.SchedulesCreateDocument,
    "\n  query SchedulesGet($id: ID!, $count: Int) {\n    schedule(id: $id) {\n      id enabled disabledReason consecutiveFailures nextRunAt lastRunAt nextRuns(count: $count)\n      history(first: 100) { edges { node { id status dependsOn createdAt startedAt completedAt messages(first: 20) { edges { node { level message } } } } } }\n    }\n  }\n": typeof types.SchedulesGetDocument,
    "\n  mutation SchedulesSetEnabled($id: ID!, $enabled: Boolean!) {\n    setScheduleEnabled(id: $id, enabled: $enabled) { __typename ... on Schedule { enabled nextRunAt disabledReason } }\n  }\n": typeof types.SchedulesSetEnabledDocument,
    "mutation SchedulesTrigger($id: ID!) { triggerSchedule(id: $id) { __typename ... on Execution { id status } ... on Error { message } } }": typeof types.SchedulesTriggerDocument,
    "mutation SchedulesDelete($id: ID!) { deleteSchedule(id: $id) { __typename ... on Schedule { id } ... on NotFoundError { entity } } }": typeof types.SchedulesDeleteDocument,
    "\n  mutation SchedulesUpdate($id: ID!, $input: UpdateScheduleInput!) {\n    updateSchedule(id: $id, input: $input) { __typename ... on Schedule { cron timezone nextRunAt } ... on ValidationError { field reason } }\n  }\n": typeof types.SchedulesUpdateDocument,
    "\n  mutation SchedSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status runAt dependsOn idempotencyKey maxParallelism }\n      ... on Error { message }\n      ... on NotFoundError { entity entityId }\n      ... on InvalidIdError { field value }\n    }\n  }\n": typeof types.SchedScheduleDocument,
    "\n  query SchedDetails($id: ID!) {\n    execution(id: $id) {\n      id status completedAt maxParallelism\n      error { code message context }\n      tasks { key status startedAt finishedAt }\n      timeline(first: 100) { edges { node { seq type timestamp status } } }\n    }\n  }\n": typeof types.SchedDetailsDocument,
    "mutation SchedPause($id: ID!) { pauseExecution(id: $id) { __typename ... on Execution { status pausing } } }": typeof types.SchedPauseDocument,
    "mutation SchedResume($id: ID!) { resumeExecution(id: $id) { __typename ... on Execution { status } } }": typeof types.SchedResumeDocument,
    "\n  query SchedPlanExecutions($id: ID!) { plan(id: $id) { executions(first: 50) { edges { node { id idempotencyKey } } } } }\n": typeof types.SchedPlanExecutionsDocument,
    "\n  query EngineStats($windowMs: Int) {\n    engineStats(windowMs: $windowMs) {\n      windowMs\n      executionsByStatus { status count }\n      successRate\n      throughputPerMinute\n      queueDepth\n      runningTasks\n      avgWaitMs\n      avgDurationMs\n      workers\n    }\n  }\n": typeof types.EngineStatsDocument,
    "\n  query PlanStats($id: ID!, $windowMs: Int) {\n    plan(id: $id) {\n      health(windowMs: $windowMs)\n      stats(windowMs: $windowMs) {\n        windowMs executions successes failures cancelled successRate avgDurationMs\n        tasks { key runs successes failures successRate avgDurationMs }\n      }\n    }\n  }\n": typeof types.PlanStatsDocument,
    "\n  query PlansStats($first: Int) {\n    plans(first: $first) { edges { node { id health stats { executions successRate tasks { key runs } } } } }\n  }\n": typeof types.PlansStatsDocument,
    "\n  mutation CountPlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } ... on Error { message } }\n  }\n": typeof types.CountPlanDocument,
    "\n  mutation CountRun($planId: ID!) {\n    scheduleExecution(input: { planId: $planId }) { __typename ... on Execution { id } ... on Error { message } }\n  }\n": typeof types.CountRunDocument,
    "\n  query CountExecutions($filter: ExecutionFilter, $first: Int) {\n    executions(filter: $filter, first: $first) { totalCount edges { node { id status } } pageInfo { hasNextPage } }\n  }\n": typeof types.CountExecutionsDocument,
    "\n  query CountOnly($filter: ExecutionFilter) {\n    executions(filter: $filter) { totalCount }\n  }\n": typeof types.CountOnlyDocument,
    "\n  query CountTimeline($id: ID!, $level: [MessageLevel!]) {\n    execution(id: $id) {\n      lastSeq\n      timeline(first: 1) { totalCount edges { node { seq } } }\n      messages(first: 1) { totalCount }\n      errors: messages(first: 1, level: $level) { totalCount }\n    }\n  }\n": typeof types.CountTimelineDocument,
    "\n  mutation TriggersCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n": typeof types.TriggersCreatePlanDocument,
    "\n  mutation TriggersCreate($input: CreateTriggerInput!) {\n    createTrigger(input: $input) {\n      __typename\n      ... on CreateTriggerPayload { secret trigger { id kind armed webhookPath } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n": typeof types.TriggersCreateDocument,
    "\n  mutation TriggersReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) {\n      __typename\n      ... on ReportMetricsPayload { accepted started { id params } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n": typeof types.TriggersReportDocument,
    "\n  mutation TriggersSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n": typeof types.TriggersScheduleDocument,
    "\n  query TriggersHistory($id: ID!) {\n    trigger(id: $id) { enabled armed lastFiredAt history(first: 50) { edges { node { id params status } } } }\n  }\n": typeof types.TriggersHistoryDocument,
    "\n  mutation TriggersSetEnabled($id: ID!, $enabled: Boolean!) {\n    setTriggerEnabled(id: $id, enabled: $enabled) { __typename ... on Trigger { enabled } }\n  }\n": typeof types.TriggersSetEnabledDocument,
    "\n  mutation TriggersDelete($id: ID!) {\n    deleteTrigger(id: $id) { __typename ... on DeleteTriggerPayload { deletedTriggerId } ... on Error { message } }\n  }\n": typeof types.TriggersDeleteDocument,
    "\n  query UnstorableDetails($id: ID!) {\n    execution(id: $id) {\n      status\n      error { code message context }\n      tasks { key status output state metrics attempts { attempt status error { code } } }\n      messages(first: 50) { edges { node { level message context taskKey } } }\n      timeline(first: 50) { edges { node { type taskKey message } } }\n    }\n  }\n": typeof types.UnstorableDetailsDocument,
    "mutation UnstorableSchedule($input: ScheduleExecutionInput!) { scheduleExecution(input: $input) { __typename ... on Execution { id } } }": typeof types.UnstorableScheduleDocument,
    "\n  query Attempts($id: ID!) {\n    execution(id: $id) {\n      tasks { key status attempt attempts { attempt status worker error { code } } }\n    }\n  }\n": typeof types.AttemptsDocument,
};
const documents: Documents = {
    "\n  mutation AlertsSet($input: SetAlertInput!) {\n    setAlert(input: $input) {\n      __typename\n      ... on AlertRule { id metric durationMs resolveThreshold severity }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n": types.AlertsSetDocument,
    "\n  mutation AlertsRemove($id: ID!) {\n    removeAlert(id: $id) { __typename ... on RemoveAlertPayload { removedAlertRuleId } ... on Error { message } }\n  }\n": types.AlertsRemoveDocument,
    "\n  mutation AlertsReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) { __typename ... on ReportMetricsPayload { accepted } ... on Error { message } }\n  }\n": types.AlertsReportDocument,
    "\n  query AlertsList($filter: AlertFilter) {\n    alerts(filter: $filter, first: 50) {\n      edges { node { id state value message severity triggeredAt resolvedAt acknowledgedAt executionId rule { id } deliveries { kind attempt status error deliveredAt nextAttemptAt } } }\n    }\n  }\n": types.AlertsListDocument,
    "\n  mutation AlertsAck($id: ID!) {\n    acknowledgeAlert(id: $id) { __typename ... on Alert { id acknowledgedAt } ... on Error { message } }\n  }\n": types.AlertsAckDocument,
    "\n  subscription AlertsLive($executionId: ID, $planId: ID) {\n    alertTriggered(executionId: $executionId, planId: $planId) { id state value severity executionId rule { id metric } }\n  }\n": types.AlertsLiveDocument,
    "\n  mutation AlertsCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n": types.AlertsCreatePlanDocument,
    "\n  mutation AlertsSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n": types.AlertsScheduleDocument,
    "\n  mutation ApolloCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id name }\n      ... on Error { message }\n    }\n  }\n": types.ApolloCreatePlanDocument,
    "\n  mutation ApolloScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status }\n      ... on Error { message }\n    }\n  }\n": types.ApolloScheduleExecutionDocument,
    "\n  query ApolloPlansPage($first: Int!, $after: String) {\n    plans(first: $first, after: $after) {\n      edges { cursor node { id name } }\n      pageInfo { endCursor hasNextPage }\n    }\n  }\n": types.ApolloPlansPageDocument,
    "\n  query ApolloNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Node { id }\n      ... on Plan { name }\n    }\n  }\n": types.ApolloNodeDocument,
    "\n  subscription ApolloMonitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      status\n      progress { percentage completedTasks totalTasks }\n      events { id seq type taskKey }\n    }\n  }\n": types.ApolloMonitorDocument,
    "\n  mutation BusSetAlert($input: SetAlertInput!) {\n    setAlert(input: $input) { __typename ... on AlertRule { id } ... on Error { message } }\n  }\n": types.BusSetAlertDocument,
    "\n  mutation BusReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) { __typename ... on ReportMetricsPayload { accepted } ... on Error { message } }\n  }\n": types.BusReportDocument,
    "\n  subscription BusAlerts {\n    alertTriggered { id state value severity message }\n  }\n": types.BusAlertsDocument,
    "\n  mutation BusCreateKey($name: String!, $role: ApiRole!) {\n    createApiKey(name: $name, role: $role) { __typename ... on CreateApiKeyPayload { secret apiKey { id } } ... on Error { message } }\n  }\n": types.BusCreateKeyDocument,
    "\n  fragment CpCheckpoint on Checkpoint {\n    id seq reason createdAt completedTasks taskStates variables resourceAllocations\n    execution { id }\n  }\n": types.CpCheckpointFragmentDoc,
    "\n  fragment CpError on Error {\n    message\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on InvalidIdError { field value }\n    ... on NotFoundError { entity entityId }\n  }\n": types.CpErrorFragmentDoc,
    "mutation CpCreate($id: ID!) { createCheckpoint(executionId: $id) { __typename ...CpCheckpoint ...CpError } }": types.CpCreateDocument,
    "\n  mutation CpRestore($id: ID!) {\n    restoreFromCheckpoint(checkpointId: $id) { __typename ... on Execution { id status completedAt result error { code } } ...CpError }\n  }\n": types.CpRestoreDocument,
    "mutation CpCancel($id: ID!) { cancelExecution(id: $id) { __typename } }": types.CpCancelDocument,
    "query CpPlan($id: ID!) { plan(id: $id) { checkpointIntervalMs } }": types.CpPlanDocument,
    "\n  query CpDetails($id: ID!) {\n    execution(id: $id) {\n      id status lastSeq startedAt completedAt result error { code message }\n      tasks { key status attempt startedAt finishedAt output state attempts { attempt status error { code message } } }\n      timeline(first: 200) { edges { node { seq type taskKey status message data } } }\n      checkpoints(first: 20) { edges { node { ...CpCheckpoint } } }\n    }\n  }\n": types.CpDetailsDocument,
    "fragment CtlExecution on Execution { id status pausing lastSeq deadlineAt error { code message } }": types.CtlExecutionFragmentDoc,
    "\n  fragment CtlError on Error {\n    message\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on InvalidIdError { field value }\n    ... on NotFoundError { entity entityId }\n  }\n": types.CtlErrorFragmentDoc,
    "mutation CtlPause($id: ID!) { pauseExecution(id: $id) { __typename ...CtlExecution ...CtlError } }": types.CtlPauseDocument,
    "mutation CtlResume($id: ID!) { resumeExecution(id: $id) { __typename ...CtlExecution ...CtlError } }": types.CtlResumeDocument,
    "mutation CtlRetry($id: ID!) { retryExecution(id: $id) { __typename ...CtlExecution ...CtlError } }": types.CtlRetryDocument,
    "mutation CtlCancel($id: ID!, $reason: String) { cancelExecution(id: $id, reason: $reason) { __typename ...CtlExecution ...CtlError } }": types.CtlCancelDocument,
    "\n  query CtlDetails($id: ID!) {\n    execution(id: $id) {\n      ...CtlExecution\n      result\n      tasks { key status attempt startedAt finishedAt nextAttemptAt output attempts { attempt status startedAt finishedAt } }\n      timeline(first: 200) { edges { node { seq type taskKey timestamp status } } }\n    }\n  }\n": types.CtlDetailsDocument,
    "\n  query Workers($includeStopped: Boolean) {\n    workers(includeStopped: $includeStopped) { id hostname pid concurrency running startedAt lastHeartbeatAt stoppedAt alive }\n  }\n": types.WorkersDocument,
    "mutation EmbeddedPool($input: CreateResourceInput!) { createResource(input: $input) { __typename ... on Resource { id } } }": types.EmbeddedPoolDocument,
    "mutation EmbeddedSchedule($input: CreateScheduleInput!) { createSchedule(input: $input) { __typename ... on Schedule { id } ... on Error { message } } }": types.EmbeddedScheduleDocument,
    "query EmbeddedHistory($id: ID!) { schedule(id: $id) { history(first: 100) { edges { node { status } } } } engineStats { executionsByStatus { status count } } }": types.EmbeddedHistoryDocument,
    "\n  query EmbeddedUsage($execution: ID!, $resource: ID!) {\n    execution(id: $execution) {\n      status\n      resourceUsage(first: 10) { edges { node { taskKey startTime endTime } } }\n      timeline(first: 100) { edges { node { type taskKey } } }\n    }\n    resource(id: $resource) { allocated }\n  }\n": types.EmbeddedUsageDocument,
    "\n  mutation HandlersCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n      ... on UnknownHandlerError { field knownHandlers }\n    }\n  }\n": types.HandlersCreatePlanDocument,
    "\n  mutation HandlersSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n": types.HandlersScheduleDocument,
    "\n  query HandlersExecution($id: ID!, $level: [MessageLevel!], $taskKey: String) {\n    execution(id: $id) {\n      status\n      result\n      error { code message taskKey recoverable context }\n      currentTask { key progress phase }\n      metrics { totalCost }\n      progress { estimatedTimeRemaining percentage }\n      tasks { key status attempt output metrics }\n      messages(first: 100, level: $level, taskKey: $taskKey) { edges { node { level message taskKey } } }\n    }\n  }\n": types.HandlersExecutionDocument,
    "\n  mutation PoolSetRateLimit($input: SetRateLimitInput!) {\n    setRateLimit(input: $input) {\n      __typename\n      ... on RateLimit { name requests windowMs createdAt updatedAt }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n": types.PoolSetRateLimitDocument,
    "\n  mutation PoolRemoveRateLimit($name: String!) {\n    removeRateLimit(name: $name) {\n      __typename\n      ... on RemoveRateLimitPayload { removedName }\n      ... on Error { message }\n      ... on NotFoundError { entity entityId }\n    }\n  }\n": types.PoolRemoveRateLimitDocument,
    "\n  query PoolRateLimits {\n    rateLimits { name requests windowMs }\n  }\n": types.PoolRateLimitsDocument,
    "\n  mutation PoolCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id }\n      ... on Error { message }\n    }\n  }\n": types.PoolCreatePlanDocument,
    "\n  mutation PoolSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n": types.PoolScheduleDocument,
    "\n  query PoolExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      error { code message taskKey recoverable context }\n      tasks { key status attempt output attempts { worker } }\n      messages(first: 100) { edges { node { level message taskKey } } }\n    }\n  }\n": types.PoolExecutionDocument,
    "\n  mutation StreamsCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n": types.StreamsCreatePlanDocument,
    "\n  mutation StreamsSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n": types.StreamsScheduleDocument,
    "\n  query StreamsSeries($id: ID!, $metric: String!, $since: DateTime, $limit: Int) {\n    execution(id: $id) { status metricSeries(metric: $metric, since: $since, limit: $limit) { timestamp value labels } }\n  }\n": types.StreamsSeriesDocument,
    "\n  mutation CreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id name tasks { key handler dependsOn } }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n      ... on CycleError { field cycle }\n      ... on DuplicateTaskKeyError { field key }\n      ... on UnknownDependencyError { field taskKey dependency }\n      ... on UnknownHandlerError { field handler knownHandlers }\n    }\n  }\n": types.CreatePlanDocument,
    "\n  mutation ScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status lastSeq }\n      ... on Error { message }\n      ... on InvalidIdError { field value }\n      ... on ValidationError { field reason }\n      ... on NotFoundError { entity entityId }\n    }\n  }\n": types.ScheduleExecutionDocument,
    "\n  subscription Monitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      timestamp\n      status\n      progress { percentage completedTasks totalTasks estimatedTimeRemaining currentPhase }\n      currentTask { taskRunId key status attempt startedAt progress }\n      metrics { totalDuration effectiveDuration totalCost resourceEfficiency qualityScore successRate errorRate throughput }\n      events { id seq type taskKey timestamp message status data }\n      messages { level message taskKey }\n    }\n  }\n": types.MonitorDocument,
    "\n  query ExecutionDetails($id: ID!) {\n    execution(id: $id) {\n      id\n      status\n      result\n      error { code message taskId taskKey recoverable }\n      progress { percentage completedTasks totalTasks }\n      tasks { key status attempt startedAt finishedAt output error { code message } }\n      timeline(first: 100) { edges { node { seq type taskKey timestamp status } } pageInfo { hasNextPage } }\n      messages(first: 100) { edges { node { seq level message taskKey } } }\n    }\n  }\n": types.ExecutionDetailsDocument,
    "\n  query Timelines($first: Int!) {\n    executions(first: $first) {\n      edges {\n        node {\n          id\n          status\n          plan { name }\n          tasks { key status }\n          timeline(first: 50) { edges { node { seq type taskKey } } }\n        }\n      }\n    }\n  }\n": types.TimelinesDocument,
    "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Plan { name }\n      ... on Execution { status }\n    }\n  }\n": types.NodeDocument,
    "\n  query Lists($planId: ID, $status: [ExecutionStatus!]) {\n    plans(first: 10) { edges { node { id name } } }\n    executions(first: 10, filter: { planId: $planId, status: $status }) { edges { node { id status } } }\n  }\n": types.ListsDocument,
    "\n  query PlanById($id: ID!) {\n    plan(id: $id) {\n      id\n      name\n      tasks { key handler dependsOn priority timeoutMs }\n      executions(first: 5) { edges { node { id status } } }\n    }\n  }\n": types.PlanByIdDocument,
    "mutation ApqCreate($input: CreatePlanInput!) { createPlan(input: $input) { __typename ... on Plan { id name } } }": types.ApqCreateDocument,
    "query ApqPlans { plans(first: 5) { edges { node { id name } } } }": types.ApqPlansDocument,
    "query Off { __typename }": types.OffDocument,
    "\n  mutation RecoveryCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id tasks { key fallback recovery { on action fallbackTask } } }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n": types.RecoveryCreatePlanDocument,
    "\n  mutation RecoverySchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n": types.RecoveryScheduleDocument,
    "\n  query RecoveryExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      result\n      startedAt\n      completedAt\n      error { code message taskId taskKey timestamp recoverable context }\n      tasks {\n        id\n        key\n        status\n        attempt\n        fallback\n        replacedBy\n        output\n        error { code message taskId taskKey timestamp recoverable context }\n        attempts { attempt status error { code } }\n      }\n      timeline(first: 100) { edges { node { type taskKey message data } } }\n    }\n  }\n": types.RecoveryExecutionDocument,
    "mutation ContentionPool($input: CreateResourceInput!) { createResource(input: $input) { __typename } }": types.ContentionPoolDocument,
    "\n  mutation ContentionHold($requirements: [ResourceRequirementInput!]!) {\n    allocateResources(requirements: $requirements, leaseMs: 2000) { __typename ... on MutationAllocateResourcesSuccess { data { id } } }\n  }\n": types.ContentionHoldDocument,
    "mutation ContentionUnhold($ids: [ID!]!) { releaseResources(ids: $ids) { __typename } }": types.ContentionUnholdDocument,
    "mutation ContentionCancel($id: ID!) { cancelExecution(id: $id) { __typename } }": types.ContentionCancelDocument,
    "fragment RsError on Error { __typename message ... on ValidationError { field reason } ... on ResourceUnavailableError { field reason } ... on NotFoundError { entity entityId } }": types.RsErrorFragmentDoc,
    "\n  mutation RsCreate($input: CreateResourceInput!) { createResource(input: $input) { __typename ... on Resource { id name type capacity allocated } ...RsError } }\n": types.RsCreateDocument,
    "\n  mutation RsUpdate($id: ID!, $input: UpdateResourceInput!) { updateResource(id: $id, input: $input) { __typename ... on Resource { id capacity name } ...RsError } }\n": types.RsUpdateDocument,
    "\n  mutation RsAllocate($requirements: [ResourceRequirementInput!]!, $leaseMs: Int, $label: String) {\n    allocateResources(requirements: $requirements, leaseMs: $leaseMs, label: $label) {\n      __typename\n      ... on MutationAllocateResourcesSuccess { data { id amount label active expiresAt resource { name } } }\n      ...RsError\n    }\n  }\n": types.RsAllocateDocument,
    "\n  mutation RsRelease($ids: [ID!]!) {\n    releaseResources(ids: $ids) { __typename ... on MutationReleaseResourcesSuccess { data { id active releaseReason } } ...RsError }\n  }\n": types.RsReleaseDocument,
    "\n  query RsResource($id: ID!) {\n    resource(id: $id) {\n      name capacity allocated available utilization\n      allocations(first: 50) { edges { node { amount taskKey label } } }\n      waiting(first: 50) { edges { node { key waitingFor } } }\n    }\n  }\n": types.RsResourceDocument,
    "\n  query RsResources($type: String) { resources(type: $type, first: 10) { edges { node { name type capacity costPerUnitSecond attributes createdAt updatedAt } } } }\n": types.RsResourcesDocument,
    "\n  query RsAllocations($id: ID!) {\n    execution(id: $id) {\n      plan { tasks { resources { type amount } } }\n      tasks {\n        resources { type amount priority constraints durationMs releaseOnPause }\n        allocations(first: 5) {\n          edges { node { amount priority active releaseOnPause taskKey attempt label allocatedAt expiresAt execution { id } taskRun { key } resource { name } usage { amountAllocated resourceType } } }\n        }\n      }\n    }\n  }\n": types.RsAllocationsDocument,
    "\n  query RsExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      metrics { totalCost resourceEfficiency }\n      tasks {\n        key status startedAt finishedAt waitingFor output\n        allocations(first: 20) { edges { node { amount active releaseReason allocatedAt releasedAt resource { name } } } }\n      }\n      resourceUsage(first: 50) { edges { node { resourceType taskKey amountAllocated amountUsed cost startTime endTime efficiency } } }\n      timeline(first: 200) { edges { node { type taskKey message data } } }\n      checkpoints(first: 10) { edges { node { resourceAllocations } } }\n    }\n  }\n": types.RsExecutionDocument,
    "mutation RsPause($id: ID!) { pauseExecution(id: $id) { __typename } }": types.RsPauseDocument,
    "mutation RsCancel($id: ID!) { cancelExecution(id: $id) { __typename } }": types.RsCancelDocument,
    "mutation RsCheckpoint($id: ID!) { createCheckpoint(executionId: $id) { __typename ... on Checkpoint { id } } }": types.RsCheckpointDocument,
    "mutation RsRestore($id: ID!) { restoreFromCheckpoint(checkpointId: $id) { __typename } }": types.RsRestoreDocument,
    "\n  mutation RetentionSetAlert($input: SetAlertInput!) {\n    setAlert(input: $input) { __typename ... on AlertRule { id } ... on Error { message } }\n  }\n": types.RetentionSetAlertDocument,
    "\n  mutation RetentionCheckpoint($id: ID!) {\n    createCheckpoint(executionId: $id) { __typename ... on Error { message } }\n  }\n": types.RetentionCheckpointDocument,
    "\n  mutation RetryCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan {\n        id\n        retryPolicy { strategy maxRetries delayMs maxDelayMs jitter }\n        tasks { key retryPolicy { strategy maxRetries delayMs maxDelayMs jitter } }\n      }\n      ... on Error { message }\n    }\n  }\n": types.RetryCreatePlanDocument,
    "\n  mutation RetrySchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n": types.RetryScheduleDocument,
    "\n  query RetryExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      startedAt\n      completedAt\n      error { code message taskKey recoverable }\n      tasks {\n        key\n        status\n        attempt\n        nextAttemptAt\n        error { code }\n        retryPolicy { strategy maxRetries delayMs maxDelayMs jitter }\n        attempts { attempt status startedAt finishedAt durationMs error { code } }\n      }\n      timeline(first: 100) { edges { node { type taskKey data } } }\n    }\n  }\n": types.RetryExecutionDocument,
    "\n  mutation SchedulesCreate($input: CreateScheduleInput!) {\n    createSchedule(input: $input) {\n      __typename\n      ... on Schedule { id nextRunAt enabled nextRuns(count: 3) }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n": types.SchedulesCreateDocument,
    "\n  query SchedulesGet($id: ID!, $count: Int) {\n    schedule(id: $id) {\n      id enabled disabledReason consecutiveFailures nextRunAt lastRunAt nextRuns(count: $count)\n      history(first: 100) { edges { node { id status dependsOn createdAt startedAt completedAt messages(first: 20) { edges { node { level message } } } } } }\n    }\n  }\n": types.SchedulesGetDocument,
    "\n  mutation SchedulesSetEnabled($id: ID!, $enabled: Boolean!) {\n    setScheduleEnabled(id: $id, enabled: $enabled) { __typename ... on Schedule { enabled nextRunAt disabledReason } }\n  }\n": types.SchedulesSetEnabledDocument,
    "mutation SchedulesTrigger($id: ID!) { triggerSchedule(id: $id) { __typename ... on Execution { id status } ... on Error { message } } }": types.SchedulesTriggerDocument,
    "mutation SchedulesDelete($id: ID!) { deleteSchedule(id: $id) { __typename ... on Schedule { id } ... on NotFoundError { entity } } }": types.SchedulesDeleteDocument,
    "\n  mutation SchedulesUpdate($id: ID!, $input: UpdateScheduleInput!) {\n    updateSchedule(id: $id, input: $input) { __typename ... on Schedule { cron timezone nextRunAt } ... on ValidationError { field reason } }\n  }\n": types.SchedulesUpdateDocument,
    "\n  mutation SchedSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status runAt dependsOn idempotencyKey maxParallelism }\n      ... on Error { message }\n      ... on NotFoundError { entity entityId }\n      ... on InvalidIdError { field value }\n    }\n  }\n": types.SchedScheduleDocument,
    "\n  query SchedDetails($id: ID!) {\n    execution(id: $id) {\n      id status completedAt maxParallelism\n      error { code message context }\n      tasks { key status startedAt finishedAt }\n      timeline(first: 100) { edges { node { seq type timestamp status } } }\n    }\n  }\n": types.SchedDetailsDocument,
    "mutation SchedPause($id: ID!) { pauseExecution(id: $id) { __typename ... on Execution { status pausing } } }": types.SchedPauseDocument,
    "mutation SchedResume($id: ID!) { resumeExecution(id: $id) { __typename ... on Execution { status } } }": types.SchedResumeDocument,
    "\n  query SchedPlanExecutions($id: ID!) { plan(id: $id) { executions(first: 50) { edges { node { id idempotencyKey } } } } }\n": types.SchedPlanExecutionsDocument,
    "\n  query EngineStats($windowMs: Int) {\n    engineStats(windowMs: $windowMs) {\n      windowMs\n      executionsByStatus { status count }\n      successRate\n      throughputPerMinute\n      queueDepth\n      runningTasks\n      avgWaitMs\n      avgDurationMs\n      workers\n    }\n  }\n": types.EngineStatsDocument,
    "\n  query PlanStats($id: ID!, $windowMs: Int) {\n    plan(id: $id) {\n      health(windowMs: $windowMs)\n      stats(windowMs: $windowMs) {\n        windowMs executions successes failures cancelled successRate avgDurationMs\n        tasks { key runs successes failures successRate avgDurationMs }\n      }\n    }\n  }\n": types.PlanStatsDocument,
    "\n  query PlansStats($first: Int) {\n    plans(first: $first) { edges { node { id health stats { executions successRate tasks { key runs } } } } }\n  }\n": types.PlansStatsDocument,
    "\n  mutation CountPlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } ... on Error { message } }\n  }\n": types.CountPlanDocument,
    "\n  mutation CountRun($planId: ID!) {\n    scheduleExecution(input: { planId: $planId }) { __typename ... on Execution { id } ... on Error { message } }\n  }\n": types.CountRunDocument,
    "\n  query CountExecutions($filter: ExecutionFilter, $first: Int) {\n    executions(filter: $filter, first: $first) { totalCount edges { node { id status } } pageInfo { hasNextPage } }\n  }\n": types.CountExecutionsDocument,
    "\n  query CountOnly($filter: ExecutionFilter) {\n    executions(filter: $filter) { totalCount }\n  }\n": types.CountOnlyDocument,
    "\n  query CountTimeline($id: ID!, $level: [MessageLevel!]) {\n    execution(id: $id) {\n      lastSeq\n      timeline(first: 1) { totalCount edges { node { seq } } }\n      messages(first: 1) { totalCount }\n      errors: messages(first: 1, level: $level) { totalCount }\n    }\n  }\n": types.CountTimelineDocument,
    "\n  mutation TriggersCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n": types.TriggersCreatePlanDocument,
    "\n  mutation TriggersCreate($input: CreateTriggerInput!) {\n    createTrigger(input: $input) {\n      __typename\n      ... on CreateTriggerPayload { secret trigger { id kind armed webhookPath } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n": types.TriggersCreateDocument,
    "\n  mutation TriggersReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) {\n      __typename\n      ... on ReportMetricsPayload { accepted started { id params } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n": types.TriggersReportDocument,
    "\n  mutation TriggersSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n": types.TriggersScheduleDocument,
    "\n  query TriggersHistory($id: ID!) {\n    trigger(id: $id) { enabled armed lastFiredAt history(first: 50) { edges { node { id params status } } } }\n  }\n": types.TriggersHistoryDocument,
    "\n  mutation TriggersSetEnabled($id: ID!, $enabled: Boolean!) {\n    setTriggerEnabled(id: $id, enabled: $enabled) { __typename ... on Trigger { enabled } }\n  }\n": types.TriggersSetEnabledDocument,
    "\n  mutation TriggersDelete($id: ID!) {\n    deleteTrigger(id: $id) { __typename ... on DeleteTriggerPayload { deletedTriggerId } ... on Error { message } }\n  }\n": types.TriggersDeleteDocument,
    "\n  query UnstorableDetails($id: ID!) {\n    execution(id: $id) {\n      status\n      error { code message context }\n      tasks { key status output state metrics attempts { attempt status error { code } } }\n      messages(first: 50) { edges { node { level message context taskKey } } }\n      timeline(first: 50) { edges { node { type taskKey message } } }\n    }\n  }\n": types.UnstorableDetailsDocument,
    "mutation UnstorableSchedule($input: ScheduleExecutionInput!) { scheduleExecution(input: $input) { __typename ... on Execution { id } } }": types.UnstorableScheduleDocument,
    "\n  query Attempts($id: ID!) {\n    execution(id: $id) {\n      tasks { key status attempt attempts { attempt status worker error { code } } }\n    }\n  }\n": types.AttemptsDocument,
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
export function graphql(source: "\n  mutation AlertsSet($input: SetAlertInput!) {\n    setAlert(input: $input) {\n      __typename\n      ... on AlertRule { id metric durationMs resolveThreshold severity }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n"): (typeof documents)["\n  mutation AlertsSet($input: SetAlertInput!) {\n    setAlert(input: $input) {\n      __typename\n      ... on AlertRule { id metric durationMs resolveThreshold severity }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AlertsRemove($id: ID!) {\n    removeAlert(id: $id) { __typename ... on RemoveAlertPayload { removedAlertRuleId } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation AlertsRemove($id: ID!) {\n    removeAlert(id: $id) { __typename ... on RemoveAlertPayload { removedAlertRuleId } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AlertsReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) { __typename ... on ReportMetricsPayload { accepted } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation AlertsReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) { __typename ... on ReportMetricsPayload { accepted } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertsList($filter: AlertFilter) {\n    alerts(filter: $filter, first: 50) {\n      edges { node { id state value message severity triggeredAt resolvedAt acknowledgedAt executionId rule { id } deliveries { kind attempt status error deliveredAt nextAttemptAt } } }\n    }\n  }\n"): (typeof documents)["\n  query AlertsList($filter: AlertFilter) {\n    alerts(filter: $filter, first: 50) {\n      edges { node { id state value message severity triggeredAt resolvedAt acknowledgedAt executionId rule { id } deliveries { kind attempt status error deliveredAt nextAttemptAt } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AlertsAck($id: ID!) {\n    acknowledgeAlert(id: $id) { __typename ... on Alert { id acknowledgedAt } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation AlertsAck($id: ID!) {\n    acknowledgeAlert(id: $id) { __typename ... on Alert { id acknowledgedAt } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AlertsLive($executionId: ID, $planId: ID) {\n    alertTriggered(executionId: $executionId, planId: $planId) { id state value severity executionId rule { id metric } }\n  }\n"): (typeof documents)["\n  subscription AlertsLive($executionId: ID, $planId: ID) {\n    alertTriggered(executionId: $executionId, planId: $planId) { id state value severity executionId rule { id metric } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AlertsCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n"): (typeof documents)["\n  mutation AlertsCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AlertsSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n"): (typeof documents)["\n  mutation AlertsSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApolloCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id name }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ApolloCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id name }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApolloScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ApolloScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApolloPlansPage($first: Int!, $after: String) {\n    plans(first: $first, after: $after) {\n      edges { cursor node { id name } }\n      pageInfo { endCursor hasNextPage }\n    }\n  }\n"): (typeof documents)["\n  query ApolloPlansPage($first: Int!, $after: String) {\n    plans(first: $first, after: $after) {\n      edges { cursor node { id name } }\n      pageInfo { endCursor hasNextPage }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApolloNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Node { id }\n      ... on Plan { name }\n    }\n  }\n"): (typeof documents)["\n  query ApolloNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Node { id }\n      ... on Plan { name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ApolloMonitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      status\n      progress { percentage completedTasks totalTasks }\n      events { id seq type taskKey }\n    }\n  }\n"): (typeof documents)["\n  subscription ApolloMonitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      status\n      progress { percentage completedTasks totalTasks }\n      events { id seq type taskKey }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BusSetAlert($input: SetAlertInput!) {\n    setAlert(input: $input) { __typename ... on AlertRule { id } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation BusSetAlert($input: SetAlertInput!) {\n    setAlert(input: $input) { __typename ... on AlertRule { id } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BusReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) { __typename ... on ReportMetricsPayload { accepted } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation BusReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) { __typename ... on ReportMetricsPayload { accepted } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription BusAlerts {\n    alertTriggered { id state value severity message }\n  }\n"): (typeof documents)["\n  subscription BusAlerts {\n    alertTriggered { id state value severity message }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BusCreateKey($name: String!, $role: ApiRole!) {\n    createApiKey(name: $name, role: $role) { __typename ... on CreateApiKeyPayload { secret apiKey { id } } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation BusCreateKey($name: String!, $role: ApiRole!) {\n    createApiKey(name: $name, role: $role) { __typename ... on CreateApiKeyPayload { secret apiKey { id } } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CpCheckpoint on Checkpoint {\n    id seq reason createdAt completedTasks taskStates variables resourceAllocations\n    execution { id }\n  }\n"): (typeof documents)["\n  fragment CpCheckpoint on Checkpoint {\n    id seq reason createdAt completedTasks taskStates variables resourceAllocations\n    execution { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CpError on Error {\n    message\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on InvalidIdError { field value }\n    ... on NotFoundError { entity entityId }\n  }\n"): (typeof documents)["\n  fragment CpError on Error {\n    message\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on InvalidIdError { field value }\n    ... on NotFoundError { entity entityId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CpCreate($id: ID!) { createCheckpoint(executionId: $id) { __typename ...CpCheckpoint ...CpError } }"): (typeof documents)["mutation CpCreate($id: ID!) { createCheckpoint(executionId: $id) { __typename ...CpCheckpoint ...CpError } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CpRestore($id: ID!) {\n    restoreFromCheckpoint(checkpointId: $id) { __typename ... on Execution { id status completedAt result error { code } } ...CpError }\n  }\n"): (typeof documents)["\n  mutation CpRestore($id: ID!) {\n    restoreFromCheckpoint(checkpointId: $id) { __typename ... on Execution { id status completedAt result error { code } } ...CpError }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CpCancel($id: ID!) { cancelExecution(id: $id) { __typename } }"): (typeof documents)["mutation CpCancel($id: ID!) { cancelExecution(id: $id) { __typename } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CpPlan($id: ID!) { plan(id: $id) { checkpointIntervalMs } }"): (typeof documents)["query CpPlan($id: ID!) { plan(id: $id) { checkpointIntervalMs } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CpDetails($id: ID!) {\n    execution(id: $id) {\n      id status lastSeq startedAt completedAt result error { code message }\n      tasks { key status attempt startedAt finishedAt output state attempts { attempt status error { code message } } }\n      timeline(first: 200) { edges { node { seq type taskKey status message data } } }\n      checkpoints(first: 20) { edges { node { ...CpCheckpoint } } }\n    }\n  }\n"): (typeof documents)["\n  query CpDetails($id: ID!) {\n    execution(id: $id) {\n      id status lastSeq startedAt completedAt result error { code message }\n      tasks { key status attempt startedAt finishedAt output state attempts { attempt status error { code message } } }\n      timeline(first: 200) { edges { node { seq type taskKey status message data } } }\n      checkpoints(first: 20) { edges { node { ...CpCheckpoint } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment CtlExecution on Execution { id status pausing lastSeq deadlineAt error { code message } }"): (typeof documents)["fragment CtlExecution on Execution { id status pausing lastSeq deadlineAt error { code message } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CtlError on Error {\n    message\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on InvalidIdError { field value }\n    ... on NotFoundError { entity entityId }\n  }\n"): (typeof documents)["\n  fragment CtlError on Error {\n    message\n    ... on InvalidTransitionError { currentStatus requestedStatus }\n    ... on InvalidIdError { field value }\n    ... on NotFoundError { entity entityId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CtlPause($id: ID!) { pauseExecution(id: $id) { __typename ...CtlExecution ...CtlError } }"): (typeof documents)["mutation CtlPause($id: ID!) { pauseExecution(id: $id) { __typename ...CtlExecution ...CtlError } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CtlResume($id: ID!) { resumeExecution(id: $id) { __typename ...CtlExecution ...CtlError } }"): (typeof documents)["mutation CtlResume($id: ID!) { resumeExecution(id: $id) { __typename ...CtlExecution ...CtlError } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CtlRetry($id: ID!) { retryExecution(id: $id) { __typename ...CtlExecution ...CtlError } }"): (typeof documents)["mutation CtlRetry($id: ID!) { retryExecution(id: $id) { __typename ...CtlExecution ...CtlError } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CtlCancel($id: ID!, $reason: String) { cancelExecution(id: $id, reason: $reason) { __typename ...CtlExecution ...CtlError } }"): (typeof documents)["mutation CtlCancel($id: ID!, $reason: String) { cancelExecution(id: $id, reason: $reason) { __typename ...CtlExecution ...CtlError } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CtlDetails($id: ID!) {\n    execution(id: $id) {\n      ...CtlExecution\n      result\n      tasks { key status attempt startedAt finishedAt nextAttemptAt output attempts { attempt status startedAt finishedAt } }\n      timeline(first: 200) { edges { node { seq type taskKey timestamp status } } }\n    }\n  }\n"): (typeof documents)["\n  query CtlDetails($id: ID!) {\n    execution(id: $id) {\n      ...CtlExecution\n      result\n      tasks { key status attempt startedAt finishedAt nextAttemptAt output attempts { attempt status startedAt finishedAt } }\n      timeline(first: 200) { edges { node { seq type taskKey timestamp status } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Workers($includeStopped: Boolean) {\n    workers(includeStopped: $includeStopped) { id hostname pid concurrency running startedAt lastHeartbeatAt stoppedAt alive }\n  }\n"): (typeof documents)["\n  query Workers($includeStopped: Boolean) {\n    workers(includeStopped: $includeStopped) { id hostname pid concurrency running startedAt lastHeartbeatAt stoppedAt alive }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation EmbeddedPool($input: CreateResourceInput!) { createResource(input: $input) { __typename ... on Resource { id } } }"): (typeof documents)["mutation EmbeddedPool($input: CreateResourceInput!) { createResource(input: $input) { __typename ... on Resource { id } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation EmbeddedSchedule($input: CreateScheduleInput!) { createSchedule(input: $input) { __typename ... on Schedule { id } ... on Error { message } } }"): (typeof documents)["mutation EmbeddedSchedule($input: CreateScheduleInput!) { createSchedule(input: $input) { __typename ... on Schedule { id } ... on Error { message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query EmbeddedHistory($id: ID!) { schedule(id: $id) { history(first: 100) { edges { node { status } } } } engineStats { executionsByStatus { status count } } }"): (typeof documents)["query EmbeddedHistory($id: ID!) { schedule(id: $id) { history(first: 100) { edges { node { status } } } } engineStats { executionsByStatus { status count } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EmbeddedUsage($execution: ID!, $resource: ID!) {\n    execution(id: $execution) {\n      status\n      resourceUsage(first: 10) { edges { node { taskKey startTime endTime } } }\n      timeline(first: 100) { edges { node { type taskKey } } }\n    }\n    resource(id: $resource) { allocated }\n  }\n"): (typeof documents)["\n  query EmbeddedUsage($execution: ID!, $resource: ID!) {\n    execution(id: $execution) {\n      status\n      resourceUsage(first: 10) { edges { node { taskKey startTime endTime } } }\n      timeline(first: 100) { edges { node { type taskKey } } }\n    }\n    resource(id: $resource) { allocated }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HandlersCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n      ... on UnknownHandlerError { field knownHandlers }\n    }\n  }\n"): (typeof documents)["\n  mutation HandlersCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n      ... on UnknownHandlerError { field knownHandlers }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HandlersSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation HandlersSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HandlersExecution($id: ID!, $level: [MessageLevel!], $taskKey: String) {\n    execution(id: $id) {\n      status\n      result\n      error { code message taskKey recoverable context }\n      currentTask { key progress phase }\n      metrics { totalCost }\n      progress { estimatedTimeRemaining percentage }\n      tasks { key status attempt output metrics }\n      messages(first: 100, level: $level, taskKey: $taskKey) { edges { node { level message taskKey } } }\n    }\n  }\n"): (typeof documents)["\n  query HandlersExecution($id: ID!, $level: [MessageLevel!], $taskKey: String) {\n    execution(id: $id) {\n      status\n      result\n      error { code message taskKey recoverable context }\n      currentTask { key progress phase }\n      metrics { totalCost }\n      progress { estimatedTimeRemaining percentage }\n      tasks { key status attempt output metrics }\n      messages(first: 100, level: $level, taskKey: $taskKey) { edges { node { level message taskKey } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PoolSetRateLimit($input: SetRateLimitInput!) {\n    setRateLimit(input: $input) {\n      __typename\n      ... on RateLimit { name requests windowMs createdAt updatedAt }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n"): (typeof documents)["\n  mutation PoolSetRateLimit($input: SetRateLimitInput!) {\n    setRateLimit(input: $input) {\n      __typename\n      ... on RateLimit { name requests windowMs createdAt updatedAt }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PoolRemoveRateLimit($name: String!) {\n    removeRateLimit(name: $name) {\n      __typename\n      ... on RemoveRateLimitPayload { removedName }\n      ... on Error { message }\n      ... on NotFoundError { entity entityId }\n    }\n  }\n"): (typeof documents)["\n  mutation PoolRemoveRateLimit($name: String!) {\n    removeRateLimit(name: $name) {\n      __typename\n      ... on RemoveRateLimitPayload { removedName }\n      ... on Error { message }\n      ... on NotFoundError { entity entityId }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PoolRateLimits {\n    rateLimits { name requests windowMs }\n  }\n"): (typeof documents)["\n  query PoolRateLimits {\n    rateLimits { name requests windowMs }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PoolCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation PoolCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PoolSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation PoolSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PoolExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      error { code message taskKey recoverable context }\n      tasks { key status attempt output attempts { worker } }\n      messages(first: 100) { edges { node { level message taskKey } } }\n    }\n  }\n"): (typeof documents)["\n  query PoolExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      error { code message taskKey recoverable context }\n      tasks { key status attempt output attempts { worker } }\n      messages(first: 100) { edges { node { level message taskKey } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StreamsCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n"): (typeof documents)["\n  mutation StreamsCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StreamsSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n"): (typeof documents)["\n  mutation StreamsSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StreamsSeries($id: ID!, $metric: String!, $since: DateTime, $limit: Int) {\n    execution(id: $id) { status metricSeries(metric: $metric, since: $since, limit: $limit) { timestamp value labels } }\n  }\n"): (typeof documents)["\n  query StreamsSeries($id: ID!, $metric: String!, $since: DateTime, $limit: Int) {\n    execution(id: $id) { status metricSeries(metric: $metric, since: $since, limit: $limit) { timestamp value labels } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id name tasks { key handler dependsOn } }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n      ... on CycleError { field cycle }\n      ... on DuplicateTaskKeyError { field key }\n      ... on UnknownDependencyError { field taskKey dependency }\n      ... on UnknownHandlerError { field handler knownHandlers }\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id name tasks { key handler dependsOn } }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n      ... on CycleError { field cycle }\n      ... on DuplicateTaskKeyError { field key }\n      ... on UnknownDependencyError { field taskKey dependency }\n      ... on UnknownHandlerError { field handler knownHandlers }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status lastSeq }\n      ... on Error { message }\n      ... on InvalidIdError { field value }\n      ... on ValidationError { field reason }\n      ... on NotFoundError { entity entityId }\n    }\n  }\n"): (typeof documents)["\n  mutation ScheduleExecution($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status lastSeq }\n      ... on Error { message }\n      ... on InvalidIdError { field value }\n      ... on ValidationError { field reason }\n      ... on NotFoundError { entity entityId }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Monitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      timestamp\n      status\n      progress { percentage completedTasks totalTasks estimatedTimeRemaining currentPhase }\n      currentTask { taskRunId key status attempt startedAt progress }\n      metrics { totalDuration effectiveDuration totalCost resourceEfficiency qualityScore successRate errorRate throughput }\n      events { id seq type taskKey timestamp message status data }\n      messages { level message taskKey }\n    }\n  }\n"): (typeof documents)["\n  subscription Monitor($executionId: ID!, $afterSeq: Int) {\n    monitor(executionId: $executionId, afterSeq: $afterSeq) {\n      executionId\n      seq\n      timestamp\n      status\n      progress { percentage completedTasks totalTasks estimatedTimeRemaining currentPhase }\n      currentTask { taskRunId key status attempt startedAt progress }\n      metrics { totalDuration effectiveDuration totalCost resourceEfficiency qualityScore successRate errorRate throughput }\n      events { id seq type taskKey timestamp message status data }\n      messages { level message taskKey }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExecutionDetails($id: ID!) {\n    execution(id: $id) {\n      id\n      status\n      result\n      error { code message taskId taskKey recoverable }\n      progress { percentage completedTasks totalTasks }\n      tasks { key status attempt startedAt finishedAt output error { code message } }\n      timeline(first: 100) { edges { node { seq type taskKey timestamp status } } pageInfo { hasNextPage } }\n      messages(first: 100) { edges { node { seq level message taskKey } } }\n    }\n  }\n"): (typeof documents)["\n  query ExecutionDetails($id: ID!) {\n    execution(id: $id) {\n      id\n      status\n      result\n      error { code message taskId taskKey recoverable }\n      progress { percentage completedTasks totalTasks }\n      tasks { key status attempt startedAt finishedAt output error { code message } }\n      timeline(first: 100) { edges { node { seq type taskKey timestamp status } } pageInfo { hasNextPage } }\n      messages(first: 100) { edges { node { seq level message taskKey } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Timelines($first: Int!) {\n    executions(first: $first) {\n      edges {\n        node {\n          id\n          status\n          plan { name }\n          tasks { key status }\n          timeline(first: 50) { edges { node { seq type taskKey } } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Timelines($first: Int!) {\n    executions(first: $first) {\n      edges {\n        node {\n          id\n          status\n          plan { name }\n          tasks { key status }\n          timeline(first: 50) { edges { node { seq type taskKey } } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Plan { name }\n      ... on Execution { status }\n    }\n  }\n"): (typeof documents)["\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Plan { name }\n      ... on Execution { status }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Lists($planId: ID, $status: [ExecutionStatus!]) {\n    plans(first: 10) { edges { node { id name } } }\n    executions(first: 10, filter: { planId: $planId, status: $status }) { edges { node { id status } } }\n  }\n"): (typeof documents)["\n  query Lists($planId: ID, $status: [ExecutionStatus!]) {\n    plans(first: 10) { edges { node { id name } } }\n    executions(first: 10, filter: { planId: $planId, status: $status }) { edges { node { id status } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlanById($id: ID!) {\n    plan(id: $id) {\n      id\n      name\n      tasks { key handler dependsOn priority timeoutMs }\n      executions(first: 5) { edges { node { id status } } }\n    }\n  }\n"): (typeof documents)["\n  query PlanById($id: ID!) {\n    plan(id: $id) {\n      id\n      name\n      tasks { key handler dependsOn priority timeoutMs }\n      executions(first: 5) { edges { node { id status } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ApqCreate($input: CreatePlanInput!) { createPlan(input: $input) { __typename ... on Plan { id name } } }"): (typeof documents)["mutation ApqCreate($input: CreatePlanInput!) { createPlan(input: $input) { __typename ... on Plan { id name } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ApqPlans { plans(first: 5) { edges { node { id name } } } }"): (typeof documents)["query ApqPlans { plans(first: 5) { edges { node { id name } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Off { __typename }"): (typeof documents)["query Off { __typename }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecoveryCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id tasks { key fallback recovery { on action fallbackTask } } }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n"): (typeof documents)["\n  mutation RecoveryCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan { id tasks { key fallback recovery { on action fallbackTask } } }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecoverySchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation RecoverySchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecoveryExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      result\n      startedAt\n      completedAt\n      error { code message taskId taskKey timestamp recoverable context }\n      tasks {\n        id\n        key\n        status\n        attempt\n        fallback\n        replacedBy\n        output\n        error { code message taskId taskKey timestamp recoverable context }\n        attempts { attempt status error { code } }\n      }\n      timeline(first: 100) { edges { node { type taskKey message data } } }\n    }\n  }\n"): (typeof documents)["\n  query RecoveryExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      result\n      startedAt\n      completedAt\n      error { code message taskId taskKey timestamp recoverable context }\n      tasks {\n        id\n        key\n        status\n        attempt\n        fallback\n        replacedBy\n        output\n        error { code message taskId taskKey timestamp recoverable context }\n        attempts { attempt status error { code } }\n      }\n      timeline(first: 100) { edges { node { type taskKey message data } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ContentionPool($input: CreateResourceInput!) { createResource(input: $input) { __typename } }"): (typeof documents)["mutation ContentionPool($input: CreateResourceInput!) { createResource(input: $input) { __typename } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContentionHold($requirements: [ResourceRequirementInput!]!) {\n    allocateResources(requirements: $requirements, leaseMs: 2000) { __typename ... on MutationAllocateResourcesSuccess { data { id } } }\n  }\n"): (typeof documents)["\n  mutation ContentionHold($requirements: [ResourceRequirementInput!]!) {\n    allocateResources(requirements: $requirements, leaseMs: 2000) { __typename ... on MutationAllocateResourcesSuccess { data { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ContentionUnhold($ids: [ID!]!) { releaseResources(ids: $ids) { __typename } }"): (typeof documents)["mutation ContentionUnhold($ids: [ID!]!) { releaseResources(ids: $ids) { __typename } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ContentionCancel($id: ID!) { cancelExecution(id: $id) { __typename } }"): (typeof documents)["mutation ContentionCancel($id: ID!) { cancelExecution(id: $id) { __typename } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment RsError on Error { __typename message ... on ValidationError { field reason } ... on ResourceUnavailableError { field reason } ... on NotFoundError { entity entityId } }"): (typeof documents)["fragment RsError on Error { __typename message ... on ValidationError { field reason } ... on ResourceUnavailableError { field reason } ... on NotFoundError { entity entityId } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RsCreate($input: CreateResourceInput!) { createResource(input: $input) { __typename ... on Resource { id name type capacity allocated } ...RsError } }\n"): (typeof documents)["\n  mutation RsCreate($input: CreateResourceInput!) { createResource(input: $input) { __typename ... on Resource { id name type capacity allocated } ...RsError } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RsUpdate($id: ID!, $input: UpdateResourceInput!) { updateResource(id: $id, input: $input) { __typename ... on Resource { id capacity name } ...RsError } }\n"): (typeof documents)["\n  mutation RsUpdate($id: ID!, $input: UpdateResourceInput!) { updateResource(id: $id, input: $input) { __typename ... on Resource { id capacity name } ...RsError } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RsAllocate($requirements: [ResourceRequirementInput!]!, $leaseMs: Int, $label: String) {\n    allocateResources(requirements: $requirements, leaseMs: $leaseMs, label: $label) {\n      __typename\n      ... on MutationAllocateResourcesSuccess { data { id amount label active expiresAt resource { name } } }\n      ...RsError\n    }\n  }\n"): (typeof documents)["\n  mutation RsAllocate($requirements: [ResourceRequirementInput!]!, $leaseMs: Int, $label: String) {\n    allocateResources(requirements: $requirements, leaseMs: $leaseMs, label: $label) {\n      __typename\n      ... on MutationAllocateResourcesSuccess { data { id amount label active expiresAt resource { name } } }\n      ...RsError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RsRelease($ids: [ID!]!) {\n    releaseResources(ids: $ids) { __typename ... on MutationReleaseResourcesSuccess { data { id active releaseReason } } ...RsError }\n  }\n"): (typeof documents)["\n  mutation RsRelease($ids: [ID!]!) {\n    releaseResources(ids: $ids) { __typename ... on MutationReleaseResourcesSuccess { data { id active releaseReason } } ...RsError }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RsResource($id: ID!) {\n    resource(id: $id) {\n      name capacity allocated available utilization\n      allocations(first: 50) { edges { node { amount taskKey label } } }\n      waiting(first: 50) { edges { node { key waitingFor } } }\n    }\n  }\n"): (typeof documents)["\n  query RsResource($id: ID!) {\n    resource(id: $id) {\n      name capacity allocated available utilization\n      allocations(first: 50) { edges { node { amount taskKey label } } }\n      waiting(first: 50) { edges { node { key waitingFor } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RsResources($type: String) { resources(type: $type, first: 10) { edges { node { name type capacity costPerUnitSecond attributes createdAt updatedAt } } } }\n"): (typeof documents)["\n  query RsResources($type: String) { resources(type: $type, first: 10) { edges { node { name type capacity costPerUnitSecond attributes createdAt updatedAt } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RsAllocations($id: ID!) {\n    execution(id: $id) {\n      plan { tasks { resources { type amount } } }\n      tasks {\n        resources { type amount priority constraints durationMs releaseOnPause }\n        allocations(first: 5) {\n          edges { node { amount priority active releaseOnPause taskKey attempt label allocatedAt expiresAt execution { id } taskRun { key } resource { name } usage { amountAllocated resourceType } } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RsAllocations($id: ID!) {\n    execution(id: $id) {\n      plan { tasks { resources { type amount } } }\n      tasks {\n        resources { type amount priority constraints durationMs releaseOnPause }\n        allocations(first: 5) {\n          edges { node { amount priority active releaseOnPause taskKey attempt label allocatedAt expiresAt execution { id } taskRun { key } resource { name } usage { amountAllocated resourceType } } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RsExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      metrics { totalCost resourceEfficiency }\n      tasks {\n        key status startedAt finishedAt waitingFor output\n        allocations(first: 20) { edges { node { amount active releaseReason allocatedAt releasedAt resource { name } } } }\n      }\n      resourceUsage(first: 50) { edges { node { resourceType taskKey amountAllocated amountUsed cost startTime endTime efficiency } } }\n      timeline(first: 200) { edges { node { type taskKey message data } } }\n      checkpoints(first: 10) { edges { node { resourceAllocations } } }\n    }\n  }\n"): (typeof documents)["\n  query RsExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      metrics { totalCost resourceEfficiency }\n      tasks {\n        key status startedAt finishedAt waitingFor output\n        allocations(first: 20) { edges { node { amount active releaseReason allocatedAt releasedAt resource { name } } } }\n      }\n      resourceUsage(first: 50) { edges { node { resourceType taskKey amountAllocated amountUsed cost startTime endTime efficiency } } }\n      timeline(first: 200) { edges { node { type taskKey message data } } }\n      checkpoints(first: 10) { edges { node { resourceAllocations } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RsPause($id: ID!) { pauseExecution(id: $id) { __typename } }"): (typeof documents)["mutation RsPause($id: ID!) { pauseExecution(id: $id) { __typename } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RsCancel($id: ID!) { cancelExecution(id: $id) { __typename } }"): (typeof documents)["mutation RsCancel($id: ID!) { cancelExecution(id: $id) { __typename } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RsCheckpoint($id: ID!) { createCheckpoint(executionId: $id) { __typename ... on Checkpoint { id } } }"): (typeof documents)["mutation RsCheckpoint($id: ID!) { createCheckpoint(executionId: $id) { __typename ... on Checkpoint { id } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RsRestore($id: ID!) { restoreFromCheckpoint(checkpointId: $id) { __typename } }"): (typeof documents)["mutation RsRestore($id: ID!) { restoreFromCheckpoint(checkpointId: $id) { __typename } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetentionSetAlert($input: SetAlertInput!) {\n    setAlert(input: $input) { __typename ... on AlertRule { id } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation RetentionSetAlert($input: SetAlertInput!) {\n    setAlert(input: $input) { __typename ... on AlertRule { id } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetentionCheckpoint($id: ID!) {\n    createCheckpoint(executionId: $id) { __typename ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation RetentionCheckpoint($id: ID!) {\n    createCheckpoint(executionId: $id) { __typename ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan {\n        id\n        retryPolicy { strategy maxRetries delayMs maxDelayMs jitter }\n        tasks { key retryPolicy { strategy maxRetries delayMs maxDelayMs jitter } }\n      }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation RetryCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      __typename\n      ... on Plan {\n        id\n        retryPolicy { strategy maxRetries delayMs maxDelayMs jitter }\n        tasks { key retryPolicy { strategy maxRetries delayMs maxDelayMs jitter } }\n      }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetrySchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation RetrySchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RetryExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      startedAt\n      completedAt\n      error { code message taskKey recoverable }\n      tasks {\n        key\n        status\n        attempt\n        nextAttemptAt\n        error { code }\n        retryPolicy { strategy maxRetries delayMs maxDelayMs jitter }\n        attempts { attempt status startedAt finishedAt durationMs error { code } }\n      }\n      timeline(first: 100) { edges { node { type taskKey data } } }\n    }\n  }\n"): (typeof documents)["\n  query RetryExecution($id: ID!) {\n    execution(id: $id) {\n      status\n      startedAt\n      completedAt\n      error { code message taskKey recoverable }\n      tasks {\n        key\n        status\n        attempt\n        nextAttemptAt\n        error { code }\n        retryPolicy { strategy maxRetries delayMs maxDelayMs jitter }\n        attempts { attempt status startedAt finishedAt durationMs error { code } }\n      }\n      timeline(first: 100) { edges { node { type taskKey data } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SchedulesCreate($input: CreateScheduleInput!) {\n    createSchedule(input: $input) {\n      __typename\n      ... on Schedule { id nextRunAt enabled nextRuns(count: 3) }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n"): (typeof documents)["\n  mutation SchedulesCreate($input: CreateScheduleInput!) {\n    createSchedule(input: $input) {\n      __typename\n      ... on Schedule { id nextRunAt enabled nextRuns(count: 3) }\n      ... on Error { message }\n      ... on ValidationError { field reason }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SchedulesGet($id: ID!, $count: Int) {\n    schedule(id: $id) {\n      id enabled disabledReason consecutiveFailures nextRunAt lastRunAt nextRuns(count: $count)\n      history(first: 100) { edges { node { id status dependsOn createdAt startedAt completedAt messages(first: 20) { edges { node { level message } } } } } }\n    }\n  }\n"): (typeof documents)["\n  query SchedulesGet($id: ID!, $count: Int) {\n    schedule(id: $id) {\n      id enabled disabledReason consecutiveFailures nextRunAt lastRunAt nextRuns(count: $count)\n      history(first: 100) { edges { node { id status dependsOn createdAt startedAt completedAt messages(first: 20) { edges { node { level message } } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SchedulesSetEnabled($id: ID!, $enabled: Boolean!) {\n    setScheduleEnabled(id: $id, enabled: $enabled) { __typename ... on Schedule { enabled nextRunAt disabledReason } }\n  }\n"): (typeof documents)["\n  mutation SchedulesSetEnabled($id: ID!, $enabled: Boolean!) {\n    setScheduleEnabled(id: $id, enabled: $enabled) { __typename ... on Schedule { enabled nextRunAt disabledReason } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SchedulesTrigger($id: ID!) { triggerSchedule(id: $id) { __typename ... on Execution { id status } ... on Error { message } } }"): (typeof documents)["mutation SchedulesTrigger($id: ID!) { triggerSchedule(id: $id) { __typename ... on Execution { id status } ... on Error { message } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SchedulesDelete($id: ID!) { deleteSchedule(id: $id) { __typename ... on Schedule { id } ... on NotFoundError { entity } } }"): (typeof documents)["mutation SchedulesDelete($id: ID!) { deleteSchedule(id: $id) { __typename ... on Schedule { id } ... on NotFoundError { entity } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SchedulesUpdate($id: ID!, $input: UpdateScheduleInput!) {\n    updateSchedule(id: $id, input: $input) { __typename ... on Schedule { cron timezone nextRunAt } ... on ValidationError { field reason } }\n  }\n"): (typeof documents)["\n  mutation SchedulesUpdate($id: ID!, $input: UpdateScheduleInput!) {\n    updateSchedule(id: $id, input: $input) { __typename ... on Schedule { cron timezone nextRunAt } ... on ValidationError { field reason } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SchedSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status runAt dependsOn idempotencyKey maxParallelism }\n      ... on Error { message }\n      ... on NotFoundError { entity entityId }\n      ... on InvalidIdError { field value }\n    }\n  }\n"): (typeof documents)["\n  mutation SchedSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) {\n      __typename\n      ... on Execution { id status runAt dependsOn idempotencyKey maxParallelism }\n      ... on Error { message }\n      ... on NotFoundError { entity entityId }\n      ... on InvalidIdError { field value }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SchedDetails($id: ID!) {\n    execution(id: $id) {\n      id status completedAt maxParallelism\n      error { code message context }\n      tasks { key status startedAt finishedAt }\n      timeline(first: 100) { edges { node { seq type timestamp status } } }\n    }\n  }\n"): (typeof documents)["\n  query SchedDetails($id: ID!) {\n    execution(id: $id) {\n      id status completedAt maxParallelism\n      error { code message context }\n      tasks { key status startedAt finishedAt }\n      timeline(first: 100) { edges { node { seq type timestamp status } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SchedPause($id: ID!) { pauseExecution(id: $id) { __typename ... on Execution { status pausing } } }"): (typeof documents)["mutation SchedPause($id: ID!) { pauseExecution(id: $id) { __typename ... on Execution { status pausing } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SchedResume($id: ID!) { resumeExecution(id: $id) { __typename ... on Execution { status } } }"): (typeof documents)["mutation SchedResume($id: ID!) { resumeExecution(id: $id) { __typename ... on Execution { status } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SchedPlanExecutions($id: ID!) { plan(id: $id) { executions(first: 50) { edges { node { id idempotencyKey } } } } }\n"): (typeof documents)["\n  query SchedPlanExecutions($id: ID!) { plan(id: $id) { executions(first: 50) { edges { node { id idempotencyKey } } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EngineStats($windowMs: Int) {\n    engineStats(windowMs: $windowMs) {\n      windowMs\n      executionsByStatus { status count }\n      successRate\n      throughputPerMinute\n      queueDepth\n      runningTasks\n      avgWaitMs\n      avgDurationMs\n      workers\n    }\n  }\n"): (typeof documents)["\n  query EngineStats($windowMs: Int) {\n    engineStats(windowMs: $windowMs) {\n      windowMs\n      executionsByStatus { status count }\n      successRate\n      throughputPerMinute\n      queueDepth\n      runningTasks\n      avgWaitMs\n      avgDurationMs\n      workers\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlanStats($id: ID!, $windowMs: Int) {\n    plan(id: $id) {\n      health(windowMs: $windowMs)\n      stats(windowMs: $windowMs) {\n        windowMs executions successes failures cancelled successRate avgDurationMs\n        tasks { key runs successes failures successRate avgDurationMs }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PlanStats($id: ID!, $windowMs: Int) {\n    plan(id: $id) {\n      health(windowMs: $windowMs)\n      stats(windowMs: $windowMs) {\n        windowMs executions successes failures cancelled successRate avgDurationMs\n        tasks { key runs successes failures successRate avgDurationMs }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlansStats($first: Int) {\n    plans(first: $first) { edges { node { id health stats { executions successRate tasks { key runs } } } } }\n  }\n"): (typeof documents)["\n  query PlansStats($first: Int) {\n    plans(first: $first) { edges { node { id health stats { executions successRate tasks { key runs } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CountPlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation CountPlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CountRun($planId: ID!) {\n    scheduleExecution(input: { planId: $planId }) { __typename ... on Execution { id } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation CountRun($planId: ID!) {\n    scheduleExecution(input: { planId: $planId }) { __typename ... on Execution { id } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CountExecutions($filter: ExecutionFilter, $first: Int) {\n    executions(filter: $filter, first: $first) { totalCount edges { node { id status } } pageInfo { hasNextPage } }\n  }\n"): (typeof documents)["\n  query CountExecutions($filter: ExecutionFilter, $first: Int) {\n    executions(filter: $filter, first: $first) { totalCount edges { node { id status } } pageInfo { hasNextPage } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CountOnly($filter: ExecutionFilter) {\n    executions(filter: $filter) { totalCount }\n  }\n"): (typeof documents)["\n  query CountOnly($filter: ExecutionFilter) {\n    executions(filter: $filter) { totalCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CountTimeline($id: ID!, $level: [MessageLevel!]) {\n    execution(id: $id) {\n      lastSeq\n      timeline(first: 1) { totalCount edges { node { seq } } }\n      messages(first: 1) { totalCount }\n      errors: messages(first: 1, level: $level) { totalCount }\n    }\n  }\n"): (typeof documents)["\n  query CountTimeline($id: ID!, $level: [MessageLevel!]) {\n    execution(id: $id) {\n      lastSeq\n      timeline(first: 1) { totalCount edges { node { seq } } }\n      messages(first: 1) { totalCount }\n      errors: messages(first: 1, level: $level) { totalCount }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TriggersCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n"): (typeof documents)["\n  mutation TriggersCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { __typename ... on Plan { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TriggersCreate($input: CreateTriggerInput!) {\n    createTrigger(input: $input) {\n      __typename\n      ... on CreateTriggerPayload { secret trigger { id kind armed webhookPath } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n"): (typeof documents)["\n  mutation TriggersCreate($input: CreateTriggerInput!) {\n    createTrigger(input: $input) {\n      __typename\n      ... on CreateTriggerPayload { secret trigger { id kind armed webhookPath } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TriggersReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) {\n      __typename\n      ... on ReportMetricsPayload { accepted started { id params } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n"): (typeof documents)["\n  mutation TriggersReport($samples: [MetricSampleInput!]!) {\n    reportMetrics(samples: $samples) {\n      __typename\n      ... on ReportMetricsPayload { accepted started { id params } }\n      ... on Error { message }\n      ... on ValidationError { field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TriggersSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n"): (typeof documents)["\n  mutation TriggersSchedule($input: ScheduleExecutionInput!) {\n    scheduleExecution(input: $input) { __typename ... on Execution { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TriggersHistory($id: ID!) {\n    trigger(id: $id) { enabled armed lastFiredAt history(first: 50) { edges { node { id params status } } } }\n  }\n"): (typeof documents)["\n  query TriggersHistory($id: ID!) {\n    trigger(id: $id) { enabled armed lastFiredAt history(first: 50) { edges { node { id params status } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TriggersSetEnabled($id: ID!, $enabled: Boolean!) {\n    setTriggerEnabled(id: $id, enabled: $enabled) { __typename ... on Trigger { enabled } }\n  }\n"): (typeof documents)["\n  mutation TriggersSetEnabled($id: ID!, $enabled: Boolean!) {\n    setTriggerEnabled(id: $id, enabled: $enabled) { __typename ... on Trigger { enabled } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TriggersDelete($id: ID!) {\n    deleteTrigger(id: $id) { __typename ... on DeleteTriggerPayload { deletedTriggerId } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation TriggersDelete($id: ID!) {\n    deleteTrigger(id: $id) { __typename ... on DeleteTriggerPayload { deletedTriggerId } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnstorableDetails($id: ID!) {\n    execution(id: $id) {\n      status\n      error { code message context }\n      tasks { key status output state metrics attempts { attempt status error { code } } }\n      messages(first: 50) { edges { node { level message context taskKey } } }\n      timeline(first: 50) { edges { node { type taskKey message } } }\n    }\n  }\n"): (typeof documents)["\n  query UnstorableDetails($id: ID!) {\n    execution(id: $id) {\n      status\n      error { code message context }\n      tasks { key status output state metrics attempts { attempt status error { code } } }\n      messages(first: 50) { edges { node { level message context taskKey } } }\n      timeline(first: 50) { edges { node { type taskKey message } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UnstorableSchedule($input: ScheduleExecutionInput!) { scheduleExecution(input: $input) { __typename ... on Execution { id } } }"): (typeof documents)["mutation UnstorableSchedule($input: ScheduleExecutionInput!) { scheduleExecution(input: $input) { __typename ... on Execution { id } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Attempts($id: ID!) {\n    execution(id: $id) {\n      tasks { key status attempt attempts { attempt status worker error { code } } }\n    }\n  }\n"): (typeof documents)["\n  query Attempts($id: ID!) {\n    execution(id: $id) {\n      tasks { key status attempt attempts { attempt status worker error { code } } }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;