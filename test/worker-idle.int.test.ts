import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskInput } from "./__generated__/graphql.ts";
import { query } from "./helpers/clients.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { monitorWs } from "./helpers/scenario.ts";
import { CreatePlan, ExecutionDetails, ScheduleExecution } from "./operations.ts";
import { openGate } from "./fixtures/gate-handlers.ts";

// What the worker costs when it has nothing it can do: blocked work (a due retry behind maxParallelism, a
// due execution waiting on its dependency) must cost about what no work costs, and must not hide work
// that can move (promoteDue's batch).

const HANDLERS = "test/fixtures/gate-handlers.ts";
const WINDOW_MS = 2000;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function plan(url: string, tasks: TaskInput[], maxParallelism?: number): Promise<string> {
  const { createPlan } = await query(url, CreatePlan, { input: { name: "idle", tasks, ...(maxParallelism ? { maxParallelism } : {}) } });
  if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
  return createPlan.id;
}

async function schedule(url: string, input: { planId: string; dependsOn?: string[]; runAt?: string }) {
  const { scheduleExecution } = await query(url, ScheduleExecution, { input });
  if (scheduleExecution.__typename !== "Execution") throw new Error(JSON.stringify(scheduleExecution));
  return scheduleExecution;
}

const details = async (url: string, id: string) => (await query(url, ExecutionDetails, { id })).execution!;

/** Polls until ok, failing with the last value seen (more telling than the test's timeout). */
async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, tries = 300): Promise<T> {
  let v = await probe();
  for (let i = 0; !ok(v); i += 1) {
    if (i === tries) throw new Error(`gave up waiting; last seen: ${JSON.stringify(v)}`);
    await wait(50);
    v = await probe();
  }
  return v;
}

/** Statements sent by the engine over a window in which the test sends none. */
async function statementsOver(env: InProcess, ms: number): Promise<number> {
  const before = env.workerStatements();
  await wait(ms);
  return env.workerStatements() - before;
}

describe.each(modes())("worker cost when idle or blocked ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded, pollIntervalMs: 200, handlerModules: HANDLERS })));
  afterAll(async () => env?.stop());

  it("a due retry held by maxParallelism and a due execution waiting on its dependency cost about what an idle worker costs", async () => {
    await wait(300); // past start-up's first rounds
    const idle = await statementsOver(env, WINDOW_MS);

    // maxParallelism 1: the CRITICAL task runs first and fails; its retry comes due while `hold` has the only slot.
    const hold = `idle-hold-${embedded}`; // gates live in this process, which runs both modes
    const held = await schedule(env.url, {
      planId: await plan(env.url, [
        { key: "flaky", handler: "flaky", input: { failRate: 1 }, priority: "CRITICAL", retryPolicy: { strategy: "FIXED_DELAY", delayMs: 1000, maxRetries: 100 } },
        { key: "hold", handler: "gate", input: { name: hold }, priority: "LOW" },
      ], 1),
    });
    const waiter = await schedule(env.url, { planId: await plan(env.url, [{ key: "n", handler: "noop" }]), dependsOn: [held.id], runAt: new Date(Date.now() + 100).toISOString() });
    const status = (e: Awaited<ReturnType<typeof details>>, key: string) => e.tasks.find((t) => t.key === key)!.status;
    // (Should a retry win the slot before `hold`, it fails again and `hold` gets the next turn.)
    const attempts = (await until(() => details(env.url, held.id), (e) => status(e, "hold") === "RUNNING" && status(e, "flaky") === "RETRYING", 600))
      .tasks.find((t) => t.key === "flaky")!.attempt;
    await wait(1200); // the retry and the waiter's runAt are both past now
    const blocked = await statementsOver(env, WINDOW_MS);

    // Still blocked, so the window measured what it says.
    const after = await details(env.url, held.id);
    expect([status(after, "hold"), status(after, "flaky")]).toEqual(["RUNNING", "RETRYING"]);
    expect((await details(env.url, waiter.id)).status).toBe("SCHEDULED");
    console.info(`[${embedded ? "embedded" : "postgres+redis"}] statements over ${WINDOW_MS} ms: idle ${idle}, blocked ${blocked} (${(blocked / idle).toFixed(2)}×)`);
    expect(idle).toBeGreaterThan(0);
    expect(blocked).toBeLessThanOrEqual(2.5 * idle); // a busy loop costs 20× and more

    // Unblocked, the retry runs at once (not a poll later: nothing to assert on time, only that it runs).
    openGate(hold);
    await until(() => details(env.url, held.id), (e) => e.tasks.find((t) => t.key === "flaky")!.attempt > attempts);
  });

  it("executions due by runAt are promoted although more than a batch of executions wait on a running dependency", async () => {
    const hold = `batch-hold-${embedded}`;
    const dependency = await schedule(env.url, { planId: await plan(env.url, [{ key: "hold", handler: "gate", input: { name: hold } }]) });
    const noop = await plan(env.url, [{ key: "n", handler: "noop" }]);
    const waiters = [];
    for (let i = 0; i < 60; i += 1) waiters.push((await schedule(env.url, { planId: noop, dependsOn: [dependency.id] })).id);
    const due = await schedule(env.url, { planId: noop, runAt: new Date(Date.now() + 1500).toISOString() });
    await monitorWs(env.url, due.id).done; // before the fix: never, 60 waiters filled every batch of 50
    // COMPLETED, through promoteDue (queued from SCHEDULED), not scheduled as already due.
    const done = await details(env.url, due.id);
    expect(done.status).toBe("COMPLETED");
    expect(done.timeline.edges.map((e) => e.node.type).slice(0, 2)).toEqual(["EXECUTION_SCHEDULED", "EXECUTION_QUEUED"]);
    const dep = await details(env.url, dependency.id);
    expect(dep.status).toBe("RUNNING");
    for (const id of waiters.slice(0, 3)) expect((await details(env.url, id)).status, JSON.stringify(dep)).toBe("SCHEDULED");

    // Once the dependency completes, every waiter moves.
    openGate(hold);
    for (const id of waiters) await until(() => details(env.url, id), (e) => e.status === "COMPLETED");
  });

  it("a dependency that failed fails its dependants at once, while another of their dependencies still runs", async () => {
    const hold = `fail-fast-${embedded}`;
    const running = await schedule(env.url, { planId: await plan(env.url, [{ key: "hold", handler: "gate", input: { name: hold } }]) });
    const failing = await schedule(env.url, { planId: await plan(env.url, [{ key: "f", handler: "fail" }]) });
    const dependant = await schedule(env.url, { planId: await plan(env.url, [{ key: "n", handler: "noop" }]), dependsOn: [running.id, failing.id] });
    await monitorWs(env.url, dependant.id).done; // before the fix: not until `hold` ended
    expect(await details(env.url, dependant.id)).toMatchObject({ status: "FAILED", error: { code: "DEPENDENCY_FAILED" } });
    expect((await details(env.url, running.id)).status).toBe("RUNNING");
    openGate(hold);
  });
});
