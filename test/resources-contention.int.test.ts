import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./__generated__/gql.ts";
import type { TaskInput } from "./__generated__/graphql.ts";
import { createTestDatabase, infra } from "./helpers/infra.ts";
import { startApi, startWorker, type Proc } from "./helpers/processes.ts";
import { query } from "./helpers/clients.ts";
import { CreatePlan, ScheduleExecution } from "./operations.ts";

// Allocation under real contention: three worker processes claim runs needing overlapping resources at
// once, while a client takes and gives back holds and some executions are cancelled mid-run. The
// invariant 0 ≤ sum(active allocations) ≤ capacity is sampled throughout; every completed run got
// everything it asked for, exactly once, and everything is given back at the end.

const EXECUTIONS = 60;
const WORKERS = 3;
const Pool = graphql(`mutation ContentionPool($input: CreateResourceInput!) { createResource(input: $input) { __typename } }`);
const Hold = graphql(`
  mutation ContentionHold($requirements: [ResourceRequirementInput!]!) {
    allocateResources(requirements: $requirements, leaseMs: 2000) { __typename ... on MutationAllocateResourcesSuccess { data { id } } }
  }
`);
const Unhold = graphql(`mutation ContentionUnhold($ids: [ID!]!) { releaseResources(ids: $ids) { __typename } }`);
const Cancel = graphql(`mutation ContentionCancel($id: ID!) { cancelExecution(id: $id) { __typename } }`);
const PRIORITIES = ["CRITICAL", "HIGH", "NORMAL", "LOW", "IDLE"] as const;
const TYPES = ["cpu", "gpu", "mem"];
/** TYPES[first], and a second distinct one `offset` (1 or 2) further on; none for offset 0. */
const typesFor = (first: number, offset: number) => (offset ? [TYPES[first]!, TYPES[(first + offset) % 3]!] : [TYPES[first]!]);

