import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query, subscribeWs } from "./helpers/clients.ts";
import { graphql } from "./__generated__/gql.ts";
import type { MetricSampleInput, SetAlertInput } from "./__generated__/graphql.ts";

// Alert rules against the real API and worker (in process): for-duration, hysteresis, acknowledgement,
// the alertTriggered subscription (graphql-ws) and webhook delivery with retries to a local receiver.

const AlertsSet = graphql(`
  mutation AlertsSet($input: SetAlertInput!) {
    setAlert(input: $input) {
      __typename
      ... on AlertRule { id metric durationMs resolveThreshold severity }
      ... on Error { message }
      ... on ValidationError { field }
    }
  }
`);

const AlertsRemove = graphql(`
  mutation AlertsRemove($id: ID!) {
    removeAlert(id: $id) { __typename ... on RemoveAlertPayload { removedAlertRuleId } ... on Error { message } }
  }
`);

const AlertsReport = graphql(`
  mutation AlertsReport($samples: [MetricSampleInput!]!) {
    reportMetrics(samples: $samples) { __typename ... on ReportMetricsPayload { accepted } ... on Error { message } }
  }
`);

const AlertsList = graphql(`
  query AlertsList($filter: AlertFilter) {
    alerts(filter: $filter, first: 50) {
      edges { node { id state value message severity triggeredAt resolvedAt acknowledgedAt executionId rule { id } deliveries { kind attempt status error deliveredAt nextAttemptAt } } }
    }
  }
`);

const AlertsAck = graphql(`
  mutation AlertsAck($id: ID!) {
    acknowledgeAlert(id: $id) { __typename ... on Alert { id acknowledgedAt } ... on Error { message } }
  }
`);

const AlertsLive = graphql(`
  subscription AlertsLive($executionId: ID, $planId: ID) {
    alertTriggered(executionId: $executionId, planId: $planId) { id state value severity executionId rule { id metric } }
  }
`);

const AlertsCreatePlan = graphql(`
  mutation AlertsCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) { __typename ... on Plan { id } }
  }
`);

const AlertsSchedule = graphql(`
  mutation AlertsSchedule($input: ScheduleExecutionInput!) {
    scheduleExecution(input: $input) { __typename ... on Execution { id } }
  }
`);

interface Received {
  body: { alert: { id: string; state: string }; rule: { id: string }; state: string };
}

