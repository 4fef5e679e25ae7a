import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, infra } from "./helpers/infra.ts";
import { startApi, startWorker, type Proc } from "./helpers/processes.ts";
import { query } from "./helpers/clients.ts";
import { monitorWs } from "./helpers/scenario.ts";
import { graphql } from "./__generated__/gql.ts";
import { takeRateSlot } from "../src/store/rate-limit.ts";
import type { CreatePlanInput, SetRateLimitInput } from "./__generated__/graphql.ts";

// The built-in http handler through the shared HTTP resource, in real API and worker processes against a
// local server: named rate limits counted by every worker together (a full window waits, it does not
// fail), the per-worker response cache, and the rate limit mutations' bad input.

const PoolSetRateLimit = graphql(`
  mutation PoolSetRateLimit($input: SetRateLimitInput!) {
    setRateLimit(input: $input) {
      __typename
      ... on RateLimit { name requests windowMs createdAt updatedAt }
      ... on Error { message }
      ... on ValidationError { field reason }
    }
  }
`);

const PoolRemoveRateLimit = graphql(`
  mutation PoolRemoveRateLimit($name: String!) {
    removeRateLimit(name: $name) {
      __typename
      ... on RemoveRateLimitPayload { removedName }
      ... on Error { message }
      ... on NotFoundError { entity entityId }
    }
  }
`);

const PoolRateLimits = graphql(`
  query PoolRateLimits {
    rateLimits { name requests windowMs }
  }
`);

const PoolCreatePlan = graphql(`
  mutation PoolCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      __typename
      ... on Plan { id }
      ... on Error { message }
    }
  }
`);

const PoolSchedule = graphql(`
  mutation PoolSchedule($input: ScheduleExecutionInput!) {
    scheduleExecution(input: $input) {
      __typename
      ... on Execution { id }
      ... on Error { message }
    }
  }
`);

const PoolExecution = graphql(`
  query PoolExecution($id: ID!) {
    execution(id: $id) {
      status
      error { code message taskKey recoverable context }
      tasks { key status attempt output attempts { worker } }
      messages(first: 100) { edges { node { level message taskKey } } }
    }
  }
`);

