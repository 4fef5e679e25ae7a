import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { graphql } from "./__generated__/gql.ts";
import type { CreateTriggerInput, MetricSampleInput } from "./__generated__/graphql.ts";

// Metric-condition and webhook triggers against the real API and worker (in process), over HTTP.

const TriggersCreatePlan = graphql(`
  mutation TriggersCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) { __typename ... on Plan { id } }
  }
`);

const TriggersCreate = graphql(`
  mutation TriggersCreate($input: CreateTriggerInput!) {
    createTrigger(input: $input) {
      __typename
      ... on CreateTriggerPayload { secret trigger { id kind armed webhookPath } }
      ... on Error { message }
      ... on ValidationError { field }
    }
  }
`);

const TriggersReport = graphql(`
  mutation TriggersReport($samples: [MetricSampleInput!]!) {
    reportMetrics(samples: $samples) {
      __typename
      ... on ReportMetricsPayload { accepted started { id params } }
      ... on Error { message }
      ... on ValidationError { field }
    }
  }
`);

const TriggersSchedule = graphql(`
  mutation TriggersSchedule($input: ScheduleExecutionInput!) {
    scheduleExecution(input: $input) { __typename ... on Execution { id } }
  }
`);

const TriggersHistory = graphql(`
  query TriggersHistory($id: ID!) {
    trigger(id: $id) { enabled armed lastFiredAt history(first: 50) { edges { node { id params status } } } }
  }
`);

const TriggersSetEnabled = graphql(`
  mutation TriggersSetEnabled($id: ID!, $enabled: Boolean!) {
    setTriggerEnabled(id: $id, enabled: $enabled) { __typename ... on Trigger { enabled } }
  }
`);

const TriggersDelete = graphql(`
  mutation TriggersDelete($id: ID!) {
    deleteTrigger(id: $id) { __typename ... on DeleteTriggerPayload { deletedTriggerId } ... on Error { message } }
  }
`);

