import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { infra } from "./helpers/infra.ts";
import { startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query, request } from "./helpers/clients.ts";
import { monitorSse, monitorWs } from "./helpers/scenario.ts";
import { CreatePlan, ExecutionDetails, Node, PlanById, ScheduleExecution } from "./operations.ts";
import type { TaskInput } from "./__generated__/graphql.ts";

// Every bad input gets a typed error naming the field and the reason, and writes nothing.
describe.skipIf(!infra().available)("bad input through the API", () => {
  let env: InProcess;
  let planId: string;

  beforeAll(async () => {
    env = await startInProcess();
    const { createPlan } = await query(env.url, CreatePlan, { input: { name: "ok", tasks: [{ key: "a", handler: "noop" }] } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    planId = createPlan.id;
  });

  afterAll(async () => env?.stop());

  const rowCounts = async () => {
    const rows = await env.services.db.sql.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM "Plan")::int AS plans, (SELECT count(*) FROM "PlanTask")::int AS "planTasks",
              (SELECT count(*) FROM "Execution")::int AS executions, (SELECT count(*) FROM "TaskRun")::int AS "taskRuns",
              (SELECT count(*) FROM "ExecutionEvent")::int AS events`,
    );
    return rows[0];
  };

  const createPlan = async (tasks: TaskInput[], name = "bad") => {
    const before = await rowCounts();
    const { createPlan: result } = await query(env.url, CreatePlan, { input: { name, tasks } });
    expect(await rowCounts(), "nothing written").toEqual(before);
    return result;
  };

  const sleep = (key: string, dependsOn: string[] = []): TaskInput => ({ key, handler: "sleep", input: { ms: 1 }, dependsOn });

  it("rejects duplicate task keys", async () => {
    expect(await createPlan([sleep("a"), sleep("b"), sleep("a")])).toMatchObject({ __typename: "DuplicateTaskKeyError", field: "tasks[2].key", key: "a" });
  });

  it("rejects unknown dependsOn keys", async () => {
    expect(await createPlan([sleep("a"), sleep("b", ["a", "zz"])])).toMatchObject({
      __typename: "UnknownDependencyError", field: "tasks[1].dependsOn[1]", taskKey: "b", dependency: "zz",
    });
  });

  it("rejects unknown handlers, listing the known ones", async () => {
    const result = await createPlan([{ key: "a", handler: "teleport" }]);
    expect(result).toMatchObject({ __typename: "UnknownHandlerError", field: "tasks[0].handler", handler: "teleport" });
    expect(result.__typename === "UnknownHandlerError" && result.knownHandlers).toEqual(["fail", "flaky", "http", "noop", "sleep"]);
  });

  it("rejects cycles and names them", async () => {
    const result = await createPlan([sleep("a", ["c"]), sleep("b", ["a"]), sleep("c", ["b"]), sleep("d")]);
    expect(result).toMatchObject({ __typename: "CycleError", field: "tasks", cycle: ["a", "b", "c", "a"] });
    expect(result.__typename === "CycleError" && result.message).toContain("a → b → c → a");
  });

  it("rejects an empty plan", async () => {
    expect(await createPlan([])).toMatchObject({ __typename: "ValidationError", field: "tasks", reason: "a plan needs at least one task" });
  });

  it("rejects oversize inputs", async () => {
    const big = "x".repeat(70 * 1024);
    expect(await createPlan([{ key: "a", handler: "noop", input: { big } }])).toMatchObject({ __typename: "ValidationError", field: "tasks[0].input" });
    expect(await createPlan([sleep("a")], "n".repeat(201))).toMatchObject({ __typename: "ValidationError", field: "name" });
  });

  it("rejects a handler input that does not fit the handler's schema, naming the nested field", async () => {
    expect(await createPlan([{ key: "a", handler: "sleep", input: { ms: -5 } }])).toMatchObject({ __typename: "ValidationError", field: "tasks[0].input.ms" });
    expect(await createPlan([{ key: "a", handler: "http", input: { url: "ftp://example.com" } }])).toMatchObject({ __typename: "ValidationError", field: "tasks[0].input.url" });
  });

  it("returns InvalidIdError for malformed IDs and IDs of another type, NotFoundError for unknown plans", async () => {
    const before = await rowCounts();
    const schedule = async (id: string) => (await query(env.url, ScheduleExecution, { input: { planId: id } })).scheduleExecution;
    expect(await schedule("not-an-id")).toMatchObject({ __typename: "InvalidIdError", field: "input.planId", value: "not-an-id" });
    expect(await schedule(encodeGlobalID("Execution", "8ff72ed9-4335-4090-ad5b-0076247191bd"))).toMatchObject({ __typename: "InvalidIdError", field: "input.planId" });
    expect(await schedule(encodeGlobalID("Plan", "42"))).toMatchObject({ __typename: "InvalidIdError" });
    const missing = encodeGlobalID("Plan", "8ff72ed9-4335-4090-ad5b-0076247191bd");
    expect(await schedule(missing)).toMatchObject({ __typename: "NotFoundError", entity: "Plan", entityId: "8ff72ed9-4335-4090-ad5b-0076247191bd" });
    expect(await rowCounts()).toEqual(before);
  });

  it("rejects oversize params without writing", async () => {
    const before = await rowCounts();
    const { scheduleExecution } = await query(env.url, ScheduleExecution, { input: { planId, params: { blob: "y".repeat(70 * 1024) } } });
    expect(scheduleExecution).toMatchObject({ __typename: "ValidationError", field: "params" });
    expect(await rowCounts()).toEqual(before);
  });

  it("answers malformed IDs in queries with a typed GraphQL error, and unknown ones with null", async () => {
    const bad = await request(env.url, ExecutionDetails, { id: "###" });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "InvalidIdError", field: "id" });
    const unknown = await query(env.url, ExecutionDetails, { id: encodeGlobalID("Execution", "8ff72ed9-4335-4090-ad5b-0076247191bd") });
    expect(unknown.execution).toBeNull();
    expect((await query(env.url, Node, { id: planId })).node).toMatchObject({ __typename: "Plan", name: "ok" });
    expect((await query(env.url, PlanById, { id: planId })).plan).toMatchObject({ name: "ok", tasks: [{ key: "a", handler: "noop", dependsOn: [] }] });
    const wrongType = await request(env.url, PlanById, { id: encodeGlobalID("Execution", "8ff72ed9-4335-4090-ad5b-0076247191bd") });
    expect(wrongType.errors?.[0]?.extensions).toMatchObject({ code: "InvalidIdError", field: "id" });
  });

  it("fails monitor subscriptions on bad IDs and negative afterSeq, over graphql-ws and SSE", async () => {
    await expect(monitorWs(env.url, "garbage").done).rejects.toThrow(/not a valid Execution ID/);
    await expect(monitorSse(env.url, encodeGlobalID("Execution", "8ff72ed9-4335-4090-ad5b-0076247191bd")).done).rejects.toThrow(/Execution 8ff72ed9-4335-4090-ad5b-0076247191bd not found/);
    await expect(monitorWs(env.url, planId, -1).done).rejects.toThrow(/afterSeq/);
  });

  it("rejects queries that are too deep or too large", async () => {
    const deep = `{ plans { edges { node { executions { edges { node { plan { executions { edges { node { plan { executions { edges { node { id } } } } } } } } } } } } } } }`;
    const res = await fetch(env.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: deep }) });
    expect(JSON.stringify(await res.json())).toContain("QUERY_TOO_DEEP");
  });

  it("caps page sizes at 100 whatever `first` asks for", async () => {
    await Promise.all(Array.from({ length: 101 }, (_, i) => query(env.url, CreatePlan, { input: { name: `p${i}`, tasks: [{ key: "a", handler: "noop" }] } })));
    const res = await fetch(env.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ plans(first: 1000) { edges { node { id } } pageInfo { hasNextPage } } }" }) });
    const { data } = (await res.json()) as { data: { plans: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } } };
    expect(data.plans.edges).toHaveLength(100);
    expect(data.plans.pageInfo.hasNextPage).toBe(true);
  });
});
