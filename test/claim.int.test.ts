import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { claimRuns } from "../src/store/claim.ts";
import { createPlan } from "../src/services/plans.ts";
import { scheduleExecution } from "../src/services/executions.ts";
import type { Priority } from "../src/domain/status.ts";

// Claim v2 (store/claim.ts): what a claim costs does not depend on how many runs are queued, and runs
// under a limit and runs under none meet in one claim order.

describe.each(modes())("claims ($mode)", ({ embedded }) => {
  let env: InProcess;
  // The claim's two ranked reads: the index walks of free runs (LATERAL) and the limited candidates (row_number).
  const last: Record<"free" | "limited", { text: string; params: unknown[] } | null> = { free: null, limited: null };

  beforeAll(async () => {
    env = await startInProcess({
      embedded,
      startWorker: false,
      onStatement: (text, params) => {
        if (text.startsWith("EXPLAIN")) return; // the test's own re-runs
        if (text.includes("LATERAL")) last.free = { text, params: params ?? [] };
        if (text.includes("row_number()")) last.limited = { text, params: params ?? [] };
      },
    });
  });
  afterAll(() => env?.stop());
  // Each test starts on an empty queue, whatever the one before left.
  afterEach(() => drain());

  const sql = () => env.services.db.sql;
  const claim = (limit: number) => claimRuns(sql(), { workerId: "test", limit, leaseMs: 30_000, agingStepMs: 60_000, clock: () => new Date() });
  /** Queues n single-task executions in one statement (the API's path is measured elsewhere). */
  async function enqueue(n: number): Promise<void> {
    const [plan] = await sql().query<{ id: string }>(`INSERT INTO "Plan" (id, name) VALUES (gen_random_uuid(), 'queue') RETURNING id`);
    await sql().query(
      `WITH e AS (INSERT INTO "Execution" (id, "planId", status, priority, params, stats) SELECT gen_random_uuid(), $1, 'PENDING', 'NORMAL', '{}', '{}' FROM generate_series(1, $2) RETURNING id)
       INSERT INTO "TaskRun" (id, "executionId", position, key, name, handler, input, "dependsOn", priority, status, "readyAt")
       SELECT gen_random_uuid(), e.id, 0, 'a', 'a', 'noop', 'null', '{}', 'NORMAL', 'READY', now() - random() * interval '1 minute' FROM e`,
      [plan!.id, n],
    );
  }
  /** Buffers (shared hits + reads) the last claim's ranked reads touched, run again under EXPLAIN. */
  async function buffersOfLastClaim(): Promise<number> {
    let total = 0;
    for (const statement of [last.free!, last.limited!]) {
      const [row] = await sql().query<{ "QUERY PLAN": [{ Plan: { "Shared Hit Blocks": number; "Shared Read Blocks": number } }] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`, statement.params);
      const plan = row!["QUERY PLAN"][0].Plan;
      total += plan["Shared Hit Blocks"] + plan["Shared Read Blocks"];
    }
    return total;
  }
  const drain = async () => sql().query(`UPDATE "TaskRun" SET status = 'COMPLETED' WHERE status IN ('READY', 'RUNNING')`);

  it("reads about as many buffers with 20,000 runs queued as with 200: it walks an index and stops at its batch", async () => {
    // The statements are recorded on an empty queue: no run is claimed, so no index entry is dead yet.
    // (A claimed run's entry stays in the walk until no transaction in the cluster can still see it, so
    // how many a later walk skips would depend on what other databases' sessions run meanwhile.)
    expect((await claim(8)).runs).toHaveLength(0);
    await enqueue(200);
    const shallow = await buffersOfLastClaim();
    await enqueue(20_000);
    const deep = await buffersOfLastClaim();
    // A queue 100 times deeper adds an index level at most; ranking every ready run (claim v1) read thousands.
    expect(deep).toBeLessThanOrEqual(shallow + 20);
    expect(deep).toBeLessThan(200);
    expect((await claim(8)).runs).toHaveLength(8);
  }, 120_000);

  it("a limited run and a free run are claimed in one priority order; a limit holds back only its own runs", async () => {
    const plan = async (name: string, limits: { maxParallelism?: number }) =>
      (await createPlan(env.services, { name, ...limits, tasks: [{ key: "a", handler: "noop" }, { key: "b", handler: "noop" }, { key: "c", handler: "noop" }] } as never)).id;
    const free = await plan("free", {});
    const serial = await plan("serial", { maxParallelism: 1 });
    const run = (planId: string, priority: Priority) => scheduleExecution(env.services, { planId, priority });
    const normal = await run(free, "NORMAL");
    const critical = await run(serial, "CRITICAL");
    const low = await run(free, "LOW");
    const started = async (limit: number) => (await claim(limit)).runs.map((r) => r.executionId);
    const order = [...(await started(1)), ...(await started(10))];
    const count = (id: string) => order.filter((o) => o === id).length;
    // CRITICAL's first run came first; maxParallelism 1 held its other two back while every free run started.
    expect(order[0]).toBe(critical);
    expect([count(critical), count(normal), count(low)]).toEqual([1, 3, 3]);
    expect(order.lastIndexOf(normal)).toBeLessThan(order.indexOf(low)); // NORMAL's runs all before LOW's
  });

  it("a start is timed after the locks it waited for: never before the end that freed its slot", async () => {
    const { id: planId } = await createPlan(env.services, { name: "one-at-a-time", maxConcurrentExecutions: 1, tasks: [{ key: "a", handler: "noop" }] } as never);
    await scheduleExecution(env.services, { planId });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    // Another transaction holds the plan's row, as a finish or a claim of the same plan would.
    const holder = sql().tx(async (c) => {
      await c.query(`SELECT id FROM "Plan" WHERE id = $1 FOR UPDATE`, [planId]);
      locked();
      await held;
    });
    await isLocked;
    const claiming = claim(1);
    await new Promise((r) => setTimeout(r, 300));
    const releasedAt = Date.now();
    release();
    await holder;
    const { runs, updates } = await claiming;
    expect(runs).toHaveLength(1);
    const started = updates.flatMap((u) => (u.event.type === "TASK_STARTED" ? [u.event.timestamp.getTime()] : []));
    expect(started).toHaveLength(1);
    expect(started[0]).toBeGreaterThanOrEqual(releasedAt);
  });
});
