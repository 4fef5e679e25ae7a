import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { migratePostgres } from "../src/infra/db.ts";
import { infra } from "./helpers/infra.ts";
import { startApi, startWorker, type Proc } from "./helpers/processes.ts";
import { query, type Subscription } from "./helpers/clients.ts";
import { expectGapFree, monitorSse, monitorWs, schedule, type Update } from "./helpers/scenario.ts";
import { postgresClusterMissing, startPostgresCluster, unavailable, type PostgresCluster } from "./helpers/throwaway.ts";
import { CreatePlan, ExecutionDetails } from "./operations.ts";

const TASKS = 6;
const TASK_MS = 1000;
const DOWN_MS = 2500; // longer than a task: at least one run ends while PostgreSQL is down
const POLL_INTERVAL_MS = 5000; // long, so a worker that stopped listening would be seen to wait for its poll
const skip = unavailable(postgresClusterMissing(), "the PostgreSQL fault test");

// A throwaway PostgreSQL cluster that the test stops (pg_ctl stop -m fast: every connection is terminated)
// mid-run and starts again after 2.5 s, under an API and a worker process: the run completes with no
// lost attempt, monitor streams complete without gap, the worker LISTENs again, and no process dies.
describe.skipIf(!infra().available || skip !== null)("streams and runs while PostgreSQL restarts", () => {
  let cluster: PostgresCluster;
  let url: string;
  let worker: Proc;
  const procs: Proc[] = [];

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    const admin = new pg.Client({ connectionString: cluster.url("postgres") });
    await admin.connect();
    await admin.query("CREATE DATABASE engine");
    await admin.end();
    const databaseUrl = cluster.url("engine");
    await migratePostgres(databaseUrl);
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: infra().redisUrl, POLL_INTERVAL_MS: String(POLL_INTERVAL_MS), MONITOR_IDLE_BACKFILL_MS: "500" };
    const [api, w] = await Promise.all([startApi(env), startWorker({ ...env, WORKER_CONCURRENCY: "4" })]);
    url = api.url;
    worker = w;
    procs.push(api.proc, w);
  }, 60_000);

  afterAll(async () => {
    const codes = await Promise.all(procs.map((p) => p.stop()));
    await cluster?.destroy();
    expect(codes, "every process shuts down cleanly on SIGTERM after the restart").toEqual(procs.map(() => 0));
  });

  it("completes the run and every stream across a restart", { timeout: 60_000 }, async () => {
    const { createPlan } = await query(url, CreatePlan, {
      input: {
        name: "chain",
        tasks: Array.from({ length: TASKS }, (_, i) => ({ key: `t${i}`, handler: "sleep", input: { ms: TASK_MS }, dependsOn: i ? [`t${i - 1}`] : [] })),
      },
    });
    if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
    const executionId = await schedule(url, createPlan.id);
    const subs: Subscription<{ monitor: Update }>[] = [monitorWs(url, executionId), monitorWs(url, executionId), monitorSse(url, executionId)];
    try {
      await subs[0]!.until((r) => r.some((u) => u.monitor.events[0]!.type === "TASK_STARTED" && u.monitor.events[0]!.taskKey === "t1"), 20_000);
      const downAt = Date.now();
      await cluster.stop();
      // Subscribing while the database is down: the stream waits for it instead of failing.
      subs.push(monitorWs(url, executionId), monitorSse(url, executionId));
      await new Promise((r) => setTimeout(r, DOWN_MS - (Date.now() - downAt)));
      expect(await fetch(url.replace(/graphql$/, "readyz")).then((r) => r.status), "readyz while PostgreSQL is down").toBe(503);
      await cluster.start();
      const upAt = Date.now();

      await Promise.all(subs.map((s) => s.done));
      console.info(`postgres fault: down ${upAt - downAt} ms; streams completed ${Date.now() - upAt} ms after it came back`);
      const { execution } = await query(url, ExecutionDetails, { id: executionId });
      expect(execution?.status).toBe("COMPLETED");
      // The end of the run that finished during the outage was recorded once PostgreSQL was back, under
      // the same lease: no attempt was lost to a lease expiry.
      expect(execution!.tasks.map((t) => [t.key, t.status, t.attempt])).toEqual(execution!.tasks.map((t) => [t.key, "COMPLETED", 1]));
      const lastSeq = execution!.timeline.edges.at(-1)!.node.seq;
      for (const sub of subs) {
        expectGapFree(sub.received);
        expect(sub.received.at(-1)!.monitor).toMatchObject({ seq: lastSeq, status: "COMPLETED" });
      }

      // The worker LISTENs again: new work wakes it at once, not at its next poll.
      await worker.waitFor((l) => l.msg === "listen connection restored" && l.channel === "task_ready", 10_000);
      const { createPlan: quick } = await query(url, CreatePlan, { input: { name: "quick", tasks: [{ key: "n", handler: "noop" }] } });
      if (quick.__typename !== "Plan") throw new Error(JSON.stringify(quick));
      const scheduledAt = Date.now();
      const next = await schedule(url, quick.id);
      await monitorWs(url, next).done;
      const latency = Date.now() - scheduledAt;
      console.info(`postgres fault: a new execution completed ${latency} ms after scheduling (poll interval ${POLL_INTERVAL_MS} ms)`);
      expect(latency).toBeLessThan(POLL_INTERVAL_MS / 2);

      expect(procs.map((p) => p.child.exitCode), "no process exited").toEqual(procs.map(() => null));
    } finally {
      await Promise.all(subs.map((s) => s.close()));
    }
  });
});
