import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { createTestDatabase, infra } from "./helpers/infra.ts";
import { startApi, startWorker, type Proc } from "./helpers/processes.ts";
import { query } from "./helpers/clients.ts";
import { monitorWs } from "./helpers/scenario.ts";
import { graphql } from "./__generated__/gql.ts";
import type { CreatePlanInput, MessageLevel } from "./__generated__/graphql.ts";

// User handler modules (HANDLER_MODULES) in real API and worker processes: the API validates their
// inputs, the worker runs their handlers (progress, metrics, logs) and hooks; the trading example end to end.

const HandlersCreatePlan = graphql(`
  mutation HandlersCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      __typename
      ... on Plan { id }
      ... on Error { message }
      ... on ValidationError { field reason }
      ... on UnknownHandlerError { field knownHandlers }
    }
  }
`);

const HandlersSchedule = graphql(`
  mutation HandlersSchedule($input: ScheduleExecutionInput!) {
    scheduleExecution(input: $input) {
      __typename
      ... on Execution { id }
      ... on Error { message }
    }
  }
`);

const HandlersExecution = graphql(`
  query HandlersExecution($id: ID!, $level: [MessageLevel!], $taskKey: String) {
    execution(id: $id) {
      status
      result
      error { code message taskKey recoverable context }
      currentTask { key progress phase }
      metrics { totalCost }
      progress { estimatedTimeRemaining percentage }
      tasks { key status attempt output metrics }
      messages(first: 100, level: $level, taskKey: $taskKey) { edges { node { level message taskKey } } }
    }
  }
`);

const modules = "./examples/trading.ts,./test/fixtures/handlers.ts";

