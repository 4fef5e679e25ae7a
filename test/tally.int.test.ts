import { mkdtemp, readdir, rm, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { tallyTasks } from "../src/store/outbox.ts";
import { summarizeTasks } from "../src/domain/progress.ts";
import { createPlan } from "../src/services/plans.ts";
import { scheduleExecution } from "../src/services/executions.ts";
import { applyMigrations } from "../src/infra/migrate.ts";

// The stats of an execution come from one aggregate over its task runs (store/outbox.ts tallyTasks), and
// the ETA's critical path from each run's `downstream`, counted when the execution is created.

const T0 = Date.parse("2026-01-01T12:00:00.000Z");
const at = (ms: number) => new Date(T0 + ms);

describe.each(modes())("task tallies ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => {
    env = await startInProcess({ embedded, startWorker: false });
  });
  afterAll(() => env?.stop());
  const sql = () => env.services.db.sql;

  /** a → {b, c} → d → e, and a fallback for c. */
  async function execution(): Promise<string> {
    const plan = await createPlan(env.services, {
      name: "diamond",
      tasks: [
        { key: "a", handler: "noop" },
        { key: "b", handler: "noop", dependsOn: ["a"] },
        { key: "c", handler: "noop", dependsOn: ["a"], recovery: [{ on: "*", action: "FALLBACK", fallbackTask: "spare" }] },
        { key: "d", handler: "noop", dependsOn: ["b", "c"] },
        { key: "e", handler: "noop", dependsOn: ["d"] },
        { key: "spare", handler: "noop", fallback: true },
      ],
    } as never);
    return scheduleExecution(env.services, { planId: plan.id });
  }
  const set = (id: string, key: string, columns: string, values: unknown[]) =>
    sql().query(`UPDATE "TaskRun" SET ${columns} WHERE "executionId" = $1 AND key = $2`, [id, key, ...values]);

  it("a run's downstream is the number of regular tasks on its longest chain of dependants", async () => {
    const id = await execution();
    const rows = await sql().query<{ key: string; downstream: number }>(`SELECT key, downstream FROM "TaskRun" WHERE "executionId" = $1 ORDER BY position`, [id]);
    expect(Object.fromEntries(rows.map((r) => [r.key, r.downstream]))).toEqual({ a: 3, b: 2, c: 2, d: 1, e: 0, spare: 0 });
  });

  it("counts, sums, the running runs and the critical path, in one statement", async () => {
    const id = await execution();
    await set(id, "a", `status = 'COMPLETED', attempt = 1, "startedAt" = $3, "finishedAt" = $4, metrics = '{"cost": 0.5}'`, [at(0), at(1000)]);
    await set(id, "c", `status = 'COMPLETED', attempt = 2, "startedAt" = $3, "finishedAt" = $4, metrics = '{"cost": "not a number"}'`, [at(1000), at(4000)]);
    await set(id, "b", `status = 'RUNNING', attempt = 1, "startedAt" = $3, progress = 0.5`, [at(1000)]);
    let statements = 0;
    const counting = { query: (text: string, params?: unknown[]) => (statements++, sql().query(text, params)) } as never;
    const tally = (await tallyTasks(counting, [id])).get(id)!;
    expect(statements).toBe(1);
    // The unused fallback is in no counter.
    expect(tally).toMatchObject({ total: 5, waiting: 2, ready: 0, completed: 2, failed: 0, busyMs: 4000, cost: 0.5, firstTry: 1, unitMs: 2000, longestQueued: 1 });
    expect(tally.running).toEqual([{ id: expect.any(String), key: "b", attempt: 1, startedAt: at(1000), progress: 0.5, position: 1, downstream: 2 }]);
    const stats = summarizeTasks(tally, { startedAt: at(0), endedAt: null, now: at(2000) });
    // b has 1 s of its 2 s unit left, then d and e take a unit each: 5 s (d alone, queued: 2 units).
    expect(stats).toMatchObject({ running: 1, currentTask: "b", runningProgress: 0.5, etaMs: 5000 });
  });

  it("the unit cost is the mean of completed runs with both timestamps only", async () => {
    const id = await execution();
    await set(id, "a", `status = 'COMPLETED'`, []); // no timestamps (as a restore may leave one)
    expect((await tallyTasks(sql(), [id])).get(id)).toMatchObject({ completed: 1, unitMs: null });
    await set(id, "b", `status = 'COMPLETED', "startedAt" = $3, "finishedAt" = $4`, [at(0), at(3000)]);
    expect((await tallyTasks(sql(), [id])).get(id)).toMatchObject({ completed: 2, unitMs: 3000 });
  });

  it("names the sinks (regular runs nothing depends on, in plan order) once every regular run is satisfied", async () => {
    const plan = await createPlan(env.services, {
      name: "sinks",
      tasks: [{ key: "a", handler: "noop" }, { key: "b", handler: "noop", dependsOn: ["a"] }, { key: "c", handler: "noop", dependsOn: ["a"] }, { key: "e", handler: "noop" }, { key: "d", handler: "noop", dependsOn: ["b"] }],
    } as never);
    const id = await scheduleExecution(env.services, { planId: plan.id });
    await sql().query(`UPDATE "TaskRun" SET status = 'COMPLETED' WHERE "executionId" = $1 AND key <> 'd'`, [id]);
    expect((await tallyTasks(sql(), [id])).get(id)).toMatchObject({ unsatisfied: 1, sinks: null });
    await set(id, "d", `status = 'COMPLETED'`, []);
    expect((await tallyTasks(sql(), [id])).get(id)).toMatchObject({ unsatisfied: 0, sinks: [{ key: "c", replacedBy: null }, { key: "e", replacedBy: null }, { key: "d", replacedBy: null }] });
  });

  it("counts a fallback once invoked, and tallies several executions apart", async () => {
    const [one, two] = [await execution(), await execution()];
    await set(one, "c", `status = 'FAILED', "replacedBy" = 'spare'`, []);
    await set(one, "spare", `status = 'READY'`, []);
    const tallies = await tallyTasks(sql(), [one, two]);
    expect(tallies.get(one)).toMatchObject({ total: 6, failed: 1, ready: 2, waiting: 3, unitMs: null, longestQueued: 3 });
    expect(tallies.get(two)).toMatchObject({ total: 5, failed: 0, ready: 1, waiting: 4 });
    expect(summarizeTasks(tallies.get(one)!, { startedAt: null, endedAt: null, now: at(0) }).etaMs).toBeNull();
  });
});

