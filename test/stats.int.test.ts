import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { infra } from "./helpers/infra.ts";
import { startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { monitorWs } from "./helpers/scenario.ts";
import { graphql } from "./__generated__/gql.ts";
import { CreatePlan, ScheduleExecution } from "./operations.ts";

const HANDLERS = "./test/fixtures/stats-handlers.ts";

const EngineStatsQuery = graphql(`
  query EngineStats($windowMs: Int) {
    engineStats(windowMs: $windowMs) {
      windowMs
      executionsByStatus { status count }
      successRate
      throughputPerMinute
      queueDepth
      runningTasks
      avgWaitMs
      avgDurationMs
      workers
    }
  }
`);

const PlanStatsQuery = graphql(`
  query PlanStats($id: ID!, $windowMs: Int) {
    plan(id: $id) {
      health(windowMs: $windowMs)
      stats(windowMs: $windowMs) {
        windowMs executions successes failures cancelled successRate avgDurationMs
        tasks { key runs successes failures successRate avgDurationMs }
      }
    }
  }
`);

const PlansStatsQuery = graphql(`
  query PlansStats($first: Int) {
    plans(first: $first) { edges { node { id health stats { executions successRate tasks { key runs } } } } }
  }
`);

async function createPlan(url: string, name: string, tasks: { key: string; handler: string; dependsOn?: string[] }[]): Promise<string> {
  const { createPlan } = await query(url, CreatePlan, { input: { name, tasks } });
  if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
  return createPlan.id;
}

async function schedule(url: string, planId: string, params: unknown): Promise<string> {
  const { scheduleExecution } = await query(url, ScheduleExecution, { input: { planId, params } });
  if (scheduleExecution.__typename !== "Execution") throw new Error(JSON.stringify(scheduleExecution));
  return scheduleExecution.id;
}

// One sample line of the Prometheus text exposition format: name, optional labels, value, optional timestamp.
const LABEL = String.raw`[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"`;
const SAMPLE = new RegExp(String.raw`^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:${LABEL}(?:,${LABEL})*,?)?\})? (?:[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|NaN|[-+]Inf)(?: -?[0-9]+)?$`);
const COMMENT = /^# (?:HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (?:counter|gauge|histogram|summary|untyped))$/;

async function scrape(graphqlUrl: string): Promise<{ text: string; value(sample: string): number }> {
  const res = await fetch(new URL("/metrics", graphqlUrl));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return {
    text,
    value(sample) {
      const line = text.split("\n").find((l) => l.startsWith(`${sample} `));
      return line === undefined ? 0 : Number(line.slice(sample.length + 1));
    },
  };
}

describe.skipIf(!infra().available)("statistics and health after a known mix of outcomes", () => {
  let env: InProcess;
  let planId: string;

  beforeAll(async () => {
    env = await startInProcess({ handlerModules: HANDLERS });
    planId = await createPlan(env.url, "mixed", [
      { key: "prep", handler: "noop" },
      { key: "work", handler: "outcome", dependsOn: ["prep"] },
    ]);
    const ids = [];
    for (const fail of [false, true, false, true, false]) ids.push(await schedule(env.url, planId, { fail }));
    await Promise.all(ids.map((id) => monitorWs(env.url, id).done));
  });

  afterAll(async () => env?.stop());

  it("plan stats and health: exact counts, success rate 0.6, per-task stats", async () => {
    const { plan } = await query(env.url, PlanStatsQuery, { id: planId });
    expect(plan?.health).toBe(0.6);
    expect(plan?.stats).toMatchObject({ windowMs: 15 * 60_000, executions: 5, successes: 3, failures: 2, cancelled: 0, successRate: 0.6 });
    expect(plan?.stats.avgDurationMs).toBeGreaterThanOrEqual(0);
    expect(plan?.stats.tasks.map(({ avgDurationMs: _, ...t }) => t)).toEqual([
      { key: "prep", runs: 5, successes: 5, failures: 0, successRate: 1 },
      { key: "work", runs: 5, successes: 3, failures: 2, successRate: 0.6 },
    ]);
    for (const t of plan!.stats.tasks) expect(t.avgDurationMs).toBeGreaterThanOrEqual(0);
  });

  it("a window that ends before the executions finished: no outcomes, null health", async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const { plan } = await query(env.url, PlanStatsQuery, { id: planId, windowMs: 1 }); // clamped to 1000 ms
    expect(plan?.health).toBeNull();
    expect(plan?.stats).toMatchObject({ windowMs: 1000, executions: 0, successRate: null, avgDurationMs: null, tasks: [] });
  });

  it("plans { stats health }: batched, the statement count does not grow with the number of plans", async () => {
    for (let i = 0; i < 4; i++) await createPlan(env.url, `idle-${i}`, [{ key: "only", handler: "noop" }]);
    // Open mode's key count is in every try alike; work of the process's timers may land in a window now and
    // then: the fewest of three tries is what the query costs.
    const cost = async (first: number) => {
      const tries = [];
      for (let i = 0; i < 3; i++) {
        const before = env.apiStatements();
        const { plans } = await query(env.url, PlansStatsQuery, { first });
        expect(plans.edges).toHaveLength(first);
        tries.push({ plans, statements: env.apiStatements() - before });
      }
      return tries.reduce((a, b) => (b.statements < a.statements ? b : a));
    };
    const one = await cost(1);
    const five = await cost(5);
    expect(five.statements).toBe(one.statements);
    const mixed = five.plans.edges.find((e) => e.node.id === planId)!.node;
    expect(mixed).toMatchObject({ health: 0.6, stats: { executions: 5, successRate: 0.6 } });
    expect(five.plans.edges.filter((e) => e.node.id !== planId).every((e) => e.node.health === null && e.node.stats.executions === 0)).toBe(true);
  });

  it("engineStats: counts by status, success rate, throughput, waits and durations, the live worker", async () => {
    const { engineStats } = await query(env.url, EngineStatsQuery, {});
    expect(engineStats.executionsByStatus).toEqual([
      { status: "COMPLETED", count: 3 },
      { status: "FAILED", count: 2 },
    ]);
    expect(engineStats).toMatchObject({ windowMs: 900_000, successRate: 0.6, queueDepth: 0, runningTasks: 0, workers: 1 });
    expect(engineStats.throughputPerMinute).toBeCloseTo(5 / 15);
    expect(engineStats.avgWaitMs).toBeGreaterThanOrEqual(0);
    expect(engineStats.avgDurationMs).toBeGreaterThanOrEqual(0);
  });

  it("/metrics parses as Prometheus text, carries the engine gauges, and counts GraphQL requests", async () => {
    const first = await scrape(env.url);
    for (const line of first.text.split("\n").filter((l) => l !== "")) {
      if (line.startsWith("#")) expect(line).toMatch(COMMENT);
      else expect(line).toMatch(SAMPLE);
    }
    for (const name of ["engine_executions", "engine_queue_depth", "engine_running_tasks", "engine_workers_alive", "graphql_requests_total", "graphql_request_duration_seconds"])
      expect(first.text).toContain(`# TYPE ${name} `);
    expect(first.value('engine_executions{status="COMPLETED"}')).toBe(3);
    expect(first.value('engine_executions{status="FAILED"}')).toBe(2);
    expect(first.value("engine_workers_alive")).toBe(1);
    expect(first.value("engine_queue_depth")).toBe(0);

    const counter = 'graphql_requests_total{operation_type="query",outcome="ok"}';
    await query(env.url, EngineStatsQuery, {});
    const second = await scrape(env.url);
    expect(second.value(counter)).toBe(first.value(counter) + 1);
    expect(second.value('graphql_request_duration_seconds_count{operation_type="query"}')).toBeGreaterThanOrEqual(1);
  });
});