/** A webhook receiver answering 500 to the first `failures` requests. */
async function receiver(failures = 0) {
  const received: Received[] = [];
  let seen = 0;
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      seen += 1;
      received.push({ body: JSON.parse(raw) });
      res.statusCode = seen <= failures ? 500 : 200;
      res.end(seen <= failures ? "try later" : "ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(modes())("alerts ($mode)", ({ embedded }) => {
  let app: InProcess;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let flaky: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    app = await startInProcess({ embedded,  handlerModules: "./test/fixtures/handlers.ts" });
    hook = await receiver();
    flaky = await receiver(2);
  });
  afterAll(async () => {
    await app?.stop();
    await hook?.close();
    await flaky?.close();
  });

  const set = async (input: SetAlertInput) => (await query(app.url, AlertsSet, { input })).setAlert;
  const setOk = async (input: SetAlertInput) => {
    const r = await set(input);
    if (r.__typename !== "AlertRule") throw new Error(JSON.stringify(r));
    return r;
  };
  const report = async (samples: MetricSampleInput[]) => {
    const r = (await query(app.url, AlertsReport, { samples })).reportMetrics;
    if (r.__typename !== "ReportMetricsPayload") throw new Error(JSON.stringify(r));
  };
  const alertsOf = async (ruleId: string) => (await query(app.url, AlertsList, { filter: { ruleId } })).alerts.edges.map((e) => e.node);
  const waitFor = async (fn: () => Promise<boolean> | boolean, timeoutMs = 15_000) => {
    for (const end = Date.now() + timeoutMs; !(await fn()); await new Promise((r) => setTimeout(r, 50)))
      if (Date.now() > end) throw new Error("condition not met");
  };

  it("cpu_usage GT 90 for 1500 ms fires only after the duration, resolves with hysteresis, streams, delivers and is acknowledged", async () => {
    const rule = await setOk({ condition: { metric: "cpu_usage", operator: "GT", threshold: 90, duration: 1500, resolveThreshold: 80 }, webhookUrl: hook.url, severity: "CRITICAL" });
    const live = subscribeWs(app.url, AlertsLive, {});
    await new Promise((r) => setTimeout(r, 300)); // the subscription is live
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    await report([{ metric: "cpu_usage", value: 95, timestamp: at(0) }]);
    await report([{ metric: "cpu_usage", value: 97, timestamp: at(100) }]);
    expect(Date.now() - t0).toBeLessThan(1500); // the duration is long enough for a loaded machine: this check means something
    expect(await alertsOf(rule.id)).toEqual([]); // PENDING, not yet firing

    // No further sample: the worker's sweep fires the steady condition at its duration.
    await waitFor(async () => (await alertsOf(rule.id)).length === 1);
    const [alert] = await alertsOf(rule.id);
    expect(alert).toMatchObject({ state: "FIRING", value: 97, severity: "CRITICAL" });
    expect(new Date(alert!.triggeredAt).getTime()).toBeGreaterThanOrEqual(t0 + 1500);

    await live.until((r) => r.some((a) => a.alertTriggered.rule.id === rule.id));
    expect(live.received.find((a) => a.alertTriggered.rule.id === rule.id)!.alertTriggered).toMatchObject({ id: alert!.id, state: "FIRING", value: 97 });
    await live.close();

    // Hysteresis: below the threshold but above resolveThreshold keeps it firing; one alert per period.
    await report([{ metric: "cpu_usage", value: 85, timestamp: at(2000) }]);
    await report([{ metric: "cpu_usage", value: 95, timestamp: at(2100) }]);
    await report([{ metric: "cpu_usage", value: 88, timestamp: at(2200) }]);
    expect((await alertsOf(rule.id)).map((a) => a.state)).toEqual(["FIRING"]);
    await report([{ metric: "cpu_usage", value: 80, timestamp: at(2300) }]);
    const [resolved] = await alertsOf(rule.id);
    expect(resolved).toMatchObject({ id: alert!.id, state: "RESOLVED", resolvedAt: at(2300) });

    // Both transitions reach the webhook.
    await waitFor(() => hook.received.filter((r) => r.body.rule.id === decodeGlobalID(rule.id).id).length === 2);
    expect(hook.received.filter((r) => r.body.rule.id === decodeGlobalID(rule.id).id).map((r) => [r.body.alert.id, r.body.state])).toEqual([
      [decodeGlobalID(alert!.id).id, "FIRING"],
      [decodeGlobalID(alert!.id).id, "RESOLVED"],
    ]);
    await waitFor(async () => (await alertsOf(rule.id))[0]!.deliveries.every((d) => d.deliveredAt !== null));

    const ack = (await query(app.url, AlertsAck, { id: alert!.id })).acknowledgeAlert;
    expect(ack.__typename).toBe("Alert");
    expect((await alertsOf(rule.id))[0]!.acknowledgedAt).not.toBeNull();
  });

  it("a sample after the duration fires at once; a failing receiver is retried with backoff and each attempt recorded", async () => {
    const rule = await setOk({ condition: { metric: "disk_usage", operator: "GTE", threshold: 0.9, duration: 1000 }, webhookUrl: flaky.url, labels: { host: "db1" } });
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    await report([{ metric: "disk_usage", value: 0.95, timestamp: at(0), labels: { host: "other" } }]);
    await report([{ metric: "disk_usage", value: 0.95, timestamp: at(0), labels: { host: "db1" } }]);
    await report([{ metric: "disk_usage", value: 0.96, timestamp: at(999), labels: { host: "db1" } }]);
    expect(Date.now() - t0).toBeLessThan(1000); // else the sweep could have fired it: the check below would mean nothing
    expect(await alertsOf(rule.id)).toEqual([]);
    await report([{ metric: "disk_usage", value: 0.97, timestamp: at(1000), labels: { host: "db1" } }]);
    const [alert] = await alertsOf(rule.id);
    expect(alert).toMatchObject({ state: "FIRING", value: 0.97, triggeredAt: at(1000) });

    await waitFor(async () => (await alertsOf(rule.id))[0]!.deliveries.some((d) => d.deliveredAt !== null), 20_000);
    const deliveries = (await alertsOf(rule.id))[0]!.deliveries;
    expect(deliveries.map((d) => [d.attempt, d.status, d.deliveredAt !== null])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    expect(deliveries[0]!.error).toContain("HTTP 500");
    expect(flaky.received).toHaveLength(3);
  });

  it("a receiver sees an alert's transitions in order: RESOLVED waits while TRIGGERED is retried", async () => {
    const failing = await receiver(1);
    try {
      const rule = await setOk({ condition: { metric: "queue_len", operator: "GT", threshold: 10 }, webhookUrl: failing.url });
      const t0 = Date.now();
      await report([{ metric: "queue_len", value: 20, timestamp: new Date(t0).toISOString() }]);
      await report([{ metric: "queue_len", value: 5, timestamp: new Date(t0 + 10).toISOString() }]);
      expect((await alertsOf(rule.id)).map((a) => a.state)).toEqual(["RESOLVED"]); // both deliveries were due together
      await waitFor(() => failing.received.length === 3, 20_000);
      // The first TRIGGERED POST failed; its retry comes before RESOLVED.
      expect(failing.received.map((r) => r.body.state)).toEqual(["FIRING", "FIRING", "RESOLVED"]);
    } finally {
      await failing.close();
    }
  });

  it("a plan-scoped rule fires per execution, with ALERT_TRIGGERED on its timeline and on the plan's stream", async () => {
    const { createPlan } = await query(app.url, AlertsCreatePlan, { input: { name: "costly", tasks: [{ key: "r", handler: "report", input: { label: "r", steps: 1, stepMs: 0, cost: 5 } }] } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    const rule = await setOk({ condition: { metric: "cost", operator: "GT", threshold: 4 }, planId: createPlan.id });
    const live = subscribeWs(app.url, AlertsLive, { planId: createPlan.id });
    await new Promise((r) => setTimeout(r, 300));
    const { scheduleExecution } = await query(app.url, AlertsSchedule, { input: { planId: createPlan.id } });
    if (scheduleExecution.__typename !== "Execution") throw new Error(scheduleExecution.__typename);
    await waitFor(async () => (await alertsOf(rule.id)).length === 1);
    const [alert] = await alertsOf(rule.id);
    expect(alert).toMatchObject({ state: "FIRING", value: 5, executionId: scheduleExecution.id });
    await live.until((r) => r.length === 1);
    expect(live.received[0]!.alertTriggered).toMatchObject({ id: alert!.id, executionId: scheduleExecution.id });
    await live.close();
    const events = await app.services.db.prisma.executionEvent.findMany({ where: { executionId: decodeGlobalID(scheduleExecution.id).id, type: "ALERT_TRIGGERED" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ alertId: decodeGlobalID(alert!.id).id, value: 5 });
  });

  it("execution_duration_ms GT 500 (the worker's metric tick) fires for a long execution, on alertTriggered and at the webhook", async () => {
    const { createPlan } = await query(app.url, AlertsCreatePlan, { input: { name: "long", tasks: [{ key: "r", handler: "report", input: { label: "r", steps: 10, stepMs: 300 } }] } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    const rule = await setOk({ condition: { metric: "execution_duration_ms", operator: "GT", threshold: 500 }, planId: createPlan.id, webhookUrl: hook.url });
    const { scheduleExecution } = await query(app.url, AlertsSchedule, { input: { planId: createPlan.id } });
    if (scheduleExecution.__typename !== "Execution") throw new Error(scheduleExecution.__typename);
    const live = subscribeWs(app.url, AlertsLive, { executionId: scheduleExecution.id });
    await live.until((r) => r.length === 1, 15_000);
    expect(live.received[0]!.alertTriggered).toMatchObject({ executionId: scheduleExecution.id, state: "FIRING", rule: { id: rule.id, metric: "execution_duration_ms" } });
    expect(live.received[0]!.alertTriggered.value).toBeGreaterThan(500);
    await live.close();
    const alertId = decodeGlobalID(live.received[0]!.alertTriggered.id).id;
    await waitFor(() => hook.received.some((r) => r.body.alert.id === alertId && r.body.state === "FIRING"));
    expect(await alertsOf(rule.id)).toHaveLength(1); // one alert per scope per firing period, however many ticks
  });

  it("rejects bad input with typed errors naming the field", async () => {
    const base = { metric: "cpu_usage", operator: "GT" as const, threshold: 90 };
    const field = async (input: SetAlertInput) => {
      const r = await set(input);
      return r.__typename === "ValidationError" ? r.field : r.__typename;
    };
    expect(await field({ condition: { ...base, metric: "9bad name" } })).toBe("input.condition.metric");
    expect(await field({ condition: { ...base, duration: 86_400_001 } })).toBe("input.condition.duration");
    expect(await field({ condition: { ...base, duration: -1 } })).toBe("input.condition.duration");
    expect(await field({ condition: { ...base, resolveThreshold: 95 } })).toBe("input.condition.resolveThreshold");
    expect(await field({ condition: base, webhookUrl: "ftp://example.com/x" })).toBe("input.webhookUrl");
    expect(await field({ condition: base, webhookUrl: "not a url" })).toBe("input.webhookUrl");
    expect(await field({ condition: base, labels: { host: 1 } })).toBe("input.labels.host");
    expect(await field({ condition: base, labels: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"])) })).toBe("input.labels");
    expect(await field({ condition: base, labels: ["a"] })).toBe("input.labels");
    expect(await field({ condition: base, planId: "nope" })).toBe("InvalidIdError");
    expect(await field({ condition: base, planId: "00000000-0000-4000-8000-000000000000" })).toBe("NotFoundError");
    expect((await query(app.url, AlertsRemove, { id: "00000000-0000-4000-8000-000000000000" })).removeAlert.__typename).toBe("NotFoundError");
    expect((await query(app.url, AlertsAck, { id: "00000000-0000-4000-8000-000000000000" })).acknowledgeAlert.__typename).toBe("NotFoundError");
    const ok = await setOk({ condition: base });
    expect((await query(app.url, AlertsRemove, { id: ok.id })).removeAlert.__typename).toBe("RemoveAlertPayload");
  });
});
