import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query, request } from "./helpers/clients.ts";
import { graphql } from "./__generated__/gql.ts";
import { metricTick } from "../src/services/metric-streams.ts";

// The built-in metric streams against the real API and worker (in process): per-run samples after a
// run's end, the tick (execution_duration_ms of running executions, system metrics) and retention.

const StreamsCreatePlan = graphql(`
  mutation StreamsCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) { __typename ... on Plan { id } }
  }
`);

const StreamsSchedule = graphql(`
  mutation StreamsSchedule($input: ScheduleExecutionInput!) {
    scheduleExecution(input: $input) { __typename ... on Execution { id } }
  }
`);

const StreamsSeries = graphql(`
  query StreamsSeries($id: ID!, $metric: String!, $since: DateTime, $limit: Int) {
    execution(id: $id) { status metricSeries(metric: $metric, since: $since, limit: $limit) { timestamp value labels } }
  }
`);

describe.each(modes())("metric streams ($mode)", ({ embedded }) => {
  let app: InProcess;

  beforeAll(async () => {
    app = await startInProcess({ embedded,  handlerModules: "./test/fixtures/handlers.ts" });
  });
  afterAll(() => app?.stop());

  const start = async (tasks: unknown[]) => {
    const { createPlan } = await query(app.url, StreamsCreatePlan, { input: { name: `streams ${Math.random()}`, tasks: tasks as never } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    const { scheduleExecution } = await query(app.url, StreamsSchedule, { input: { planId: createPlan.id } });
    if (scheduleExecution.__typename !== "Execution") throw new Error(scheduleExecution.__typename);
    return scheduleExecution.id;
  };
  const series = async (id: string, metric: string, extra: { since?: string; limit?: number } = {}) => (await query(app.url, StreamsSeries, { id, metric, ...extra })).execution!;
  const waitFor = async (fn: () => Promise<boolean>, timeoutMs = 15_000) => {
    for (const end = Date.now() + timeoutMs; !(await fn()); await new Promise((r) => setTimeout(r, 50)))
      if (Date.now() > end) throw new Error("condition not met");
  };

  it("a run's end reports task_duration_ms and queue_wait_ms (by task), progress, failed_tasks and cost, visible through metricSeries", async () => {
    const id = await start([
      { key: "a", handler: "report", input: { label: "a", steps: 2, stepMs: 30, cost: 2 } },
      { key: "b", handler: "sleep", input: { ms: 50 }, dependsOn: ["a"] },
    ]);
    // Each run end's samples are written together, in the worker's next flush of them (one INSERT).
    await waitFor(async () => ((s) => s.status === "COMPLETED" && s.metricSeries.length === 2)(await series(id, "task_duration_ms")));
    const durations = (await series(id, "task_duration_ms")).metricSeries;
    expect(durations.map((p) => (p.labels as { task: string }).task)).toEqual(["a", "b"]);
    expect(durations[0]!.value).toBeGreaterThanOrEqual(55);
    expect(durations[1]!.value).toBeGreaterThanOrEqual(45);
    const waits = (await series(id, "queue_wait_ms")).metricSeries;
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w.value).toBeGreaterThanOrEqual(0);
    expect((await series(id, "progress")).metricSeries.map((p) => p.value)).toEqual([50, 100]);
    expect((await series(id, "failed_tasks")).metricSeries.map((p) => p.value)).toEqual([0, 0]);
    // ctx.metric("cost") is reported once per run: no second, built-in cost sample.
    expect((await series(id, "cost")).metricSeries.map((p) => p.value)).toEqual([2]);
    const final = (await series(id, "execution_duration_ms")).metricSeries.at(-1)!;
    expect(final.value).toBeGreaterThanOrEqual(100);
    // limit keeps the newest, oldest first; since filters; the limit is bounded.
    expect((await series(id, "progress", { limit: 1 })).metricSeries.map((p) => p.value)).toEqual([100]);
    expect((await series(id, "progress", { since: new Date(Date.now() + 60_000).toISOString() })).metricSeries).toEqual([]);
    const tooMany = await request(app.url, StreamsSeries, { id, metric: "progress", limit: 5001 });
    expect(tooMany.errors?.[0]?.message).toMatch(/limit/);
  });

  it("a failed task shows in failed_tasks and error_rate", async () => {
    const id = await start([{ key: "x", handler: "fail", input: { message: "boom" } }]);
    // The run's samples are written once its end is committed (in a batch): after FAILED is visible, not with it.
    const reported = async (metric: string) => ((s) => s.status === "FAILED" && s.metricSeries.length > 0)(await series(id, metric));
    await waitFor(async () => (await reported("failed_tasks")) && (await reported("error_rate")));
    expect((await series(id, "failed_tasks")).metricSeries.at(-1)!.value).toBe(1);
    expect((await series(id, "error_rate")).metricSeries.at(-1)!.value).toBe(1);
  });

  it("execution_duration_ms grows on the tick while a long task runs; the system metrics are sampled too", async () => {
    const id = await start([{ key: "long", handler: "sleep", input: { ms: 3500 } }]);
    await waitFor(async () => (await series(id, "execution_duration_ms")).metricSeries.length >= 2, 10_000);
    const points = (await series(id, "execution_duration_ms")).metricSeries;
    expect((await series(id, "execution_duration_ms")).status).toBe("RUNNING");
    expect(points[1]!.value).toBeGreaterThan(points[0]!.value);
    const system = await app.services.db.prisma.metricSample.findMany({
      where: { executionId: null, metric: { in: ["queue_depth", "running_executions", "running_tasks", "workers", "throughput"] } },
      orderBy: { timestamp: "desc" },
      take: 50,
    });
    expect(new Set(system.map((s) => s.metric))).toEqual(new Set(["queue_depth", "running_executions", "running_tasks", "workers", "throughput"]));
    const latest = (metric: string) => system.find((s) => s.metric === metric)!.value;
    expect(latest("workers")).toBe(1);
    expect(latest("running_executions")).toBeGreaterThanOrEqual(1);
    expect(latest("running_tasks")).toBeGreaterThanOrEqual(1);
    // One sample per tick, whatever the number of ticks attempted: ticks are at least ~0.8 s apart.
    const ticks = system.filter((s) => s.metric === "workers").map((s) => s.timestamp.getTime()).sort();
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBeGreaterThanOrEqual(800);
    await waitFor(async () => (await series(id, "execution_duration_ms")).status === "COMPLETED");
  });

  it("the tick deletes samples past the retention", async () => {
    const old = new Date(Date.now() - 2 * 86_400_000);
    const id = await start([{ key: "n", handler: "noop" }]);
    await app.services.db.prisma.metricSample.create({ data: { metric: "old_metric", value: 1, timestamp: old, executionId: decodeGlobalID(id).id } });
    await app.services.db.prisma.metricSample.create({ data: { metric: "old_metric", value: 2, timestamp: new Date() , executionId: decodeGlobalID(id).id } });
    expect((await series(id, "old_metric")).metricSeries).toHaveLength(2);
    // Not this caller's turn while another tick ran within the last tick interval: wait for one that runs.
    let result: Awaited<ReturnType<typeof metricTick>> = null;
    await waitFor(async () => (result = await metricTick(app.services, { now: new Date(), tickMs: 1000, retentionMs: 86_400_000, aliveMs: 90_000, prune: true })) !== null);
    expect(result!.pruned).toBeGreaterThanOrEqual(1);
    expect((await series(id, "old_metric")).metricSeries.map((p) => p.value)).toEqual([2]);
  });
});
