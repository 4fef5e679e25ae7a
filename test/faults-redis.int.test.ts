import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createTestDatabase, infra } from "./helpers/infra.ts";
import { startApi, startWorker, type Proc } from "./helpers/processes.ts";
import { query, type Subscription } from "./helpers/clients.ts";
import { expectGapFree, monitorSse, monitorWs, schedule, type Update } from "./helpers/scenario.ts";
import { redisServerMissing, startRedisServer, unavailable, type RedisServer } from "./helpers/throwaway.ts";
import { CreatePlan, ExecutionDetails } from "./operations.ts";

const TASKS = 10;
const TASK_MS = 1200; // an execution lasts about 12 s
const EXECUTIONS = 5;
const OUTAGE_MS = 5000;
const skip = unavailable(redisServerMissing(), "the Redis fault test");

// A throwaway redis-server that the test kills (SIGKILL) for 5 s mid-run and starts again on the same
// port, under 2 API and 2 worker processes: no stream may lose, repeat or reorder an update, a monitor
// subscription started during the outage must replay and go on from the table, and no process may die.
describe.skipIf(!infra().available || skip !== null)("streams while Redis is down and restarted", () => {
  let redis: RedisServer;
  const apis: string[] = [];
  const procs: Proc[] = [];
  const workers: Proc[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { DATABASE_URL: await createTestDatabase(), REDIS_URL: redis.url, POLL_INTERVAL_MS: "500", MONITOR_IDLE_BACKFILL_MS: "1000" };
    const [a, b, ...ws] = await Promise.all([startApi(env), startApi(env), startWorker({ ...env, WORKER_CONCURRENCY: "4" }), startWorker({ ...env, WORKER_CONCURRENCY: "4" })]);
    apis.push(a.url, b.url);
    workers.push(...ws);
    procs.push(a.proc, b.proc, ...ws);
  }, 60_000);

  afterAll(async () => {
    const codes = await Promise.all(procs.map((p) => p.stop()));
    await redis?.stop();
    expect(codes, "every process shuts down cleanly on SIGTERM after the outage").toEqual(procs.map(() => 0));
  });

  it("delivers every update exactly once and in order to 50 subscribers across the outage", { timeout: 90_000 }, async () => {
    const { createPlan } = await query(apis[0]!, CreatePlan, {
      input: {
        name: "chain",
        tasks: Array.from({ length: TASKS }, (_, i) => ({ key: `t${i}`, handler: "sleep", input: { ms: TASK_MS }, dependsOn: i ? [`t${i - 1}`] : [] })),
      },
    });
    if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
    const executions = await Promise.all(Array.from({ length: EXECUTIONS }, () => schedule(apis[0]!, createPlan.id)));
    const subs: { sub: Subscription<{ monitor: Update }>; executionId: string; late: boolean }[] = [];
    // The first 40 watch the first four executions, 10 each, from both APIs, 3 of every 10 over SSE, the
    // rest over graphql-ws. The 10 that join during the outage watch the fifth, which no API subscribed to
    // yet (a first SUBSCRIBE for its channel cannot reach Redis: the stream must not wait for it).
    const subscribe = (i: number, late: boolean) => {
      const k = late ? i - 40 : Math.floor(i / 4);
      const url = apis[k % 2]!;
      const executionId = executions[late ? EXECUTIONS - 1 : i % (EXECUTIONS - 1)]!;
      subs.push({ sub: k % 3 === 2 ? monitorSse(url, executionId) : monitorWs(url, executionId), executionId, late });
    };
    try {
      for (let i = 0; i < 40; i++) subscribe(i, false);
      // Mid-run: every execution is past its first task.
      await Promise.all(subs.map(({ sub }) => sub.until((r) => r.some((u) => u.monitor.events[0]!.type === "TASK_COMPLETED"), 20_000)));
      const { execution: fifth } = await query(apis[0]!, ExecutionDetails, { id: executions[EXECUTIONS - 1]! });
      expect(fifth?.status).toBe("RUNNING");
      const before = subs.map(({ sub }) => sub.received.length);

      const downAt = Date.now();
      await redis.kill();
      // New subscriptions during the outage: the replay arrives at once, not when Redis returns.
      for (let i = 40; i < 50; i++) subscribe(i, true);
      await Promise.all(subs.filter((s) => s.late).map(({ sub }) => sub.until((r) => r.length >= 4, 3000)));
      await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - downAt)));
      // The table kept every stream going meanwhile (idle backfill): updates written during the outage arrived.
      subs.slice(0, 40).forEach(({ sub }, i) => expect(sub.received.length, `subscriber ${i} advanced during the outage`).toBeGreaterThan(before[i]!));
      expect(workers.some((w) => w.logs.some((l) => l.msg === "publish failed; subscribers will backfill")), "workers saw the outage").toBe(true);
      await redis.start();
      const upAt = Date.now();

      // Both APIs subscribe again by themselves: each running execution's channel has both of them.
      const probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      probe.on("error", () => undefined);
      try {
        let channels: string[] = [];
        let counts: number[] = [];
        while (Date.now() - upAt < 5000) {
          channels = (await probe.pubsub("CHANNELS", "*:executionUpdate:*")) as string[]; // <BUS_NAMESPACE>:executionUpdate:<id>
          counts = channels.length ? ((await probe.pubsub("NUMSUB", ...channels)) as (string | number)[]).filter((_, i) => i % 2 === 1).map(Number) : [];
          if (channels.length === EXECUTIONS && counts.every((n) => n === 2)) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect({ channels: channels.length, counts }, "every execution's channel re-subscribed by both APIs").toEqual({ channels: EXECUTIONS, counts: executions.map(() => 2) });
        console.info(`redis fault: APIs re-subscribed ${Date.now() - upAt} ms after Redis came back`);
      } finally {
        probe.disconnect();
      }

      await Promise.all(subs.map(({ sub }) => sub.done));
      console.info(`redis fault: streams completed ${Date.now() - upAt} ms after Redis came back (outage ${OUTAGE_MS} ms)`);
      const lastSeq = new Map<string, number>();
      for (const executionId of executions) {
        const { execution } = await query(apis[1]!, ExecutionDetails, { id: executionId });
        expect(execution?.status).toBe("COMPLETED");
        expect(execution!.tasks.map((t) => [t.status, t.attempt])).toEqual(execution!.tasks.map(() => ["COMPLETED", 1]));
        lastSeq.set(executionId, execution!.timeline.edges.at(-1)!.node.seq);
      }
      for (const { sub, executionId } of subs) {
        expectGapFree(sub.received);
        expect(sub.received.at(-1)!.monitor.seq).toBe(lastSeq.get(executionId));
        expect(sub.received.at(-1)!.monitor.status).toBe("COMPLETED");
      }
      expect(procs.map((p) => p.child.exitCode), "no process exited").toEqual(procs.map(() => null));
      expect(procs.flatMap((p) => p.logs.filter((l) => Number(l.level) >= 50)), "nothing logged as an error").toEqual([]);
    } finally {
      await Promise.all(subs.map(({ sub }) => sub.close()));
    }
  });
});