describe.skipIf(!infra().available)("engineStats with no worker running", () => {
  let env: InProcess;

  beforeAll(async () => void (env = await startInProcess({ startWorker: false })));
  afterAll(async () => env?.stop());

  it("queued executions stay PENDING; the queue depth counts their ready root tasks; no worker alive", async () => {
    const planId = await createPlan(env.url, "two-roots", [
      { key: "a", handler: "noop" },
      { key: "b", handler: "noop" },
      { key: "c", handler: "noop", dependsOn: ["a", "b"] },
    ]);
    for (let i = 0; i < 3; i++) await schedule(env.url, planId, {});
    const { engineStats } = await query(env.url, EngineStatsQuery, { windowMs: 60_000 });
    expect(engineStats).toMatchObject({
      windowMs: 60_000,
      executionsByStatus: [{ status: "PENDING", count: 3 }],
      successRate: null,
      throughputPerMinute: 0,
      queueDepth: 6,
      runningTasks: 0,
      avgWaitMs: null,
      avgDurationMs: null,
      workers: 0,
    });
    const metrics = await scrape(env.url);
    expect(metrics.value("engine_queue_depth")).toBe(6);
    expect(metrics.value('engine_executions{status="PENDING"}')).toBe(3);
    expect(metrics.value("engine_workers_alive")).toBe(0);
  });
});