describe.skipIf(!infra().available)("resource allocation across worker processes", () => {
  let url: string;
  let db: pg.Client;
  const procs: Proc[] = [];

  beforeAll(async () => {
    const env = { DATABASE_URL: await createTestDatabase(), REDIS_URL: infra().redisUrl, POLL_INTERVAL_MS: "200" };
    const [api, ...workers] = await Promise.all([startApi(env), ...Array.from({ length: WORKERS }, () => startWorker({ ...env, WORKER_CONCURRENCY: "6" }))]);
    url = api.url;
    procs.push(api.proc, ...workers);
    db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await Promise.all(procs.map((p) => p.stop()));
  });

  it(`runs ${EXECUTIONS} executions of randomly mixed requirements without ever exceeding a pool`, { timeout: 90_000 }, async () => {
    const pools = [
      { name: "cpu-a", type: "cpu", capacity: 3 },
      { name: "cpu-b", type: "cpu", capacity: 2 },
      { name: "gpu", type: "gpu", capacity: 2 },
      { name: "mem", type: "mem", capacity: 4 },
    ];
    for (const input of pools) expect((await query(url, Pool, { input })).createResource.__typename).toBe("Resource");

    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const task = (key: string): TaskInput => ({
      key,
      handler: "sleep",
      input: { ms: 10 + Math.floor(random() * 50) },
      // One or two distinct types, each amount within every pool's capacity: every run can be served eventually.
      resources: typesFor(Math.floor(random() * 3), random() < 0.5 ? 0 : 1 + Math.floor(random() * 2))
        .map((type) => ({ type, amount: pick([0.5, 1, 1.5, 2]) })),
    });

    let sampling = true;
    const violations: string[] = [];
    let samples = 0;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await db.query<{ name: string; capacity: number; allocated: number; active: number }>(
          `SELECT r.name, r.capacity, r.allocated,
                  (SELECT coalesce(sum(a.amount), 0)::float8 FROM "ResourceAllocation" a WHERE a."resourceId" = r.id AND a."releasedAt" IS NULL) AS active
             FROM "Resource" r`,
        );
        samples++;
        for (const r of rows)
          if (r.active > r.capacity + 1e-9 || Math.abs(r.active - r.allocated) > 1e-9) violations.push(`${r.name}: active ${r.active}, allocated ${r.allocated}, capacity ${r.capacity}`);
        await new Promise((res) => setTimeout(res, 10));
      }
    })();

    const ids: string[] = [];
    for (let i = 0; i < EXECUTIONS; i++) {
      const { createPlan } = await query(url, CreatePlan, { input: { name: `mix-${i}`, tasks: [task("a"), task("b"), { ...task("c"), dependsOn: ["a"] }] } });
      if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
      const { scheduleExecution } = await query(url, ScheduleExecution, { input: { planId: createPlan.id, priority: pick(PRIORITIES) } });
      if (scheduleExecution.__typename !== "Execution") throw new Error(JSON.stringify(scheduleExecution));
      ids.push(scheduleExecution.id);
    }

    // Chaos while the queue drains: client holds come and go, and a few executions are cancelled.
    const holds: string[][] = [];
    let cancelled = 0;
    const deadline = Date.now() + 60_000;
    for (let round = 0; ; round++) {
      if (round % 3 === 0 && holds.length < 3) {
        const r = (await query(url, Hold, { requirements: [{ type: pick(TYPES), amount: pick([0.5, 1]) }] })).allocateResources;
        if (r.__typename === "MutationAllocateResourcesSuccess") holds.push(r.data.map((a) => a.id));
      } else if (round % 3 === 1 && holds.length) expect((await query(url, Unhold, { ids: holds.shift()! })).releaseResources.__typename).toBe("MutationReleaseResourcesSuccess");
      if (round % 5 === 2 && cancelled < 6 && (await query(url, Cancel, { id: ids[round % ids.length]! })).cancelExecution.__typename === "Execution") cancelled++;
      const { rows } = await db.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM "Execution" GROUP BY status`);
      const counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      if ((counts.COMPLETED ?? 0) + (counts.CANCELLED ?? 0) === EXECUTIONS) {
        expect(counts.CANCELLED ?? 0).toBe(cancelled);
        break;
      }
      if (counts.FAILED || Date.now() > deadline) {
        sampling = false;
        const { rows: open } = await db.query(`SELECT t.key, t.status, t.priority, t."waitingFor", t.resources, t."leaseOwner", t."readyAt" FROM "TaskRun" t WHERE t.status NOT IN ('COMPLETED')`);
        const { rows: active } = await db.query(`SELECT a."taskKey", a.amount, r.name FROM "ResourceAllocation" a JOIN "Resource" r ON r.id = a."resourceId" WHERE a."releasedAt" IS NULL`);
        const { rows: res } = await db.query(`SELECT name, capacity, allocated FROM "Resource"`);
        throw new Error(`not all completed: ${JSON.stringify(counts)}\n${JSON.stringify({ open, active, res }, null, 1)}\n${procs.flatMap((p) => p.logs).filter((l) => (l.level as number) >= 40).slice(0, 10).map((l) => JSON.stringify(l)).join("\n")}`);
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    for (const ids of holds) await query(url, Unhold, { ids });
    sampling = false;
    await sampler;

    expect(cancelled).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    expect(samples).toBeGreaterThan(50);
    // Every completed run held exactly what it asked for, once (one attempt each); nothing is held any more.
    const { rows: runs } = await db.query<{ key: string; wanted: number; held: number; attempts: number }>(
      `SELECT t.key, (SELECT count(*)::int FROM jsonb_array_elements(t.resources)) AS wanted,
              (SELECT count(*)::int FROM "ResourceAllocation" a WHERE a."taskRunId" = t.id) AS held, t.attempt AS attempts
         FROM "TaskRun" t WHERE t.status = 'COMPLETED'`,
    );
    expect(runs.length).toBeGreaterThanOrEqual((EXECUTIONS - cancelled) * 3);
    for (const r of runs) expect(r).toMatchObject({ held: r.wanted, attempts: 1 });
    const { rows: open } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "ResourceAllocation" WHERE "releasedAt" IS NULL`);
    expect(open[0]!.n).toBe(0);
    // The claims really raced: every worker process ran some of them.
    const { rows: used } = await db.query<{ n: number }>(`SELECT count(DISTINCT worker)::int AS n FROM "TaskAttempt"`);
    expect(used[0]!.n).toBe(WORKERS);
    const { rows: resources } = await db.query<{ allocated: number }>(`SELECT allocated FROM "Resource"`);
    expect(resources.every((r) => r.allocated === 0)).toBe(true);
    // The database's CHECK never had to stop a claim.
    expect(procs.flatMap((p) => p.logs).filter((l) => JSON.stringify(l).includes("Resource_allocated_within_capacity"))).toEqual([]);
  });
});