describe("the task_chains migration", () => {
  let dir: string;
  let db: PGlite;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "migrations-"));
    db = new PGlite();
    await db.waitReady;
  }, 30_000);
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("counts every run's chain of dependants, its dependants and its unsatisfied dependencies, in running and in ended executions", async () => {
    const all = path.resolve("prisma/migrations");
    const names = (await readdir(all, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    const last = names.indexOf(names.find((n) => n.endsWith("_task_chains"))!);
    for (const name of names.slice(0, last)) await cp(path.join(all, name), path.join(dir, name), { recursive: true });
    await applyMigrations(db, dir);
    await db.exec(`
      INSERT INTO "Plan" (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'p');
      INSERT INTO "Execution" (id, "planId", status, priority, params, stats) VALUES
        ('00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-000000000001', 'RUNNING', 'NORMAL', '{}', '{}'),
        ('00000000-0000-4000-8000-0000000000e2', '00000000-0000-4000-8000-000000000001', 'COMPLETED', 'NORMAL', '{}', '{}');
      INSERT INTO "TaskRun" (id, "executionId", position, key, name, handler, input, "dependsOn", priority, status, fallback)
      SELECT gen_random_uuid(), e, p, k, k, 'noop', 'null', d, 'NORMAL', 'WAITING', f
        FROM (VALUES (0, 'a', '{}'::text[], false), (1, 'b', '{a}', false), (2, 'c', '{b}', false), (3, 'x', '{a}', false), (4, 'fb', '{}', true)) AS t(p, k, d, f),
             unnest('{00000000-0000-4000-8000-0000000000e1,00000000-0000-4000-8000-0000000000e2}'::uuid[]) AS e;
      UPDATE "TaskRun" SET status = 'COMPLETED' WHERE key = 'a';
    `);
    for (const name of names.slice(last)) await cp(path.join(all, name), path.join(dir, name), { recursive: true });
    expect(await applyMigrations(db, dir)).toEqual(names.slice(last));
    const { rows } = await db.query<{ executionId: string; key: string; downstream: number; dependants: string[]; pendingDeps: number }>(
      `SELECT "executionId", key, downstream, dependants, "pendingDeps" FROM "TaskRun" ORDER BY "executionId", position`,
    );
    const of = (e: string, column: "downstream" | "dependants" | "pendingDeps") => Object.fromEntries(rows.filter((r) => r.executionId.endsWith(e)).map((r) => [r.key, r[column]]));
    // An ended execution may be retried or restored: its runs are counted too. a completed, so only c waits on b.
    for (const e of ["e1", "e2"]) {
      expect(of(e, "downstream")).toEqual({ a: 2, b: 1, c: 0, x: 0, fb: 0 });
      expect(of(e, "dependants")).toEqual({ a: ["b", "x"], b: ["c"], c: [], x: [], fb: [] });
      expect(of(e, "pendingDeps")).toEqual({ a: 0, b: 0, c: 1, x: 0, fb: 0 });
    }
  }, 60_000);
});
