import { readFileSync } from "node:fs";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { buildSchema, getNamedType, isInputObjectType, type GraphQLInputType } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";

// One rule for every ID argument (src/graphql/ids.ts): the global ID and the bare UUID of a row mean the
// same thing, and anything else is an InvalidIdError naming the argument.

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] };

const UNKNOWN = "8ff72ed9-4335-4090-ad5b-0076247191bd";
const E = "__typename ... on Error { message } ... on InvalidIdError { field value }";

interface Case {
  /** The typename the argument expects (null: any Node). */
  typename: string | null;
  /** The argument path an InvalidIdError names. */
  field: string;
  query: string;
  /** Variables, given the ID to pass; `planId` is a real plan when the operation needs one besides. */
  vars?: (id: string, planId: string) => Record<string, unknown>;
}

const id$ = (id: string) => ({ id });
// Every ID argument and ID input field of the schema (the first test keeps this list complete).
const CASES: Record<string, Case> = {
  "Query.alerts(filter).executionId": { typename: "Execution", field: "filter.executionId", query: "query($id: ID!) { alerts(filter: { executionId: $id }) { edges { node { id } } } }" },
  "Query.alerts(filter).planId": { typename: "Plan", field: "filter.planId", query: "query($id: ID!) { alerts(filter: { planId: $id }) { edges { node { id } } } }" },
  "Query.alerts(filter).ruleId": { typename: "AlertRule", field: "filter.ruleId", query: "query($id: ID!) { alerts(filter: { ruleId: $id }) { edges { node { id } } } }" },
  "Query.execution(id)": { typename: "Execution", field: "id", query: "query($id: ID!) { execution(id: $id) { id } }" },
  "Query.executions(filter).planId": { typename: "Plan", field: "filter.planId", query: "query($id: ID!) { executions(filter: { planId: $id }) { edges { node { id } } } }" },
  "Query.node(id)": { typename: null, field: "id", query: "query($id: ID!) { node(id: $id) { id } }" },
  "Query.nodes(ids)": { typename: null, field: "ids", query: "query($id: ID!) { nodes(ids: [$id]) { id } }" },
  "Query.plan(id)": { typename: "Plan", field: "id", query: "query($id: ID!) { plan(id: $id) { id } }" },
  "Query.resource(id)": { typename: "Resource", field: "id", query: "query($id: ID!) { resource(id: $id) { id } }" },
  "Query.schedule(id)": { typename: "Schedule", field: "id", query: "query($id: ID!) { schedule(id: $id) { id } }" },
  "Query.trigger(id)": { typename: "Trigger", field: "id", query: "query($id: ID!) { trigger(id: $id) { id } }" },
  "Mutation.acknowledgeAlert(id)": { typename: "Alert", field: "id", query: `mutation($id: ID!) { acknowledgeAlert(id: $id) { ${E} } }` },
  "Mutation.cancelExecution(id)": { typename: "Execution", field: "id", query: `mutation($id: ID!) { cancelExecution(id: $id) { ${E} } }` },
  "Mutation.createCheckpoint(executionId)": { typename: "Execution", field: "executionId", query: `mutation($id: ID!) { createCheckpoint(executionId: $id) { ${E} } }` },
  "Mutation.createSchedule(input).planId": { typename: "Plan", field: "input.planId", query: `mutation($id: ID!) { createSchedule(input: { planId: $id, intervalMs: 60000 }) { ${E} } }` },
  "Mutation.createTrigger(input).planId": { typename: "Plan", field: "input.planId", query: `mutation($id: ID!) { createTrigger(input: { planId: $id, kind: WEBHOOK }) { ${E} } }` },
  "Mutation.deleteSchedule(id)": { typename: "Schedule", field: "id", query: `mutation($id: ID!) { deleteSchedule(id: $id) { ${E} } }` },
  "Mutation.deleteTrigger(id)": { typename: "Trigger", field: "id", query: `mutation($id: ID!) { deleteTrigger(id: $id) { ${E} } }` },
  "Mutation.pauseExecution(id)": { typename: "Execution", field: "id", query: `mutation($id: ID!) { pauseExecution(id: $id) { ${E} } }` },
  "Mutation.releaseResources(ids)": { typename: "ResourceAllocation", field: "ids[0]", query: `mutation($id: ID!) { releaseResources(ids: [$id]) { ${E} } }` },
  "Mutation.removeAlert(id)": { typename: "AlertRule", field: "id", query: `mutation($id: ID!) { removeAlert(id: $id) { ${E} } }` },
  "Mutation.restoreFromCheckpoint(checkpointId)": { typename: "Checkpoint", field: "checkpointId", query: `mutation($id: ID!) { restoreFromCheckpoint(checkpointId: $id) { ${E} } }` },
  "Mutation.resumeExecution(id)": { typename: "Execution", field: "id", query: `mutation($id: ID!) { resumeExecution(id: $id) { ${E} } }` },
  "Mutation.retryExecution(id)": { typename: "Execution", field: "id", query: `mutation($id: ID!) { retryExecution(id: $id) { ${E} } }` },
  "Mutation.revokeApiKey(id)": { typename: "ApiKey", field: "id", query: `mutation($id: ID!) { revokeApiKey(id: $id) { ${E} } }` },
  "Mutation.scheduleExecution(input).dependsOn": {
    typename: "Execution",
    field: "input.dependsOn[0]",
    query: `mutation($id: ID!, $planId: ID!) { scheduleExecution(input: { planId: $planId, dependsOn: [$id] }) { ${E} } }`,
    vars: (id, planId) => ({ id, planId }),
  },
  "Mutation.scheduleExecution(input).planId": { typename: "Plan", field: "input.planId", query: `mutation($id: ID!) { scheduleExecution(input: { planId: $id }) { ${E} } }` },
  "Mutation.setAlert(input).executionId": {
    typename: "Execution",
    field: "input.executionId",
    query: `mutation($id: ID!) { setAlert(input: { executionId: $id, condition: { metric: "m", operator: GT, threshold: 1 } }) { ${E} } }`,
  },
  "Mutation.setAlert(input).planId": {
    typename: "Plan",
    field: "input.planId",
    query: `mutation($id: ID!) { setAlert(input: { planId: $id, condition: { metric: "m", operator: GT, threshold: 1 } }) { ${E} } }`,
  },
  "Mutation.setScheduleEnabled(id)": { typename: "Schedule", field: "id", query: `mutation($id: ID!) { setScheduleEnabled(id: $id, enabled: false) { ${E} } }` },
  "Mutation.setTriggerEnabled(id)": { typename: "Trigger", field: "id", query: `mutation($id: ID!) { setTriggerEnabled(id: $id, enabled: false) { ${E} } }` },
  "Mutation.triggerSchedule(id)": { typename: "Schedule", field: "id", query: `mutation($id: ID!) { triggerSchedule(id: $id) { ${E} } }` },
  "Mutation.updateResource(id)": { typename: "Resource", field: "id", query: `mutation($id: ID!) { updateResource(id: $id, input: { name: "x" }) { ${E} } }` },
  "Mutation.updateSchedule(id)": { typename: "Schedule", field: "id", query: `mutation($id: ID!) { updateSchedule(id: $id, input: { name: "x" }) { ${E} } }` },
  "Subscription.alertTriggered(executionId)": { typename: "Execution", field: "executionId", query: "subscription($id: ID!) { alertTriggered(executionId: $id) { id } }" },
  "Subscription.alertTriggered(planId)": { typename: "Plan", field: "planId", query: "subscription($id: ID!) { alertTriggered(planId: $id) { id } }" },
  "Subscription.monitor(executionId)": { typename: "Execution", field: "executionId", query: "subscription($id: ID!) { monitor(executionId: $id) { seq } }" },
};

