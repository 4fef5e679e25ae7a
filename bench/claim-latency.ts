// `npm run bench:latency`: how long a ready task waits for an idle worker. One worker process, idle;
// single-task noop executions scheduled one at a time (each completes before the next is scheduled),
// at random moments within a poll interval. Latency = TASK_STARTED timestamp (worker clock) minus
// EXECUTION_SCHEDULED timestamp (this process's clock, taken as the scheduling transaction begins); both
// clocks are this machine's. Measured for (a) NOTIFY wake-ups and (b) polling only (WAKE_ON_NOTIFY=false)
// in the same run, with the same POLL_INTERVAL_MS. Not a test: no assertion.
import type { ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import pg from "pg";
import { REDIS, freshDatabase, sleep } from "./db.ts";
import { stop } from "./procs.ts";
import { percentile } from "./stats.ts";
import { startWorker, workerUp } from "./queue.ts";
import { loadConfig } from "../src/config/env.ts";
import { createRuntime, type Runtime } from "../src/bootstrap.ts";
import { createPlan } from "../src/services/plans.ts";
import { scheduleExecution } from "../src/services/executions.ts";

const N = Number(process.env.BENCH_LATENCY_EXECUTIONS ?? 100);
const WARMUP = 5;
const POLL_INTERVAL_MS = Number(process.env.BENCH_POLL_INTERVAL_MS ?? 1000);

interface Mode {
  name: string;
  wakeOnNotify: boolean;
}

async function startLatencyWorker(databaseUrl: string, mode: Mode, db: pg.Client): Promise<ChildProcess> {
  const child = startWorker(databaseUrl, { pollIntervalMs: POLL_INTERVAL_MS, env: { WAKE_ON_NOTIFY: String(mode.wakeOnNotify) } });
  await workerUp(db, child);
  await sleep(500); // the row is written before the worker LISTENs
  return child;
}

async function waitCompleted(db: pg.Client, executionId: string): Promise<void> {
  for (const until = Date.now() + 30_000; Date.now() < until; await sleep(5)) {
    const { rows } = await db.query<{ status: string }>(`SELECT status FROM "Execution" WHERE id = $1`, [executionId]);
    if (rows[0]?.status === "COMPLETED") return;
  }
  throw new Error(`execution ${executionId} did not complete in 30 s`);
}

async function latencyMs(db: pg.Client, executionId: string): Promise<number> {
  const { rows } = await db.query<{ type: string; timestamp: Date }>(
    `SELECT type, timestamp FROM "ExecutionEvent" WHERE "executionId" = $1 AND type IN ('EXECUTION_SCHEDULED', 'TASK_STARTED') ORDER BY seq`,
    [executionId],
  );
  const at = (type: string) => rows.find((r) => r.type === type)!.timestamp.getTime();
  return at("TASK_STARTED") - at("EXECUTION_SCHEDULED");
}

async function measure(runtime: Runtime, db: pg.Client, databaseUrl: string, planId: string, mode: Mode) {
  const worker = await startLatencyWorker(databaseUrl, mode, db);
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + N; i++) {
    // A random moment within the worker's poll cycle, so polling is not measured in phase with it.
    await sleep(Math.random() * POLL_INTERVAL_MS);
    const id = await scheduleExecution(runtime, { planId });
    await waitCompleted(db, id);
    if (i >= WARMUP) samples.push(await latencyMs(db, id));
  }
  await stop(worker);
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { mode: mode.name, n: samples.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), p99Ms: percentile(sorted, 99), meanMs: Math.round(mean * 10) / 10, maxMs: sorted.at(-1)! };
}

const databaseUrl = await freshDatabase("engine_bench_latency");
const runtime = await createRuntime(loadConfig({ DATABASE_URL: databaseUrl, REDIS_URL: REDIS, LOG_LEVEL: "warn" }), "bench");
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
const plan = await createPlan(runtime, { name: "latency", tasks: [{ key: "a", handler: "noop" }] });
const notify = await measure(runtime, db, databaseUrl, plan.id, { name: "NOTIFY", wakeOnNotify: true });
const polling = await measure(runtime, db, databaseUrl, plan.id, { name: "polling only", wakeOnNotify: false });
await db.end();
await runtime.close();

const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
const ratios = { p50: ratio(notify.p50Ms, polling.p50Ms), p95: ratio(notify.p95Ms, polling.p95Ms), p99: ratio(notify.p99Ms, polling.p99Ms), mean: ratio(notify.meanMs, polling.meanMs) };
console.log(`schedule → TASK_STARTED latency, one idle worker, POLL_INTERVAL_MS=${POLL_INTERVAL_MS}, ${N} executions per mode (ms)`);
console.table([notify, polling]);
console.log("NOTIFY / polling:", ratios);
await mkdir("bench/results", { recursive: true });
await writeFile(
  "bench/results/latency.json",
  `${JSON.stringify({ executionsPerMode: N, pollIntervalMs: POLL_INTERVAL_MS, cores: cpus().length, measuredAt: new Date().toISOString(), results: [notify, polling], ratiosNotifyToPolling: ratios }, null, 2)}\n`,
);
console.log("wrote bench/results/latency.json");
