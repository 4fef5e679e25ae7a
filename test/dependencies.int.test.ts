import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { readyDependants } from "../src/store/dependencies.ts";
import { rerunTasks } from "../src/store/lifecycle.ts";
import { readyKeys, satisfiedKeys, type TaskState } from "../src/domain/dag.ts";
import { createPlan } from "../src/services/plans.ts";
import { scheduleExecution } from "../src/services/executions.ts";
import { createCheckpoint, restoreFromCheckpoint } from "../src/services/checkpoints.ts";

// The rule the dependency counters keep (store/dependencies.ts): a run's pendingDeps is the number of its
// dependencies that are not satisfied (domain/dag.ts), and no WAITING regular run with none is left
// unreadied. Checked after every step of random walks through random DAGs: completions, skips, a failure
// replaced by a fallback, failures and retryExecution's reset.

/** A small deterministic generator, so a failing walk can be replayed from its seed. */
const rng = (seed: number) => () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

describe.each(modes())("dependency counters ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => {
    env = await startInProcess({ embedded, startWorker: false });
  });
  afterAll(() => env?.stop());
  const sql = () => env.services.db.sql;

  async function runs(id: string) {
    return sql().query<TaskState & { pendingDeps: number; fallback: boolean }>(
      `SELECT key, "dependsOn", status, fallback, "replacedBy", "pendingDeps" FROM "TaskRun" WHERE "executionId" = $1 ORDER BY position`,
      [id],
    );
  }
  function expectTheRule(tasks: Awaited<ReturnType<typeof runs>>, step: string) {
    const satisfied = new Set(satisfiedKeys(tasks));
    const counts = Object.fromEntries(tasks.map((t) => [t.key, t.pendingDeps]));
    expect(counts, step).toEqual(Object.fromEntries(tasks.map((t) => [t.key, t.dependsOn.filter((d) => !satisfied.has(d)).length])));
    expect(readyKeys(tasks), step).toEqual([]);
  }

  it.each([1, 2, 3, 4, 5, 6])("random walk %i", async (seed) => {
    const random = rng(seed);
    const n = 14;
    const tasks = Array.from({ length: n }, (_, i) => {
      const dependsOn = [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => `t${Math.floor(random() * i)}`))].filter(() => i > 0);
      return { key: `t${i}`, handler: "noop", dependsOn, recovery: [{ on: "*", action: "FALLBACK" as const, fallbackTask: "spare" }] };
    });
    const plan = await createPlan(env.services, { name: `walk ${seed}`, tasks: [...tasks, { key: "spare", handler: "noop", fallback: true }] } as never);
    const id = await scheduleExecution(env.services, { planId: plan.id });
    let retried = false;
    for (let step = 0; step < 200; step++) {
      const now = await runs(id);
      expectTheRule(now, `seed ${seed}, step ${step}`);
      const ready = now.filter((t) => t.status === "READY");
      if (ready.length === 0) {
        if (retried || !now.some((t) => t.status === "FAILED")) break;
        retried = true; // retryExecution's reset: the failed runs and their dependants wait again, recounted
        await sql().tx((c) => rerunTasks(c, id, new Date()));
        continue;
      }
      const run = ready[Math.floor(random() * ready.length)]!;
      const roll = random();
      const spareFree = !now.some((t) => t.replacedBy === "spare");
      await sql().tx(async (c) => {
        const set = (key: string, status: string) => c.query(`UPDATE "TaskRun" SET status = $3::"TaskStatus" WHERE "executionId" = $1 AND key = $2`, [id, key, status]);
        if (run.fallback || roll < 0.6) {
          await set(run.key, "COMPLETED");
          await readyDependants(c, [{ executionId: id, key: run.key, fallback: run.fallback }], new Date());
        } else if (roll < 0.75) {
          await set(run.key, "SKIPPED");
          await readyDependants(c, [{ executionId: id, key: run.key, fallback: false }], new Date());
        } else if (roll < 0.85 && spareFree) {
          // FALLBACK recovery: the failed run is replaced; the spare completing later satisfies it.
          await set(run.key, "FAILED");
          await c.query(`UPDATE "TaskRun" SET "replacedBy" = 'spare' WHERE "executionId" = $1 AND key = $2`, [id, run.key]);
          await set("spare", "READY");
        } else await set(run.key, "FAILED");
      });
    }
    const end = await runs(id);
    // The walk went somewhere: something completed, and nothing is left READY.
    expect(end.some((t) => t.status === "COMPLETED")).toBe(true);
    expect(end.filter((t) => t.status === "READY")).toEqual([]);
  });

  it("a fallback completing satisfies the run it stands in for, in the same statement as its own end", async () => {
    const plan = await createPlan(env.services, {
      name: "stand-in",
      tasks: [
        { key: "a", handler: "noop", recovery: [{ on: "*", action: "FALLBACK", fallbackTask: "spare" }] },
        { key: "b", handler: "noop", dependsOn: ["a"] },
        { key: "spare", handler: "noop", fallback: true },
      ],
    } as never);
    const id = await scheduleExecution(env.services, { planId: plan.id });
    await sql().query(`UPDATE "TaskRun" SET status = 'FAILED', "replacedBy" = 'spare' WHERE "executionId" = $1 AND key = 'a'`, [id]);
    await sql().query(`UPDATE "TaskRun" SET status = 'COMPLETED' WHERE "executionId" = $1 AND key = 'spare'`, [id]);
    const readied = await sql().tx((c) => readyDependants(c, [{ executionId: id, key: "spare", fallback: true }], new Date()));
    expect(readied).toBe(1);
    expect((await runs(id)).find((t) => t.key === "b")).toMatchObject({ status: "READY", pendingDeps: 0 });
  });

  it("a restore counts again: runs satisfied after the checkpoint wait again, and so do their dependants", async () => {
    const plan = await createPlan(env.services, {
      name: "rewind",
      tasks: [{ key: "a", handler: "noop" }, { key: "b", handler: "noop", dependsOn: ["a"] }, { key: "c", handler: "noop", dependsOn: ["b"] }],
    } as never);
    const id = await scheduleExecution(env.services, { planId: plan.id });
    const complete = (key: string) =>
      sql().tx(async (c) => {
        await c.query(`UPDATE "TaskRun" SET status = 'COMPLETED' WHERE "executionId" = $1 AND key = $2`, [id, key]);
        await readyDependants(c, [{ executionId: id, key, fallback: false }], new Date());
      });
    await complete("a");
    const checkpoint = await createCheckpoint(env.services, id);
    await complete("b");
    expect((await runs(id)).map((t) => [t.key, t.status, t.pendingDeps])).toEqual([["a", "COMPLETED", 0], ["b", "COMPLETED", 0], ["c", "READY", 0]]);
    await restoreFromCheckpoint(env.services, checkpoint);
    const after = await runs(id);
    expectTheRule(after, "after the restore");
    expect(after.map((t) => [t.key, t.status, t.pendingDeps])).toEqual([["a", "COMPLETED", 0], ["b", "READY", 0], ["c", "WAITING", 1]]);
  });
});

