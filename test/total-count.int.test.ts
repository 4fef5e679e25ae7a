import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query, request } from "./helpers/clients.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { graphql } from "./__generated__/gql.ts";

// Connections a client pages through say how many items there are in all: executions by filter, an
// execution's timeline and its messages (with their filters), whatever page is asked for.

const CountPlan = graphql(`
  mutation CountPlan($input: CreatePlanInput!) {
    createPlan(input: $input) { __typename ... on Plan { id } ... on Error { message } }
  }
`);

const CountRun = graphql(`
  mutation CountRun($planId: ID!) {
    scheduleExecution(input: { planId: $planId }) { __typename ... on Execution { id } ... on Error { message } }
  }
`);

const CountExecutions = graphql(`
  query CountExecutions($filter: ExecutionFilter, $first: Int) {
    executions(filter: $filter, first: $first) { totalCount edges { node { id status } } pageInfo { hasNextPage } }
  }
`);

const CountOnly = graphql(`
  query CountOnly($filter: ExecutionFilter) {
    executions(filter: $filter) { totalCount }
  }
`);

const CountTimeline = graphql(`
  query CountTimeline($id: ID!, $level: [MessageLevel!]) {
    execution(id: $id) {
      lastSeq
      timeline(first: 1) { totalCount edges { node { seq } } }
      messages(first: 1) { totalCount }
      errors: messages(first: 1, level: $level) { totalCount }
    }
  }
`);

describe.each(modes())("totalCount ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded })));
  afterAll(() => env?.stop());

  const plan = async (name: string, handler: string) => {
    const r = (await query(env.url, CountPlan, { input: { name, tasks: [{ key: "a", handler, retryPolicy: { maxRetries: 0 } }] } })).createPlan;
    if (r.__typename !== "Plan") throw new Error(JSON.stringify(r));
    return r.id;
  };
  const run = async (planId: string) => {
    const r = (await query(env.url, CountRun, { planId })).scheduleExecution;
    if (r.__typename !== "Execution") throw new Error(JSON.stringify(r));
    return r.id;
  };
  const ended = async (filter: object, n: number) => {
    for (let i = 0; i < 600; i++) {
      if ((await query(env.url, CountOnly, { filter })).executions.totalCount >= n) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`fewer than ${n} executions matched ${JSON.stringify(filter)}`);
  };

  it("executions: the number matching the filter, on every page, and alone without a page", async () => {
    const ok = await plan("count-ok", "noop");
    const bad = await plan("count-bad", "fail");
    for (let i = 0; i < 3; i++) await run(ok);
    await run(bad);
    await ended({ planId: ok, status: ["COMPLETED"] }, 3);
    await ended({ planId: bad, status: ["FAILED"] }, 1);

    const page = (await query(env.url, CountExecutions, { filter: { planId: ok }, first: 2 })).executions;
    expect(page).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    expect(page.edges).toHaveLength(2);
    expect((await query(env.url, CountOnly, { filter: { planId: bad } })).executions.totalCount).toBe(1);
    expect((await query(env.url, CountOnly, { filter: { planId: ok, status: ["FAILED"] } })).executions.totalCount).toBe(0);
    expect((await query(env.url, CountOnly, { filter: { status: ["COMPLETED", "FAILED"] } })).executions.totalCount).toBeGreaterThanOrEqual(4);
  });

  it("a malformed filter.planId is an InvalidIdError naming it, with totalCount selected alone too", async () => {
    const bad = await request(env.url, CountOnly, { filter: { planId: "not-an-id" } });
    expect(bad.data).toBeNull();
    expect(bad.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([["InvalidIdError", "filter.planId"]]);
  });

  it("timeline and messages: every event and message of the execution, filters applied, whatever the page", async () => {
    const planId = await plan("count-messages", "fail");
    const id = await run(planId);
    await ended({ planId, status: ["FAILED"] }, 1);
    const e = (await query(env.url, CountTimeline, { id, level: ["ERROR"] })).execution!;
    expect(e.timeline.edges).toHaveLength(1);
    expect(e.timeline.totalCount).toBe(e.lastSeq); // seqs are 1…lastSeq, gap-free
    expect(e.errors.totalCount).toBeGreaterThanOrEqual(1); // the failure's ERROR message
    expect(e.messages.totalCount).toBeGreaterThanOrEqual(e.errors.totalCount);
    // Filtered counts add up to the unfiltered one.
    const byLevel = await Promise.all((["DEBUG", "INFO", "WARNING", "ERROR"] as const).map(async (level) => (await query(env.url, CountTimeline, { id, level: [level] })).execution!.errors.totalCount));
    expect(byLevel.reduce((a, b) => a + b, 0)).toBe(e.messages.totalCount);
  });
});
