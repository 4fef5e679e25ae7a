import type { GraphiQLOptions } from "graphql-yoga";

// What GraphiQL opens on (a first visit: afterwards it restores the tabs kept in the browser's storage):
// the walkthrough below with its variables, and a headers pane ready for an API key. The panes are JSON
// with comments (GraphiQL parses them as JSONC). test/graphiql.test.ts validates the document against
// the committed schema; test/graphiql.int.test.ts runs it through the server the way GraphiQL does.

/** The walkthrough: create a plan, run it, watch it, read the result. Named operations: ▶ offers each. */
export const WALKTHROUGH = `# Execution engine: create a plan, run it, watch it.
#
# Press ▶ (it offers each operation by name), or Ctrl-Enter with the cursor inside one, top to bottom:
#   1. CreateDiamond  stores a plan of four tasks run by built-in handlers (noop, sleep)
#   2. Run            schedules an execution of it: copy the Plan id into Variables as "planId"
#   3. Watch          streams the execution live: copy the Execution id into Variables as "executionId"
#   4. Result         the execution as it is now: its tasks and its result
#
# API key: on localhost with no key created yet (open mode) none is needed. Once a key exists, every
# request needs one: in Headers, replace <your API key> with its secret (createApiKey shows it once).
# Every type and field is described in Docs (the book icon); Ctrl-Space completes.

# 1. The plan a → (b, c) → d: "a" runs first, "b" and "c" side by side once it has completed, "d" last.
# Mutations return a union of the result and typed errors: make "a" depend on "d" and the answer is a
# CycleError; give sleep { ms: -1 } and it is a ValidationError naming tasks[1].input.ms.
mutation CreateDiamond {
  createPlan(input: {
    name: "diamond"
    tasks: [
      { key: "a", handler: "noop", input: { hello: "world" } }
      { key: "b", handler: "sleep", input: { ms: 2000 }, dependsOn: ["a"] }
      { key: "c", handler: "sleep", input: { ms: 1000 }, dependsOn: ["a"] }
      { key: "d", handler: "noop", dependsOn: ["b", "c"] }
    ]
  }) {
    __typename
    ... on Plan { id name tasks { key handler dependsOn } }
    ... on CycleError { cycle }
    ... on ValidationError { field }
    ... on Error { message }
  }
}

# 2. An execution of the plan ("planId" in Variables). priority (default NORMAL) and params (handlers
# read them as ctx.params) are optional. It is QUEUED at once; a worker picks it up.
mutation Run($planId: ID!) {
  scheduleExecution(input: { planId: $planId, priority: HIGH, params: { run: 1 } }) {
    __typename
    ... on Execution { id status lastSeq }
    ... on Error { message }
  }
}

# 3. Every update of the execution ("executionId" in Variables), in seq order: afterSeq: 0 replays its
# history, then the updates come live until it ends. After a disconnect, pass the last seq received.
subscription Watch($executionId: ID!) {
  monitor(executionId: $executionId, afterSeq: 0) {
    seq
    timestamp
    status
    progress { percentage completedTasks totalTasks estimatedTimeRemaining currentPhase }
    currentTask { key status attempt }
    events { seq type taskKey message }
    messages { level message taskKey }
  }
}

# 4. The execution now: its tasks, and its result (the outputs of the tasks nothing depends on).
query Result($executionId: ID!) {
  execution(id: $executionId) {
    status
    startedAt
    completedAt
    result
    tasks { key status attempt output }
  }
}
`;

/** The variables pane: the ids the walkthrough's answers give, to paste in. */
export const WALKTHROUGH_VARIABLES = `{
  // From CreateDiamond's answer (Plan.id), for Run:
  "planId": "paste the Plan id here",
  // From Run's answer (Execution.id), for Watch and Result:
  "executionId": "paste the Execution id here"
}
`;

/**
 * The headers pane (and a new tab's). HTTP and SSE read `Authorization: Bearer <key>`; open and disabled
 * mode ignore the header, so the placeholder can stay until authentication is on (then it is a 401 that
 * says the key is invalid).
 */
export const WALKTHROUGH_HEADERS = `{
  // On localhost with no API key created yet (open mode), this header is ignored: run as is.
  // Once a key exists, every request needs one: replace <your API key> with its secret.
  "Authorization": "Bearer <your API key>"
}
`;

/**
 * yoga's `graphiql` options. Subscriptions go over SSE, POSTed like every operation: GraphiQL sends the
 * headers pane with its HTTP requests only (over graphql-ws it has no connectionParams to put a key in),
 * so Watch carries the key like the others. POSTs of JSON need no CSRF header.
 */
export const GRAPHIQL_OPTIONS: GraphiQLOptions & { variables: string } = {
  title: "Execution engine",
  defaultQuery: WALKTHROUGH,
  variables: WALKTHROUGH_VARIABLES, // yoga's GraphiQL passes it on as the first tab's variables (not in its type)
  headers: WALKTHROUGH_HEADERS,
  subscriptionsProtocol: "SSE",
  method: "POST",
};