describe.each(modes())("a fallback shared by two tasks ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => {
    env = await startInProcess({ embedded });
  });
  afterAll(() => env?.stop());

  it("a task replaced by a fallback that already completed is satisfied at once: its dependants run", async () => {
    const recovery = [{ on: "*", action: "FALLBACK", fallbackTask: "spare" }];
    const noRetry = { maxRetries: 0 };
    const plan = await createPlan(env.services, {
      name: "shared spare",
      tasks: [
        { key: "a", handler: "fail", recovery, retryPolicy: noRetry },
        { key: "b", handler: "fail", dependsOn: ["a"], recovery, retryPolicy: noRetry },
        { key: "c", handler: "noop", dependsOn: ["b"] },
        { key: "spare", handler: "noop", fallback: true },
      ],
    } as never);
    const id = await scheduleExecution(env.services, { planId: plan.id });
    const status = async () => (await env.services.db.sql.query<{ status: string }>(`SELECT status FROM "Execution" WHERE id = $1`, [id]))[0]!.status;
    for (let i = 0; i < 200 && !["COMPLETED", "FAILED", "CANCELLED"].includes(await status()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await status()).toBe("COMPLETED");
    const runs = await env.services.db.sql.query(`SELECT key, status, "replacedBy" FROM "TaskRun" WHERE "executionId" = $1 ORDER BY position`, [id]);
    expect(runs).toEqual([
      { key: "a", status: "FAILED", replacedBy: "spare" },
      { key: "b", status: "FAILED", replacedBy: "spare" },
      { key: "c", status: "COMPLETED", replacedBy: null },
      { key: "spare", status: "COMPLETED", replacedBy: null },
    ]);
  }, 30_000);
});