describe.each(modes())("triggers ($mode)", ({ embedded }) => {
  let app: InProcess;
  let planId: string;
  let hookBase: string;
  const t0 = Date.now() - 60_000;
  const at = (offsetMs: number) => new Date(t0 + offsetMs).toISOString();

  beforeAll(async () => {
    app = await startInProcess({ embedded,  handlerModules: "./test/fixtures/handlers.ts" });
    hookBase = app.url.replace(/\/graphql$/, "/hooks/");
    const { createPlan } = await query(app.url, TriggersCreatePlan, { input: { name: "on trigger", tasks: [{ key: "a", handler: "noop" }] } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    planId = createPlan.id;
  });
  afterAll(() => app?.stop());

  const create = async (input: Partial<CreateTriggerInput>) => (await query(app.url, TriggersCreate, { input: { planId, kind: "METRIC", ...input } })).createTrigger;
  const createOk = async (input: Partial<CreateTriggerInput>) => {
    const r = await create(input);
    if (r.__typename !== "CreateTriggerPayload") throw new Error(JSON.stringify(r));
    return r;
  };
  const report = async (samples: MetricSampleInput[]) => (await query(app.url, TriggersReport, { samples })).reportMetrics;
  const feed = async (metric: string, points: [number, number][]) => {
    for (const [offset, value] of points) {
      const r = await report([{ metric, value, timestamp: at(offset) }]);
      if (r.__typename !== "ReportMetricsPayload") throw new Error(JSON.stringify(r));
    }
  };
  const history = async (id: string) => (await query(app.url, TriggersHistory, { id })).trigger!.history.edges.map((e) => e.node);
  const executionCount = async (triggerId: string) => (await app.services.db.prisma.execution.count({ where: { triggerId: decodeGlobalID(triggerId).id } }));
  const waitFor = async (fn: () => Promise<boolean>, timeoutMs = 10_000) => {
    for (const end = Date.now() + timeoutMs; !(await fn()); await new Promise((r) => setTimeout(r, 50)))
      if (Date.now() > end) throw new Error("condition not met");
  };

  it("fires once per crossing, with the sample in the params", async () => {
    const { trigger } = await createOk({ metric: "EURUSD.price", operator: "GT", threshold: 1.1, params: { side: "BUY" } });
    await feed("EURUSD.price", [[0, 1.0], [1, 1.2], [2, 1.3], [3, 1.0], [4, 1.15]]);
    const runs = await history(trigger.id);
    expect(runs.map((r) => r.params)).toEqual([
      { side: "BUY", metric: "EURUSD.price", value: 1.15, timestamp: at(4) },
      { side: "BUY", metric: "EURUSD.price", value: 1.2, timestamp: at(1) },
    ]);
    await waitFor(async () => (await history(trigger.id)).every((r) => r.status === "COMPLETED"));
  });

  it("respects the duration and the cooldown", async () => {
    const held = await createOk({ metric: "cpu_usage", operator: "GTE", threshold: 90, durationMs: 300 });
    await feed("cpu_usage", [[0, 95], [200, 95], [250, 10], [260, 95], [500, 95]]);
    expect(await executionCount(held.trigger.id)).toBe(0);
    await feed("cpu_usage", [[560, 95], [600, 99]]);
    expect(await executionCount(held.trigger.id)).toBe(1);

    const cooled = await createOk({ metric: "rsi", operator: "LT", threshold: 30, cooldownMs: 1000 });
    await feed("rsi", [[0, 20], [10, 50], [20, 20], [30, 50], [500, 25], [1010, 50], [1020, 25]]);
    expect((await history(cooled.trigger.id)).map((r) => (r.params as { timestamp: string }).timestamp)).toEqual([at(1020), at(0)]);
  });

  it("fires once when concurrent reports cross together", async () => {
    const { trigger } = await createOk({ metric: "load", operator: "GT", threshold: 5 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => report([{ metric: "load", value: 6 + i, timestamp: at(i) }])));
    const started = results.flatMap((r) => (r.__typename === "ReportMetricsPayload" ? r.started : []));
    expect(started).toHaveLength(1);
    expect(await executionCount(trigger.id)).toBe(1);
  });

  it("a handler's ctx.metric fires a trigger", async () => {
    const { trigger } = await createOk({ metric: "cost", operator: "GT", threshold: 4 });
    const { createPlan } = await query(app.url, TriggersCreatePlan, { input: { name: "costly", tasks: [{ key: "r", handler: "report", input: { label: "r", steps: 1, stepMs: 0, cost: 5 } }] } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    const { scheduleExecution } = await query(app.url, TriggersSchedule, { input: { planId: createPlan.id } });
    expect(scheduleExecution.__typename).toBe("Execution");
    await waitFor(async () => (await executionCount(trigger.id)) === 1);
    expect((await history(trigger.id))[0]!.params).toMatchObject({ metric: "cost", value: 5 });
  });

  it("webhooks: a good HMAC or bearer starts an execution with the body; bad secrets, replays and oversize bodies start nothing", async () => {
    const created = await createOk({ kind: "WEBHOOK", name: "deploy" });
    const { secret, trigger } = created;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const url = hookBase + decodeGlobalID(trigger.id).id;
    expect(trigger.webhookPath).toBe(new URL(url).pathname);
    const post = (body: string, headers: Record<string, string>) => fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
    const sign = (body: string, key = secret!) => `sha256=${createHmac("sha256", key).update(body).digest("hex")}`;

    const body = JSON.stringify({ ref: "main", n: 1 });
    const signed = await post(body, { "x-signature": sign(body), "x-delivery-id": "d-1" });
    expect(signed.status).toBe(202);
    const { executionId } = (await signed.json()) as { executionId: string };
    const bearer = await post(JSON.stringify({ ref: "dev" }), { authorization: `Bearer ${secret}` });
    expect(bearer.status).toBe(202);
    expect((await history(trigger.id)).map((r) => r.params)).toEqual([{ ref: "dev" }, { ref: "main", n: 1 }]);

    const replay = await post(body, { "x-signature": sign(body), "x-delivery-id": "d-1" });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { executionId: string }).executionId).toBe(executionId);

    const byGlobalId = await fetch(hookBase + encodeURIComponent(trigger.id), { method: "POST", body, headers: { authorization: `Bearer ${secret}` } });
    expect(byGlobalId.status).toBe(202);
    expect((await post(body, { "x-signature": sign(body, "wrong") })).status).toBe(401);
    expect((await post(body, { "x-signature": sign(`${body} `) })).status).toBe(401);
    expect((await post(body, { authorization: "Bearer nope" })).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    expect((await post("{not json", { authorization: `Bearer ${secret}` })).status).toBe(400);
    expect((await post(JSON.stringify({ pad: "x".repeat(70_000) }), { authorization: `Bearer ${secret}` })).status).toBe(413);
    expect((await post(body, { authorization: `Bearer ${secret}` }).then((r) => r.status))).toBe(202);
    expect(await executionCount(trigger.id)).toBe(4);

    expect((await fetch(`${hookBase}00000000-0000-4000-8000-000000000000`, { method: "POST", body })).status).toBe(404);
    await query(app.url, TriggersSetEnabled, { id: trigger.id, enabled: false });
    expect((await post(body, { authorization: `Bearer ${secret}` })).status).toBe(404);
    expect((await query(app.url, TriggersDelete, { id: trigger.id })).deleteTrigger.__typename).toBe("DeleteTriggerPayload");
    expect((await query(app.url, TriggersDelete, { id: trigger.id })).deleteTrigger.__typename).toBe("NotFoundError");
  });

  it("rejects bad inputs with typed errors naming the field", async () => {
    const field = (r: { __typename: string; field?: string }) => `${r.__typename}:${r.field ?? ""}`;
    expect(field(await create({ metric: "m", operator: "GT" }))).toBe("ValidationError:input.threshold");
    expect(field(await create({ operator: "GT", threshold: 1 }))).toBe("ValidationError:input.metric");
    expect(field(await create({ metric: "bad name!", operator: "GT", threshold: 1 }))).toBe("ValidationError:input.metric");
    expect(field(await create({ metric: "m", operator: "GT", threshold: 1, cooldownMs: -1 }))).toBe("ValidationError:input.cooldownMs");
    expect(field(await create({ kind: "WEBHOOK", metric: "m" }))).toBe("ValidationError:input.metric");
    expect((await create({ planId: "nope", kind: "WEBHOOK" })).__typename).toBe("InvalidIdError");
    expect((await create({ planId: "00000000-0000-4000-8000-000000000000", kind: "WEBHOOK" })).__typename).toBe("NotFoundError");
    const ok = { metric: "m", value: 1 };
    expect(field((await report([ok, { metric: "-x", value: 1 }])) as never)).toBe("ValidationError:samples[1].metric");
    expect(field((await report([ok, ok, { metric: "m", value: 1, timestamp: "2000-01-01T00:00:00Z" }])) as never)).toBe("ValidationError:samples[2].timestamp");
    expect(field((await report(Array.from({ length: 1001 }, () => ok))) as never)).toBe("ValidationError:samples");
  });
});
