import { graphql } from "./__generated__/gql.ts";

// Every operation the tests send, typed by graphql-codegen from schema/schema.graphql.

export const CreatePlan = graphql(`
  mutation CreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      __typename
      ... on Plan { id name tasks { key handler dependsOn } }
      ... on Error { message }
      ... on ValidationError { field reason }
      ... on CycleError { field cycle }
      ... on DuplicateTaskKeyError { field key }
      ... on UnknownDependencyError { field taskKey dependency }
      ... on UnknownHandlerError { field handler knownHandlers }
    }
  }
`);

export const ScheduleExecution = graphql(`
  mutation ScheduleExecution($input: ScheduleExecutionInput!) {
    scheduleExecution(input: $input) {
      __typename
      ... on Execution { id status lastSeq }
      ... on Error { message }
      ... on InvalidIdError { field value }
      ... on ValidationError { field reason }
      ... on NotFoundError { entity entityId }
    }
  }
`);

export const Monitor = graphql(`
  subscription Monitor($executionId: ID!, $afterSeq: Int) {
    monitor(executionId: $executionId, afterSeq: $afterSeq) {
      executionId
      seq
      timestamp
      status
      progress { percentage completedTasks totalTasks estimatedTimeRemaining currentPhase }
      currentTask { taskRunId key status attempt startedAt progress }
      metrics { totalDuration effectiveDuration totalCost resourceEfficiency qualityScore successRate errorRate throughput }
      events { id seq type taskKey timestamp message status data }
      messages { level message taskKey }
    }
  }
`);

export const ExecutionDetails = graphql(`
  query ExecutionDetails($id: ID!) {
    execution(id: $id) {
      id
      status
      result
      error { code message taskId taskKey recoverable }
      progress { percentage completedTasks totalTasks }
      tasks { key status attempt startedAt finishedAt output error { code message } }
      timeline(first: 100) { edges { node { seq type taskKey timestamp status } } pageInfo { hasNextPage } }
      messages(first: 100) { edges { node { seq level message taskKey } } }
    }
  }
`);

export const Timelines = graphql(`
  query Timelines($first: Int!) {
    executions(first: $first) {
      edges {
        node {
          id
          status
          plan { name }
          tasks { key status }
          timeline(first: 50) { edges { node { seq type taskKey } } }
        }
      }
    }
  }
`);

export const Node = graphql(`
  query Node($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Plan { name }
      ... on Execution { status }
    }
  }
`);

export const Lists = graphql(`
  query Lists($planId: ID, $status: [ExecutionStatus!]) {
    plans(first: 10) { edges { node { id name } } }
    executions(first: 10, filter: { planId: $planId, status: $status }) { edges { node { id status } } }
  }
`);

export const PlanById = graphql(`
  query PlanById($id: ID!) {
    plan(id: $id) {
      id
      name
      tasks { key handler dependsOn priority timeoutMs }
      executions(first: 5) { edges { node { id status } } }
    }
  }
`);