describe.skipIf(!infra().available)("http through the shared HTTP resource (rate limits, cache)", () => {
  let url: string;
  let dbUrl: string;
  let db: pg.Pool;
  let server: Server;
  let base: string;
  /** Arrival time (ms since epoch) of every request, by path. */
  const arrivals: { path: string; at: number }[] = [];
  const procs: Proc[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      arrivals.push({ path: req.url ?? "", at: Date.now() });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ n: arrivals.length }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dbUrl = await createTestDatabase();
    db = new pg.Pool({ connectionString: dbUrl, max: 2 });
    const env = { DATABASE_URL: dbUrl, REDIS_URL: infra().redisUrl, POLL_INTERVAL_MS: "300", WORKER_CONCURRENCY: "3" };
    const api = await startApi(env);
    url = api.url;
    procs.push(api.proc);
    // Two worker processes: the limit is shared through the database, not per process.
    procs.push(...(await Promise.all([startWorker(env), startWorker(env)])));
    // Warm both workers up (fetch loaded, connections open) so that a request arrives within a few ms of
    // its slot: the test judges windows by arrival time.
    await run({ name: "warm-up", tasks: Array.from({ length: 8 }, (_, i) => ({ key: `w${i}`, handler: "http", input: { url: `${base}/warm-up` } })) });
  });

  afterAll(async () => {
    const codes = await Promise.all(procs.map((p) => p.stop()));
    await db?.end();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    expect(codes).toEqual(procs.map(() => 0));
  });

  const setRateLimit = async (input: SetRateLimitInput) => (await query(url, PoolSetRateLimit, { input })).setRateLimit;
  const run = async (input: CreatePlanInput) => {
    const { createPlan } = await query(url, PoolCreatePlan, { input });
    if (createPlan.__typename !== "Plan") throw new Error(`createPlan: ${JSON.stringify(createPlan)}`);
    const { scheduleExecution } = await query(url, PoolSchedule, { input: { planId: createPlan.id } });
    if (scheduleExecution.__typename !== "Execution") throw new Error(`scheduleExecution: ${JSON.stringify(scheduleExecution)}`);
    await monitorWs(url, scheduleExecution.id).done;
    return (await query(url, PoolExecution, { id: scheduleExecution.id })).execution!;
  };
  const messages = (e: Awaited<ReturnType<typeof run>>) => e.messages.edges.map((m) => m.node);
  const hitsOf = (path: string) => arrivals.filter((a) => a.path === path);

  it("rate-limits http across two workers: no window gets more than its requests, and every task waits instead of failing", async () => {
    expect(await setRateLimit({ name: "local-api", requests: 2, windowMs: 1000 })).toMatchObject({ __typename: "RateLimit", name: "local-api", requests: 2, windowMs: 1000 });
    const tasks = Array.from({ length: 6 }, (_, i) => ({ key: `call${i}`, handler: "http", input: { url: `${base}/limited?i=${i}`, rateLimit: "local-api" } }));
    // Windows are epoch-aligned and judged below by the requests' arrival times, which trail their slots by
    // the request's latency. So that no slot is taken late in a window (where a slow request would arrive
    // in the next one), start early in a window and take its slots here first: every task then gets its
    // slot at the start of a later window, after waiting.
    while (Date.now() % 1000 > 100) await new Promise((r) => setTimeout(r, 10));
    const sql = { query: async <T,>(text: string, params?: unknown[]) => (await db.query(text, params)).rows as T[] };
    const taken = [await takeRateSlot(sql, "local-api"), await takeRateSlot(sql, "local-api")];
    expect(taken.map((t) => t.kind)).toEqual(["granted", "granted"]);
    const exhaustedWindow = Math.floor(Date.now() / 1000);
    const started = Date.now();
    const e = await run({ name: "limited", tasks });
    const elapsed = Date.now() - started;

    expect(e.status).toBe("COMPLETED");
    expect(e.tasks.map((t) => [t.key, t.status, t.attempt])).toEqual(tasks.map((t) => [t.key, "COMPLETED", 1]));
    const at = arrivals.filter((a) => a.path.startsWith("/limited")).map((a) => a.at).sort((a, b) => a - b);
    expect(at).toHaveLength(6);
    const perWindow = new Map<number, number>();
    for (const t of at) perWindow.set(Math.floor(t / 1000), (perWindow.get(Math.floor(t / 1000)) ?? 0) + 1);
    expect([...perWindow.values()].every((n) => n <= 2), `requests per window: ${JSON.stringify([...perWindow])}; arrivals (ms into the window): ${at.map((t) => t % 1000).join(", ")}`).toBe(true);
    expect(perWindow.size).toBeGreaterThanOrEqual(3);
    expect(Math.min(...perWindow.keys())).toBeGreaterThan(exhaustedWindow);
    expect(at.at(-1)! - at[0]!).toBeGreaterThan(1000);
    // Those that found the window full said so and how long they waited.
    const waits = messages(e).filter((m) => m.message.startsWith('rate limit "local-api" is full'));
    expect(waits.length).toBeGreaterThanOrEqual(4);
    expect(waits[0]!.message).toMatch(/^rate limit "local-api" is full \(2 per 1000 ms\): waiting \d+ ms for the next window$/);
    const byWorker = new Map<string, number>();
    for (const t of e.tasks) byWorker.set(t.attempts[0]!.worker!, (byWorker.get(t.attempts[0]!.worker!) ?? 0) + 1);
    // 3 runs at a time per worker: the six waiting tasks needed both workers, which shared the limit.
    expect(byWorker.size).toBe(2);
    console.info(
      `6 rate-limited requests (2 per 1000 ms) in ${elapsed} ms; per window: ${JSON.stringify([...perWindow.values()])}; tasks per worker: ${JSON.stringify([...byWorker.values()])}`,
    );
  });

  it("fails a task naming an unknown rate limit, with a clear non-recoverable error and no request", async () => {
    const e = await run({ name: "unknown-limit", tasks: [{ key: "call", handler: "http", input: { url: `${base}/unknown`, rateLimit: "no-such-limit" } }] });
    expect(e.status).toBe("FAILED");
    expect(e.error).toMatchObject({ code: "UNKNOWN_RATE_LIMIT", message: 'no rate limit named "no-such-limit" (create it with setRateLimit)', taskKey: "call", recoverable: false });
    expect(e.tasks[0]).toMatchObject({ status: "FAILED", attempt: 1 });
    expect(hitsOf("/unknown")).toEqual([]);
  });

  it("rejects bad setRateLimit input with a typed error naming the field, and writes nothing", async () => {
    const count = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "RateLimit"`)).rows[0]!.n;
    const before = await count();
    const cases: [SetRateLimitInput, string][] = [
      [{ name: "", requests: 1, windowMs: 1000 }, "input.name"],
      [{ name: "with space", requests: 1, windowMs: 1000 }, "input.name"],
      [{ name: "x".repeat(101), requests: 1, windowMs: 1000 }, "input.name"],
      [{ name: "ok", requests: 0, windowMs: 1000 }, "input.requests"],
      [{ name: "ok", requests: 1_000_001, windowMs: 1000 }, "input.requests"],
      [{ name: "ok", requests: 1, windowMs: 99 }, "input.windowMs"],
      [{ name: "ok", requests: 1, windowMs: 86_400_001 }, "input.windowMs"],
    ];
    for (const [input, field] of cases) expect(await setRateLimit(input), JSON.stringify(input)).toMatchObject({ __typename: "ValidationError", field });
    expect(await count()).toBe(before);
    const { rateLimits } = await query(url, PoolRateLimits, {});
    expect(rateLimits.map((r) => r.name)).not.toContain("ok");
  });

  it("lists and removes rate limits", async () => {
    await setRateLimit({ name: "to-remove", requests: 5, windowMs: 60_000 });
    expect((await query(url, PoolRateLimits, {})).rateLimits).toContainEqual({ name: "to-remove", requests: 5, windowMs: 60_000 });
    expect((await query(url, PoolRemoveRateLimit, { name: "to-remove" })).removeRateLimit).toEqual({ __typename: "RemoveRateLimitPayload", removedName: "to-remove" });
    expect((await query(url, PoolRemoveRateLimit, { name: "to-remove" })).removeRateLimit).toMatchObject({ __typename: "NotFoundError", entity: "RateLimit" });
    expect((await query(url, PoolRateLimits, {})).rateLimits.map((r) => r.name)).not.toContain("to-remove");
  });

  it("serves a repeated GET from the worker's cache within ttlMs without taking a slot, and asks the server again after it", async () => {
    // One worker: the cache is per worker process.
    expect(await procs.pop()!.stop()).toBe(0);
    // One request per day: a second request that needed a slot would wait until the task's timeout.
    await setRateLimit({ name: "once-a-day", requests: 1, windowMs: 86_400_000 });
    const get = { url: `${base}/cached?token=secret`, headers: { authorization: "Bearer secret" }, cache: { ttlMs: 1000 } };
    const e = await run({
      name: "cached",
      tasks: [
        { key: "first", handler: "http", input: { ...get, rateLimit: "once-a-day" }, timeoutMs: 5000 },
        { key: "again", handler: "http", input: { ...get, rateLimit: "once-a-day" }, timeoutMs: 5000, dependsOn: ["first"] },
        { key: "pause", handler: "sleep", input: { ms: 1100 }, dependsOn: ["again"] },
        { key: "expired", handler: "http", input: get, dependsOn: ["pause"] },
      ],
    });
    expect(e.status).toBe("COMPLETED");
    const out = Object.fromEntries(e.tasks.map((t) => [t.key, t.output]));
    expect(out.first).toEqual({ status: 200, body: expect.objectContaining({ n: expect.any(Number) }) });
    expect(out.again).toEqual(out.first);
    expect(out.expired).not.toEqual(out.first);
    expect(hitsOf("/cached?token=secret")).toHaveLength(2);
    const log = messages(e);
    expect(log.find((m) => m.taskKey === "again")?.message).toMatch(new RegExp(`^GET ${base}/cached served from cache \\(\\d+ ms old\\)$`));
    // Neither the query string nor the headers reach the log.
    expect(JSON.stringify(log)).not.toContain("secret");
  });
});
