import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { CreatePlan, ScheduleExecution } from "./operations.ts";
import { PLAN_LIMITS } from "../src/domain/dag.ts";
import { decodeGlobalID } from "@pothos/plugin-relay";

// A plan of PLAN_LIMITS.maxTasks (10,000) tasks goes through the API: a root, a fan-out of 9,998 and a
// sink that depends on as many of them as a task may (maxDependsOn). Running wide plans is measured by
// `npm run bench:peers` (d), not here.

describe.each(modes())("plans of 10,000 tasks ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => {
    env = await startInProcess({ embedded, startWorker: false });
  });
  afterAll(() => env?.stop());

  const fan = (n: number) => {
    const middle = Array.from({ length: n - 2 }, (_, i) => `m${i}`);
    return [{ key: "root", handler: "noop" }, ...middle.map((key) => ({ key, handler: "noop", dependsOn: ["root"] })), { key: "sink", handler: "noop", dependsOn: middle.slice(0, PLAN_LIMITS.maxDependsOn) }];
  };

  it("are created and scheduled through the API, each run with its counters", async () => {
    const { createPlan } = await query(env.url, CreatePlan, { input: { name: "fan", tasks: fan(PLAN_LIMITS.maxTasks) } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    expect(createPlan.tasks).toHaveLength(10_000);
    const { scheduleExecution } = await query(env.url, ScheduleExecution, { input: { planId: createPlan.id } });
    if (scheduleExecution.__typename !== "Execution") throw new Error(scheduleExecution.__typename);
    const runs = await env.services.db.sql.query<{ key: string; status: string; pendingDeps: number; downstream: number; dependants: number }>(
      `SELECT key, status, "pendingDeps", downstream, cardinality(dependants) AS dependants FROM "TaskRun" WHERE "executionId" = $1 AND key IN ('root', 'm0', 'sink') ORDER BY position`,
      [decodeGlobalID(scheduleExecution.id).id],
    );
    expect(runs).toEqual([
      { key: "root", status: "READY", pendingDeps: 0, downstream: 2, dependants: 9_998 },
      { key: "m0", status: "WAITING", pendingDeps: 1, downstream: 1, dependants: 1 },
      { key: "sink", status: "WAITING", pendingDeps: 256, downstream: 0, dependants: 0 },
    ]);
  }, 120_000);

  it("one task more is refused, naming the field, and writes nothing", async () => {
    const before = await env.services.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Plan"`);
    const { createPlan } = await query(env.url, CreatePlan, { input: { name: "too big", tasks: fan(PLAN_LIMITS.maxTasks + 1) } });
    expect(createPlan).toMatchObject({ __typename: "ValidationError", field: "tasks", reason: "a plan may hold at most 10000 tasks" });
    expect(await env.services.db.sql.query(`SELECT count(*)::int AS n FROM "Plan"`)).toEqual(before);
  }, 120_000);
});
