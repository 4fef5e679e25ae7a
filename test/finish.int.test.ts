import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { claimRuns } from "../src/store/claim.ts";
import { finishCompleted } from "../src/store/finish.ts";
import { createPlan } from "../src/services/plans.ts";
import { scheduleExecution } from "../src/services/executions.ts";
import { TASK_READY_CHANNEL } from "../src/store/channels.ts";

// Run ends in batches (store/finish.ts finishCompleted) and when they wake the other workers: a batch costs
// the statements of one end and keeps exactly-once completion; a NOTIFY goes out only for work another
// worker could take.

describe.each(modes())("run ends ($mode)", ({ embedded }) => {
  let env: InProcess;
  let statements = 0;
  const notified: string[] = [];
  let unlisten: () => Promise<void>;

  beforeAll(async () => {
    env = await startInProcess({ embedded, startWorker: false, onStatement: () => void (statements += 1) });
    unlisten = await env.services.db.listen(TASK_READY_CHANNEL, (payload) => void notified.push(payload));
  });
  afterAll(async () => {
    await unlisten?.();
    await env?.stop();
  });

  const sql = () => env.services.db.sql;
  const clock = () => new Date();
  const claim = (limit: number) => claimRuns(sql(), { workerId: "w", limit, leaseMs: 30_000, agingStepMs: 60_000, clock });
  const plan = async (name: string, tasks: { key: string; dependsOn?: string[] }[]) => (await createPlan(env.services, { name, tasks: tasks.map((t) => ({ handler: "noop", ...t })) } as never)).id;
  const status = async (executionId: string) => (await env.services.db.prisma.execution.findUniqueOrThrow({ where: { id: executionId } })).status;
  /** Waits for a notification sent after everything before it: NOTIFYs arrive in commit order. */
  async function notificationsUpTo(): Promise<string[]> {
    const marker = `marker-${notified.length}-${Math.random()}`;
    await sql().query(`SELECT pg_notify($1, $2)`, [TASK_READY_CHANNEL, marker]);
    for (let i = 0; !notified.includes(marker); i++) {
      if (i > 200) throw new Error("marker never arrived");
      await new Promise((r) => setTimeout(r, 25));
    }
    const upTo = notified.splice(0, notified.indexOf(marker) + 1);
    return upTo.slice(0, -1);
  }

  it("records five completions in one transaction with the statements of one, each once", async () => {
    const single = await plan("single", [{ key: "a" }]);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await scheduleExecution(env.services, { planId: single }));
    const { runs } = await claim(6);
    expect(runs).toHaveLength(6);
    const done = (r: (typeof runs)[number]) => ({ run: r, output: { n: r.executionId }, messages: [], metrics: {} });

    let before = statements;
    await finishCompleted({ sql: sql(), workerId: "w", clock }, [done(runs[0]!)]);
    const one = statements - before;
    before = statements;
    // A stale attempt (as after a restore handed the run to a new attempt) is left alone; the rest are recorded.
    const stale = { ...runs[1]!, attempt: runs[1]!.attempt + 1 };
    const { updates } = await finishCompleted({ sql: sql(), workerId: "w", clock }, [done(stale), ...runs.slice(2).map(done)]);
    expect(statements - before).toBe(one);

    expect(await status(runs[1]!.executionId)).toBe("RUNNING");
    for (const r of [runs[0]!, ...runs.slice(2)]) expect(await status(r.executionId)).toBe("COMPLETED");
    expect(updates.filter((u) => u.event.type === "EXECUTION_COMPLETED").map((u) => u.event.executionId).sort()).toEqual(runs.slice(2).map((r) => r.executionId).sort());
    // Exactly-once: the same ends again change nothing.
    expect(await finishCompleted({ sql: sql(), workerId: "w", clock }, runs.slice(2).map(done))).toEqual({ updates: [], claimed: { runs: [], updates: [] } });
    const completed = await env.services.db.prisma.executionEvent.count({ where: { executionId: { in: ids }, type: "TASK_COMPLETED" } });
    expect(completed).toBe(5);
    const stored = await env.services.db.prisma.execution.findUniqueOrThrow({ where: { id: runs[2]!.executionId } });
    expect(stored.result).toEqual({ a: { n: runs[2]!.executionId } });
  });

  it("an end wakes the other workers only for work they could take: more ready runs than it frees, or dependants", async () => {
    const chain = await plan("chain", [{ key: "a" }, { key: "b", dependsOn: ["a"] }]);
    const fan = await plan("fan", [{ key: "a" }, { key: "b", dependsOn: ["a"] }, { key: "c", dependsOn: ["a"] }]);
    const single = await plan("alone", [{ key: "a" }]);
    await notificationsUpTo();
    const finish = async (executionId: string) => {
      const { runs } = await claim(10);
      const mine = runs.filter((r) => r.executionId === executionId);
      expect(mine).toHaveLength(1);
      await finishCompleted({ sql: sql(), workerId: "w", clock }, mine.map((run) => ({ run, output: null, messages: [], metrics: {} })));
    };

    const c = await scheduleExecution(env.services, { planId: chain });
    expect(await notificationsUpTo()).toEqual([c]); // scheduling wakes the workers
    await finish(c); // a readies b: its own worker's freed slot takes it
    expect(await notificationsUpTo()).toEqual([]);
    await finish(c); // b ends the execution, which nothing depends on
    expect(await notificationsUpTo()).toEqual([]);
    expect(await status(c)).toBe("COMPLETED");

    const f = await scheduleExecution(env.services, { planId: fan });
    await finish(f); // a readies b and c: one more than its slot
    expect(await notificationsUpTo()).toEqual([f, f]);

    const dependency = await scheduleExecution(env.services, { planId: single });
    const dependant = await scheduleExecution(env.services, { planId: single, dependsOn: [dependency] });
    expect(await notificationsUpTo()).toEqual([dependency, dependant]);
    await finish(dependency);
    expect(await notificationsUpTo()).toEqual([dependency]); // its dependant may start now
    await sql().query(`UPDATE "TaskRun" SET status = 'COMPLETED' WHERE status IN ('READY', 'RUNNING')`);
  });

  it("a batch claims for the slots it frees in its own transaction: a chain's next task starts in the commit that readied it", async () => {
    const chain = await plan("claiming chain", [{ key: "a" }, { key: "b", dependsOn: ["a"] }, { key: "c", dependsOn: ["b"] }]);
    const id = await scheduleExecution(env.services, { planId: chain });
    const { runs } = await claim(1);
    expect(runs.map((r) => r.key)).toEqual(["a"]);
    const before = statements;
    const { updates, claimed } = await finishCompleted({ sql: sql(), workerId: "w", clock }, [{ run: runs[0]!, output: null, messages: [], metrics: {} }], { limit: 1, leaseMs: 30_000, agingStepMs: 60_000 });
    // One transaction: its BEGIN and COMMIT are counted once.
    expect(statements - before).toBeLessThan(16);
    expect(claimed.runs.map((r) => [r.executionId, r.key, r.status])).toEqual([[id, "b", "RUNNING"]]);
    // b's start follows a's end in the execution's seq: TASK_COMPLETED, then TASK_STARTED, gap-free.
    const seqs = [...updates, ...claimed.updates].map((u) => [u.event.seq, u.event.type, u.event.taskKey]);
    expect(seqs).toEqual([[seqs[0]![0], "TASK_COMPLETED", "a"], [(seqs[0]![0] as number) + 1, "TASK_STARTED", "b"]]);
    expect(claimed.updates.at(-1)!.event.stats).toMatchObject({ completed: 1, running: 1, waiting: 1, currentTask: "b" });
    // Claiming nothing (limit 0) is the end alone.
    const next = await finishCompleted({ sql: sql(), workerId: "w", clock }, [{ run: claimed.runs[0]!, output: null, messages: [], metrics: {} }], { limit: 0, leaseMs: 30_000, agingStepMs: 60_000 });
    expect(next.claimed).toEqual({ runs: [], updates: [] });
    expect(await env.services.db.sql.query(`SELECT key, status FROM "TaskRun" WHERE "executionId" = $1 ORDER BY position`, [id])).toEqual([
      { key: "a", status: "COMPLETED" },
      { key: "b", status: "COMPLETED" },
      { key: "c", status: "READY" },
    ]);
    await sql().query(`UPDATE "TaskRun" SET status = 'COMPLETED' WHERE status IN ('READY', 'RUNNING')`);
  });
});
