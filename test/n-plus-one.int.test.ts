import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { infra } from "./helpers/infra.ts";
import { startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { monitorWs, schedule } from "./helpers/scenario.ts";
import { CreatePlan, Timelines } from "./operations.ts";
import type { TimelinesQuery } from "./__generated__/graphql.ts";

// plugin-prisma plans nested relations into the parent query: the statement count of a timeline query
// must not grow with the number of executions it lists.
describe.skipIf(!infra().available)("query cost does not grow with the result (no N+1)", () => {
  let env: InProcess;
  let planId: string;

  beforeAll(async () => {
    env = await startInProcess();
    const { createPlan } = await query(env.url, CreatePlan, {
      input: { name: "pair", tasks: [{ key: "x", handler: "noop" }, { key: "y", handler: "noop", dependsOn: ["x"] }] },
    });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    planId = createPlan.id;
  });

  afterAll(async () => env?.stop());

  const runExecutions = async (n: number) => {
    const ids = await Promise.all(Array.from({ length: n }, () => schedule(env.url, planId)));
    await Promise.all(ids.map((id) => monitorWs(env.url, id).done));
  };

  /**
   * Statements issued by one Timelines query: the API's own (the worker's are counted apart), the least of
   * three runs, since the API's background reads (a closing monitor's backfill, the key recheck) only add.
   */
  const cost = async (first: number) => {
    let spent = Infinity;
    let edges: TimelinesQuery["executions"]["edges"] = [];
    for (let i = 0; i < 3; i++) {
      const before = env.apiStatements();
      edges = (await query(env.url, Timelines, { first })).executions.edges;
      spent = Math.min(spent, env.apiStatements() - before);
    }
    return { spent, executions: edges };
  };

  it("issues the same number of statements for 2 and for 20 executions with their tasks and timelines", async () => {
    await runExecutions(2);
    const small = await cost(2);
    expect(small.executions).toHaveLength(2);
    await runExecutions(18);
    const large = await cost(20);
    expect(large.executions).toHaveLength(20);
    // Each listed execution really carries its tasks and full timeline (1 scheduled + started + 2×2 task events + completed).
    for (const { node } of large.executions) {
      expect(node.tasks.map((t) => t.status)).toEqual(["COMPLETED", "COMPLETED"]);
      expect(node.timeline.edges.map((e) => e.node.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    }
    expect(large.spent).toBe(small.spent);
    expect(small.spent).toBeLessThanOrEqual(6);
  });
});
