import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, infra } from "./helpers/infra.ts";
import { startApi, startWorker, type Proc } from "./helpers/processes.ts";
import { query } from "./helpers/clients.ts";
import { expectGapFree, monitorWs, schedule } from "./helpers/scenario.ts";
import { graphql } from "./__generated__/gql.ts";
import { CreatePlan, ExecutionDetails } from "./operations.ts";

// Several worker processes share one queue; a stopping worker finishes or hands back its runs.
describe.skipIf(!infra().available)("worker processes", () => {
  let env: Record<string, string>;
  let url: string;
  const procs: Proc[] = [];

  const plan = async (name: string, tasks: { key: string; handler: string; input?: unknown }[]) => {
    const { createPlan } = await query(url, CreatePlan, { input: { name, tasks } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    return createPlan.id;
  };

  beforeAll(async () => {
    env = { DATABASE_URL: await createTestDatabase(), REDIS_URL: infra().redisUrl, POLL_INTERVAL_MS: "300", MONITOR_IDLE_BACKFILL_MS: "1000" };
    const api = await startApi(env);
    url = api.url;
    procs.push(api.proc);
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
  });

  it("two workers claim disjoint runs (SKIP LOCKED): every task runs once", async () => {
    const workers = await Promise.all([startWorker({ ...env, WORKER_CONCURRENCY: "2" }), startWorker({ ...env, WORKER_CONCURRENCY: "2" })]);
    procs.push(...workers);
    try {
      // Runs long beside the claims: a worker's claim skips the runs of an execution whose row another
      // worker's transaction holds (SKIP LOCKED), so with 40 ms tasks one worker, ending and claiming
      // back to back, could keep the row busy for most of the run and the other miss every poll.
      const tasks = Array.from({ length: 12 }, (_, i) => ({ key: `t${i}`, handler: "sleep", input: { ms: 300 } }));
      const executionId = await schedule(url, await plan("wide", tasks));
      const sub = monitorWs(url, executionId);
      await sub.done;
      const starts = sub.received.flatMap((u) => u.monitor.events.filter((e) => e.type === "TASK_STARTED"));
      expect(starts.map((e) => e.taskKey).sort()).toEqual(tasks.map((t) => t.key).sort());
      const { execution } = await query(url, ExecutionDetails, { id: executionId });
      expect(execution?.status).toBe("COMPLETED");
      expect(execution!.tasks.every((t) => t.attempt === 1 && t.status === "COMPLETED")).toBe(true);
      // Both processes took part (each TASK_STARTED names the claiming worker).
      const ids = await Promise.all(workers.map((w) => w.waitFor((l) => typeof l.worker === "string").then((l) => l.worker as string)));
      expect(new Set(starts.map((e) => (e.data as { worker: string }).worker))).toEqual(new Set(ids));
    } finally {
      // Stopped whatever happened: a worker left running would take the next tests' runs.
      await Promise.all(workers.map((w) => w.stop()));
    }
  });

  it("on SIGTERM a worker lets a run finish within the grace period", async () => {
    const worker = await startWorker({ ...env, SHUTDOWN_GRACE_MS: "5000" });
    procs.push(worker);
    const executionId = await schedule(url, await plan("short", [{ key: "s", handler: "sleep", input: { ms: 600 } }]));
    const sub = monitorWs(url, executionId);
    await sub.until((r) => r.some((u) => u.monitor.events[0]!.type === "TASK_STARTED"));
    expect(await worker.stop()).toBe(0);
    await sub.done;
    expect(sub.received.at(-1)!.monitor.status).toBe("COMPLETED");
    expect(sub.received.some((u) => u.monitor.events[0]!.type === "TASK_RELEASED")).toBe(false);
  });

  it("on SIGTERM a worker releases runs that outlast the grace period, names them and exits 1; another worker completes them", async () => {
    const first = await startWorker({ ...env, SHUTDOWN_GRACE_MS: "200" });
    procs.push(first);
    const executionId = await schedule(url, await plan("long", [{ key: "l", handler: "sleep", input: { ms: 1500 } }]));
    const sub = monitorWs(url, executionId);
    await sub.until((r) => r.some((u) => u.monitor.events[0]!.type === "TASK_STARTED"));
    expect(await first.stop()).toBe(1);
    const over = first.logs.find((l) => typeof l.msg === "string" && l.msg.startsWith("shutdown: the grace period (200 ms) is over"));
    expect(over?.open).toEqual(expect.arrayContaining([expect.stringMatching(/^run \S+ \(task l of execution \S+\)$/)]));
    await sub.until((r) => r.some((u) => u.monitor.events[0]!.type === "TASK_RELEASED"));
    const second = await startWorker(env);
    procs.push(second);
    await sub.done;
    const types = sub.received.map((u) => u.monitor.events[0]!.type);
    expect(types).toEqual(["EXECUTION_SCHEDULED", "EXECUTION_STARTED", "TASK_STARTED", "TASK_RELEASED", "TASK_STARTED", "TASK_COMPLETED", "EXECUTION_COMPLETED"]);
    const { execution } = await query(url, ExecutionDetails, { id: executionId });
    // The released attempt does not count: the run completed on its first counted attempt.
    expect(execution?.tasks[0]).toMatchObject({ status: "COMPLETED", attempt: 1 });
    await second.stop();
  });

  it("reclaims the runs of a worker killed with SIGKILL once its lease expires; the retry policy runs them again", async () => {
    const short = { ...env, LEASE_MS: "1000", POLL_INTERVAL_MS: "200" };
    const doomed = await startWorker(short);
    const { createPlan } = await query(url, CreatePlan, {
      input: { name: "crash", tasks: [{ key: "k", handler: "sleep", input: { ms: 1500 }, retryPolicy: { strategy: "IMMEDIATE", maxRetries: 2 } }] },
    });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    const executionId = await schedule(url, createPlan.id);
    const sub = monitorWs(url, executionId);
    await sub.until((r) => r.some((u) => u.monitor.events[0]!.type === "TASK_STARTED"));
    doomed.child.kill("SIGKILL");
    await doomed.stop();
    const rescuer = await startWorker(short);
    procs.push(rescuer);
    await sub.done;
    expectGapFree(sub.received);
    const types = sub.received.map((u) => u.monitor.events[0]!.type);
    expect(types).toEqual(["EXECUTION_SCHEDULED", "EXECUTION_STARTED", "TASK_STARTED", "TASK_FAILED", "RECOVERY_INITIATED", "TASK_RETRYING", "TASK_STARTED", "TASK_COMPLETED", "EXECUTION_COMPLETED"]);
    const { execution } = await query(url, Attempts, { id: executionId });
    const task = execution!.tasks[0]!;
    expect(task).toMatchObject({ status: "COMPLETED", attempt: 2 });
    expect(task.attempts.map((a) => [a.attempt, a.status, a.error?.code ?? null])).toEqual([[1, "FAILED", "LEASE_EXPIRED"], [2, "COMPLETED", null]]);
    expect(task.attempts[0]!.worker).not.toBe(task.attempts[1]!.worker);
  });
});

const Attempts = graphql(`
  query Attempts($id: ID!) {
    execution(id: $id) {
      tasks { key status attempt attempts { attempt status worker error { code } } }
    }
  }
`);