/** Every ID argument of the printed schema, as `Type.field(arg)` plus the path inside input objects. */
function idArguments(): string[] {
  const schema = buildSchema(readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8"));
  const found: string[] = [];
  const walk = (at: string, type: GraphQLInputType): void => {
    const named = getNamedType(type);
    if (named.name === "ID") found.push(at);
    else if (isInputObjectType(named)) for (const f of Object.values(named.getFields())) walk(`${at}.${f.name}`, f.type);
  };
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()])
    for (const field of Object.values(root?.getFields() ?? {})) for (const arg of field.args) walk(`${root!.name}.${field.name}(${arg.name})`, arg.type);
  return found.sort();
}

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<Body> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  expect(res.status).toBeLessThan(500);
  return (await res.json()) as Body;
}

/** A subscription's first answer over graphql-ws: its first payload or its errors. */
async function firstOverWs(url: string, query: string, variables: Record<string, unknown>): Promise<Body> {
  const client = createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0 });
  try {
    return await new Promise<Body>((resolve) => {
      client.subscribe({ query, variables }, {
        next: (msg) => resolve(msg as Body),
        error: (err) => resolve({ errors: Array.isArray(err) ? (err as Body["errors"]) : [{ message: String(err) }] }),
        complete: () => resolve({}),
      });
    });
  } finally {
    await client.dispose();
  }
}

