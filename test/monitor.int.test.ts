import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createTestDatabase, infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { startApi, startWorker, type Proc } from "./helpers/processes.ts";
import { query } from "./helpers/clients.ts";
import { createDiamond, expectGapFree, monitorSse, monitorWs, runDiamondScenario, runFailingScenario, schedule } from "./helpers/scenario.ts";
import { CreatePlan, ExecutionDetails } from "./operations.ts";

describe.each(modes())("monitor: every update is as of its event ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded })));
  afterAll(async () => env?.stop());

  it("a replay from afterSeq 0 equals the live stream, update for update: currentTask, progress, phase and metrics included", async () => {
    const id = await schedule(env.url, await createDiamond(env.url, { a: 300, b: 400, c: 400 }));
    const live = monitorWs(env.url, id);
    await live.done;
    expectGapFree(live.received);
    const replay = monitorWs(env.url, id, 0);
    await replay.done;
    expect(replay.received.map((u) => u.monitor.seq)).toEqual(live.received.map((u) => u.monitor.seq));
    for (const [i, u] of live.received.entries()) expect(replay.received[i], `seq ${u.monitor.seq}`).toEqual(u);

    const trail = live.received.map(({ monitor: m }) => ({ event: `${m.events[0]!.type}${m.events[0]!.taskKey ? `:${m.events[0]!.taskKey}` : ""}`, m }));
    const at = (event: string) => trail.find((t) => t.event === event)!.m;
    // The task a TASK_STARTED names is, as of that update, running in its first attempt (not as it ended).
    for (const key of ["a", "d"]) expect(at(`TASK_STARTED:${key}`).currentTask).toMatchObject({ key, status: "RUNNING", attempt: 1, progress: null });
    expect(at("EXECUTION_STARTED").currentTask).toMatchObject({ key: "a", status: "RUNNING" });
    expect(at("TASK_COMPLETED:d").currentTask).toBeNull();
    // Every task done: 100 %, and the phase says so, until the execution's own end.
    const full = trail.filter((t) => t.m.progress.percentage === 100);
    expect(full.map((t) => [t.event, t.m.status, t.m.progress.currentPhase, t.m.progress.estimatedTimeRemaining])).toEqual([
      ["TASK_COMPLETED:d", "RUNNING", "all tasks finished", expect.any(Number)],
      ["EXECUTION_COMPLETED", "COMPLETED", "completed", 0],
    ]);
    expect(trail.filter((t) => t.m.progress.currentPhase.includes("waiting") && t.m.progress.completedTasks === 4)).toEqual([]);
  });
});

// API and worker as separate processes on real PostgreSQL and Redis: updates cross Redis pub/sub.
describe.skipIf(!infra().available)("monitor across processes (PostgreSQL + Redis)", () => {
  let url: string;
  const procs: Proc[] = [];

  beforeAll(async () => {
    const env = { DATABASE_URL: await createTestDatabase(), REDIS_URL: infra().redisUrl, POLL_INTERVAL_MS: "500", MONITOR_IDLE_BACKFILL_MS: "1000" };
    const api = await startApi(env);
    url = api.url;
    procs.push(api.proc, await startWorker({ ...env, WORKER_CONCURRENCY: "4" }));
  });

  afterAll(async () => {
    const codes = await Promise.all(procs.map((p) => p.stop()));
    expect(codes, "processes shut down cleanly on SIGTERM").toEqual(procs.map(() => 0));
  });

  it("streams the diamond over graphql-ws and SSE, in order, with no gap, to early and late subscribers", async () => {
    await runDiamondScenario(url);
  });

  it("repairs from the event table what Redis loses while the API's subscriber connection keeps dying", async () => {
    const redis = new Redis(infra().redisUrl);
    redis.on("error", () => undefined);
    let killed = 0;
    try {
      // Killing pub/sub clients drops whatever is published until ioredis has resubscribed; doing it
      // every 20 ms for the rest of the run makes the live path lose most updates.
      await runDiamondScenario(url, {
        midRun: async () => {
          const timer = setInterval(() => void redis.client("KILL", "TYPE", "pubsub").then((n) => (killed += Number(n))), 20);
          return async () => clearInterval(timer);
        },
      });
      expect(killed, "subscriber connections killed during the run").toBeGreaterThan(5);
    } finally {
      redis.disconnect();
    }
  });

  it("replays a finished execution and completes; afterSeq at the end completes at once", async () => {
    const executionId = await schedule(url, await createDiamond(url, { a: 10, b: 10, c: 10 }));
    await monitorWs(url, executionId).done;
    const all = monitorSse(url, executionId, 0);
    await all.done;
    expectGapFree(all.received);
    const lastSeq = all.received.at(-1)!.monitor.seq;
    const tail = monitorWs(url, executionId, lastSeq - 2);
    await tail.done;
    expect(tail.received.map((u) => u.monitor.seq)).toEqual([lastSeq - 1, lastSeq]);
    const none = monitorWs(url, executionId, lastSeq);
    await none.done;
    expect(none.received).toEqual([]);
  });

  it("fails the execution when a task fails, cancels the rest and ends the stream", async () => {
    await runFailingScenario(url);
  });

  it("times a task out after its timeoutMs", async () => {
    const { createPlan } = await query(url, CreatePlan, {
      input: { name: "timeout", tasks: [{ key: "t", handler: "sleep", input: { ms: 10_000 }, timeoutMs: 300 }] },
    });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    const executionId = await schedule(url, createPlan.id);
    await monitorWs(url, executionId).done;
    const { execution } = await query(url, ExecutionDetails, { id: executionId });
    expect(execution?.status).toBe("FAILED");
    expect(execution?.tasks[0]).toMatchObject({ status: "TIMED_OUT", error: { code: "TIMEOUT" } });
    const t = execution!.tasks[0]!;
    expect(Date.parse(t.finishedAt!) - Date.parse(t.startedAt!)).toBeLessThan(5000);
  });
});
