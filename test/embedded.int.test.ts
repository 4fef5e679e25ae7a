import { mkdtemp, rm, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProcess, type Proc } from "./helpers/processes.ts";
import { query } from "./helpers/clients.ts";
import { runDiamondScenario, runFailingScenario } from "./helpers/scenario.ts";
import { CreatePlan, Lists, ScheduleExecution } from "./operations.ts";
import { print } from "graphql";
import { graphql } from "./__generated__/gql.ts";

const EmbeddedPool = graphql(`mutation EmbeddedPool($input: CreateResourceInput!) { createResource(input: $input) { __typename ... on Resource { id } } }`);
const EmbeddedSchedule = graphql(`mutation EmbeddedSchedule($input: CreateScheduleInput!) { createSchedule(input: $input) { __typename ... on Schedule { id } ... on Error { message } } }`);
const EmbeddedHistory = graphql(`query EmbeddedHistory($id: ID!) { schedule(id: $id) { history(first: 100) { edges { node { status } } } } engineStats { executionsByStatus { status count } } }`);
const EmbeddedUsage = graphql(`
  query EmbeddedUsage($execution: ID!, $resource: ID!) {
    execution(id: $execution) {
      status
      resourceUsage(first: 10) { edges { node { taskKey startTime endTime } } }
      timeline(first: 100) { edges { node { type taskKey } } }
    }
    resource(id: $resource) { allocated }
  }
`);

// `npm start` with nothing set up: one process, PGlite under DATA_DIR, in-process bus. Needs no services.
describe("embedded default (PGlite + in-process bus, one process)", () => {
  let dataDir: string;
  let proc: Proc;
  let url: string;

  const start = async () => {
    proc = startProcess("src/main.ts", { DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", POLL_INTERVAL_MS: "500" });
    url = (await proc.waitFor((l) => typeof l.url === "string", 60_000)).url as string;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "engine-embedded-"));
    await start();
  });

  afterAll(async () => {
    await proc?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("creates and migrates its database under DATA_DIR on first start", async () => {
    expect(await readdir(path.join(dataDir, "pglite"))).toContain("PG_VERSION");
    expect(proc.logs.some((l) => l.msg === "embedded mode: PGlite and an in-process bus")).toBe(true);
  });

  it("serves a self-contained GraphiQL page (no CDN scripts)", async () => {
    const res = await fetch(url, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<html");
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
  });

  it("runs the diamond and streams it over graphql-ws and SSE without gaps", async () => {
    await runDiamondScenario(url);
  });

  it("fails an execution whose task fails and cancels the rest", async () => {
    await runFailingScenario(url);
  });

  it("keeps its data across a restart", async () => {
    expect(await proc.stop()).toBe(0);
    await start();
    const { plans, executions } = await query(url, Lists, {});
    expect(plans.edges.map((e) => e.node.name).sort()).toEqual(["diamond", "failing"]);
    expect(executions.edges.map((e) => e.node.status).sort()).toEqual(["COMPLETED", "FAILED"]);
  });

  it("allocates resources all-or-nothing on PGlite: two tasks on a one-slot pool take turns", async () => {
    const pool = (await query(url, EmbeddedPool, { input: { name: "slot", type: "slot", capacity: 1 } })).createResource;
    if (pool.__typename !== "Resource") throw new Error(JSON.stringify(pool));
    const needs = [{ type: "slot", amount: 1 }];
    const { createPlan } = await query(url, CreatePlan, {
      input: { name: "turns", tasks: [{ key: "a", handler: "sleep", input: { ms: 200 }, resources: needs }, { key: "b", handler: "sleep", input: { ms: 200 }, resources: needs }] },
    });
    if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
    const { scheduleExecution } = await query(url, ScheduleExecution, { input: { planId: createPlan.id } });
    if (scheduleExecution.__typename !== "Execution") throw new Error(JSON.stringify(scheduleExecution));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = await query(url, EmbeddedUsage, { execution: scheduleExecution.id, resource: pool.id });
      if (r.execution?.status === "COMPLETED") {
        const [first, second] = r.execution.resourceUsage.edges.map((e) => e.node).sort((x, y) => Date.parse(x.startTime) - Date.parse(y.startTime));
        expect(Date.parse(second!.startTime)).toBeGreaterThanOrEqual(Date.parse(first!.endTime!)); // never both at once
        expect(r.execution.timeline.edges.filter((e) => e.node.type === "RESOURCE_RELEASED")).toHaveLength(2);
        expect(r.resource?.allocated).toBe(0);
        break;
      }
      if (Date.now() > deadline) throw new Error("execution did not complete");
      await new Promise((res) => setTimeout(res, 100));
    }
  });

  it("runs an interval schedule while the API keeps answering (a due schedule once hung every query for good)", async () => {
    const { createPlan } = await query(url, CreatePlan, { input: { name: "every second", tasks: [{ key: "t", handler: "noop" }] } });
    if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
    const { createSchedule } = await query(url, EmbeddedSchedule, { input: { planId: createPlan.id, intervalMs: 1000 } });
    if (createSchedule.__typename !== "Schedule") throw new Error(JSON.stringify(createSchedule));
    // Query all along while it fires: each answer must come (a hang never does; the bound only ends the test).
    let answered = 0;
    let statuses: string[] = [];
    for (const end = Date.now() + 6000; Date.now() < end || statuses.filter((s) => s === "COMPLETED").length < 3; answered++) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: print(EmbeddedHistory), variables: { id: createSchedule.id } }),
        signal: AbortSignal.timeout(20_000),
      });
      const body = (await res.json()) as { data: { schedule: { history: { edges: { node: { status: string } }[] } } } };
      statuses = body.data.schedule.history.edges.map((e) => e.node.status);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(answered).toBeGreaterThan(10);
    expect(statuses.filter((s) => s === "COMPLETED").length).toBeGreaterThanOrEqual(3);
    expect(statuses.every((s) => ["COMPLETED", "PENDING", "RUNNING"].includes(s))).toBe(true);
  }, 120_000);
});