/** The InvalidIdError of a response, as data (mutations) or as a GraphQL error (queries, subscriptions). */
function invalidId(body: Body): { field: unknown; value: unknown } | undefined {
  const asData = Object.values(body.data ?? {}).find((v): v is { __typename: string; field: string; value: string } => (v as { __typename?: string })?.__typename === "InvalidIdError");
  if (asData) return { field: asData.field, value: asData.value };
  const asError = body.errors?.find((e) => e.extensions?.code === "InvalidIdError");
  return asError && { field: asError.extensions!.field, value: asError.message };
}

describe("ID arguments", () => {
  it("the table below covers every ID argument of the schema", () => {
    expect(Object.keys(CASES).sort()).toEqual(idArguments());
  });
});

describe.each(modes())("every ID argument takes a global ID or a bare UUID, through one decoder ($mode)", ({ embedded }) => {
  let env: InProcess;
  let planId: string;
  let executionId: string;
  beforeAll(async () => {
    env = await startInProcess({ embedded });
    const created = await post(env.url, 'mutation { createPlan(input: { name: "ids", tasks: [{ key: "a", handler: "noop" }] }) { ... on Plan { id } } }', {});
    planId = (created.data!.createPlan as { id: string }).id;
    const scheduled = await post(env.url, "mutation($p: ID!) { scheduleExecution(input: { planId: $p }) { ... on Execution { id } } }", { p: planId });
    executionId = (scheduled.data!.scheduleExecution as { id: string }).id;
  });
  afterAll(async () => env?.stop());

  const send = (c: Case, id: string) => {
    const vars = c.vars ? c.vars(id, planId) : id$(id);
    return c.query.startsWith("subscription") ? firstOverWs(env.url, c.query, vars) : post(env.url, c.query, vars);
  };
  const queriesAndMutations = Object.entries(CASES).filter(([, c]) => !c.query.startsWith("subscription"));

  it.each(queriesAndMutations)("%s: the bare UUID and the global ID of an unknown row get the same answer", async (_name, c) => {
    const global = await send(c, encodeGlobalID(c.typename ?? "Plan", UNKNOWN));
    const bare = await send(c, UNKNOWN);
    expect(invalidId(bare)).toBeUndefined();
    expect(bare).toEqual(global);
  });

  it.each(Object.entries(CASES))("%s: a malformed ID, or the ID of another type, is an InvalidIdError naming the argument", async (_name, c) => {
    for (const bad of ["nope", encodeGlobalID("Plan", "42"), ...(c.typename ? [encodeGlobalID(c.typename === "Plan" ? "Execution" : "Plan", UNKNOWN)] : [])]) {
      const body = await send(c, bad);
      expect(invalidId(body), `${bad}: ${JSON.stringify(body)}`).toMatchObject({ field: c.field });
    }
  });

  it("node(id:) and nodes(ids:) find rows of any type by their bare UUID, and answer with the global ID", async () => {
    const uuidOf = (global: string) => Buffer.from(global, "base64").toString().split(":")[1]!;
    const one = await post(env.url, "query($id: ID!) { node(id: $id) { __typename id } }", { id: uuidOf(executionId).toUpperCase() });
    expect(one).toEqual({ data: { node: { __typename: "Execution", id: executionId } } });
    const many = await post(env.url, "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", { ids: [uuidOf(planId), executionId, UNKNOWN, "nope"] });
    expect(many.data).toEqual({ nodes: [{ __typename: "Plan", id: planId }, { __typename: "Execution", id: executionId }, null, null] });
    expect(many.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([["InvalidIdError", ["nodes", 3]]]);
    expect(await post(env.url, "query($id: ID!) { execution(id: $id) { id } }", { id: uuidOf(executionId) })).toEqual({ data: { execution: { id: executionId } } });
  });

  it("monitor(executionId:) streams the same updates for the bare UUID as for the global ID", async () => {
    const c = CASES["Subscription.monitor(executionId)"]!;
    const uuid = Buffer.from(executionId, "base64").toString().split(":")[1]!;
    expect(await send(c, uuid)).toEqual(await send(c, executionId));
    expect((await send(c, uuid)).data).toEqual({ monitor: { seq: 1 } });
  });
});