describe.skipIf(!infra().available)("user handler modules in API and worker processes", () => {
  let url: string;
  let worker: Proc;
  const procs: Proc[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    const env = { DATABASE_URL: await createTestDatabase(), REDIS_URL: infra().redisUrl, POLL_INTERVAL_MS: "300", MONITOR_IDLE_BACKFILL_MS: "1000", HANDLER_MODULES: modules };
    const api = await startApi(env);
    url = api.url;
    procs.push(api.proc);
    // A short lease: the heartbeat (a third of it) stores the running handler's ctx.progress often.
    worker = await startWorker({ ...env, LEASE_MS: "1000" });
    procs.push(worker);
  });

  afterAll(async () => {
    const codes = await Promise.all(procs.map((p) => p.stop()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    expect(codes).toEqual(procs.map(() => 0));
  });

  const createPlan = async (input: CreatePlanInput) => (await query(url, HandlersCreatePlan, { input })).createPlan;
  const schedule = async (input: CreatePlanInput, params?: unknown) => {
    const plan = await createPlan(input);
    if (plan.__typename !== "Plan") throw new Error(`createPlan: ${JSON.stringify(plan)}`);
    const { scheduleExecution } = await query(url, HandlersSchedule, { input: { planId: plan.id, params } });
    if (scheduleExecution.__typename !== "Execution") throw new Error(scheduleExecution.__typename);
    return scheduleExecution.id;
  };
  const details = async (id: string, filter: { level?: MessageLevel[]; taskKey?: string } = {}) => (await query(url, HandlersExecution, { id, ...filter })).execution!;
  const messages = (e: Awaited<ReturnType<typeof details>>) => e.messages.edges.map((m) => m.node);
  const rawId = (id: string) => decodeGlobalID(id).id;
  const waitForFile = async (file: string, timeoutMs = 10_000) => {
    for (const end = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 50))) {
      const text = await readFile(file, "utf8").catch(() => null);
      if (text) return JSON.parse(text) as { id: string; planId: string; status: string };
      if (Date.now() > end) throw new Error(`${file} not written in ${timeoutMs} ms`);
    }
  };
  const trading = (maxNotional: number): CreatePlanInput => ({
    name: "trade",
    retryPolicy: { strategy: "FIXED_DELAY", delayMs: 50, maxRetries: 2 },
    tasks: [
      { key: "price", handler: "price-check", input: { symbol: "ACME" } },
      { key: "risk", handler: "risk-check", input: { maxNotional }, dependsOn: ["price"] },
      { key: "order", handler: "place-order", input: { side: "BUY" }, dependsOn: ["risk"] },
    ],
  });

  it("the API process knows the modules' handlers and validates their inputs with their zod schemas", async () => {
    const unknown = await createPlan({ name: "x", tasks: [{ key: "a", handler: "nope" }] });
    expect(unknown.__typename === "UnknownHandlerError" && unknown.knownHandlers).toEqual(
      ["deps", "fail", "flaky", "http", "noop", "place-order", "price-check", "report", "risk-check", "sleep"],
    );
    expect(await createPlan({ name: "x", tasks: [{ key: "a", handler: "report", input: { label: "a", steps: 0 } }] })).toMatchObject({
      __typename: "ValidationError", field: "tasks[0].input.steps",
    });
    expect(await createPlan({ name: "x", tasks: [{ key: "a", handler: "noop" }, { key: "p", handler: "price-check", input: { symbol: "acme" } }] })).toMatchObject({
      __typename: "ValidationError", field: "tasks[1].input.symbol", reason: "an upper-case ticker, e.g. ACME",
    });
    expect(await createPlan({ name: "x", tasks: [{ key: "o", handler: "place-order", input: { side: "HOLD" } }] })).toMatchObject({
      __typename: "ValidationError", field: "tasks[0].input.side",
    });
  });

  it("runs a custom handler: progress while running, metrics and their cost sum, messages by level and task, hooks", async () => {
    const hookDir = await mkdtemp(path.join(tmpdir(), "engine-hooks-"));
    dirs.push(hookDir);
    const id = await schedule(
      {
        name: "report",
        tasks: [
          { key: "x", handler: "report", input: { label: "x", steps: 8, stepMs: 200, cost: 1.25 } },
          { key: "y", handler: "report", input: { label: "y", steps: 1, cost: 2.5 }, dependsOn: ["x"] },
        ],
      },
      { hookDir },
    );
    const sub = monitorWs(url, id);
    // ctx.progress reaches the API while x runs (stored by the worker's heartbeat).
    let seen: { key: string; progress: number | null; phase: string | null } | null = null;
    for (const end = Date.now() + 10_000; Date.now() < end && !seen; await new Promise((r) => setTimeout(r, 100))) {
      const current = (await details(id)).currentTask;
      if (current?.progress) seen = current;
    }
    expect(seen).toMatchObject({ key: "x", phase: expect.stringMatching(/^step [1-8] of 8$/) });
    expect(seen!.progress).toBeGreaterThan(0);
    expect(seen!.progress).toBeLessThanOrEqual(1);
    await sub.done;

    const e = await details(id);
    expect(e.status).toBe("COMPLETED");
    expect(Object.fromEntries(e.tasks.map((t) => [t.key, t.metrics]))).toEqual({ x: { cost: 1.25, steps: 8 }, y: { cost: 2.5, steps: 1 } });
    expect(e.metrics.totalCost).toBe(3.75);
    expect(e.result).toEqual({ y: { label: "y", steps: 1, attempt: 1 } });

    expect(messages(await details(id, { level: ["ERROR"], taskKey: "x" }))).toEqual([{ level: "ERROR", message: "x: error line", taskKey: "x" }]);
    expect(messages(await details(id, { level: ["INFO", "WARNING"] }))).toEqual([
      { level: "INFO", message: "x: info line", taskKey: "x" },
      { level: "WARNING", message: "x: warning line", taskKey: "x" },
      { level: "INFO", message: "y: info line", taskKey: "y" },
      { level: "WARNING", message: "y: warning line", taskKey: "y" },
    ]);
    const all = messages(e);
    expect(all.map((m) => `${m.taskKey}:${m.level}`)).toEqual(["x:DEBUG", "x:INFO", "x:WARNING", "x:ERROR", "y:DEBUG", "y:INFO", "y:WARNING", "y:ERROR"]);
    // The same messages arrived in the monitor's updates, with the task's completion.
    expect(sub.received.flatMap((u) => u.monitor.messages)).toEqual(all);
    const replay = monitorWs(url, id);
    await replay.done;
    expect(replay.received.flatMap((u) => u.monitor.messages)).toEqual(all);
    const carrier = sub.received.find((u) => u.monitor.messages.length > 0)!.monitor;
    expect(carrier.events.map((ev) => [ev.type, ev.taskKey])).toEqual([["TASK_COMPLETED", "x"]]);

    // Both hooks ran in the worker process, with the execution as they saw it.
    const start = await waitForFile(path.join(hookDir, "start.json"));
    const end = await waitForFile(path.join(hookDir, "end.json"));
    expect(start).toMatchObject({ id: rawId(id), status: "RUNNING" });
    expect(end).toMatchObject({ id: rawId(id), status: "COMPLETED" });
    await worker.waitFor((l) => l.msg === `fixture hook end: execution ${rawId(id)} COMPLETED` && l.executionId === rawId(id), 5000);
  });

  it("runs the trading example end to end: price → risk → order", async () => {
    const id = await schedule(trading(1_000_000), { qty: 10 });
    await monitorWs(url, id).done;
    const e = await details(id);
    expect(e.status).toBe("COMPLETED");
    const out = (key: string) => e.tasks.find((t) => t.key === key)!.output as Record<string, number | string>;
    const price = out("price").price as number;
    expect(price).toBeGreaterThanOrEqual(19);
    expect(out("risk")).toMatchObject({ approved: true, price, qty: 10, notional: Math.round(10 * price * 100) / 100 });
    const order = out("order");
    expect(order).toMatchObject({ status: "FILLED", side: "BUY", qty: 10, price, orderId: expect.stringMatching(/^ORD-[0-9A-F]{8}$/) });
    expect(e.result).toEqual({ order });
    expect(e.tasks.find((t) => t.key === "order")!.metrics).toEqual({ cost: order.fee, notional: order.notional });
    expect(e.metrics.totalCost).toBe(order.fee);
    expect(messages(e).map((m) => m.message)).toContain(`ACME quoted at ${price.toFixed(2)} USD`);
    await worker.waitFor((l) => l.msg === `trading execution ${rawId(id)} ended: COMPLETED`, 5000);
    expect(worker.logs.some((l) => typeof l.msg === "string" && l.msg.startsWith(`trading execution ${rawId(id)} started`))).toBe(true);
  });

  it("fails the trade with the non-recoverable RISK_LIMIT above maxNotional; nothing is ordered", async () => {
    const id = await schedule(trading(100), { qty: 10 });
    await monitorWs(url, id).done;
    const e = await details(id);
    expect(e.status).toBe("FAILED");
    expect(e.error).toMatchObject({ code: "RISK_LIMIT", taskKey: "risk", recoverable: false, context: { qty: 10, maxNotional: 100 } });
    expect((e.error!.context as { notional: number }).notional).toBeGreaterThan(100);
    // The plan's retry policy does not retry a non-recoverable error.
    expect(e.tasks.map((t) => [t.key, t.status, t.attempt])).toEqual([["price", "COMPLETED", 1], ["risk", "FAILED", 1], ["order", "CANCELLED", 0]]);
    expect(e.metrics.totalCost).toBe(0);
    const ended = await worker.waitFor((l) => l.msg === `trading execution ${rawId(id)} ended: FAILED`, 5000);
    expect(ended.level).toBe(40); // pino's warn
  });

  it("estimates the remaining time once a task has completed, and 0 at the end", async () => {
    const sleep = (key: string, dependsOn: string[] = []) => ({ key, handler: "sleep", input: { ms: 400 }, dependsOn });
    const id = await schedule({ name: "chain", tasks: [sleep("a"), sleep("b", ["a"]), sleep("c", ["b"])] });
    const sub = monitorWs(url, id);
    await sub.done;
    const eta = (type: string, key?: string) => sub.received.find((u) => u.monitor.events[0]!.type === type && (!key || u.monitor.events[0]!.taskKey === key))!.monitor.progress.estimatedTimeRemaining;
    expect(eta("TASK_STARTED", "a")).toBeNull();
    // Two 400 ms tasks are left after a: about 800 ms.
    const afterA = eta("TASK_COMPLETED", "a");
    expect(afterA).not.toBeNull();
    expect(afterA!).toBeGreaterThanOrEqual(700);
    expect(afterA!).toBeLessThan(2000);
    const afterB = eta("TASK_COMPLETED", "b")!;
    expect(afterB).toBeGreaterThanOrEqual(300);
    expect(afterB).toBeLessThan(afterA!);
    expect(eta("EXECUTION_COMPLETED")).toBe(0);
    expect((await details(id)).progress).toEqual({ estimatedTimeRemaining: 0, percentage: 100 });
  });
});
