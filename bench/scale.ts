// `npm run bench:scale`: single-task noop executions per second with 1, 2 and 4 worker processes on the
// same PostgreSQL, and each as a ratio to 1 worker measured in the same run. Not a test: no assertion.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import pg from "pg";
import { REDIS, freshDatabase } from "./db.ts";
import { initialStats } from "../src/domain/progress.ts";
import { DEFAULT_RETRY_POLICY } from "../src/domain/retry.ts";

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 1000);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? "1,2,4").split(",").map(Number);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

/** N single-task executions, inserted in bulk (the bench measures the workers, not the API). */
async function enqueue(db: pg.Client, n: number): Promise<void> {
  const { rows: [plan] } = await db.query<{ id: string }>(`INSERT INTO "Plan" (id, name) VALUES (gen_random_uuid(), 'bench') RETURNING id`);
  await db.query(`INSERT INTO "PlanTask" (id, "planId", position, key, name, handler, input, "dependsOn") VALUES (gen_random_uuid(), $1, 0, 'a', 'a', 'noop', 'null', '{}')`, [plan!.id]);
  const stats = JSON.stringify({ ...initialStats(1, new Date()), waiting: 0, ready: 1 });
  await db.query(
    `WITH e AS (INSERT INTO "Execution" (id, "planId", status, priority, params, stats)
                SELECT gen_random_uuid(), $1, 'PENDING', 'NORMAL', '{}', $3::jsonb FROM generate_series(1, $2) RETURNING id)
     INSERT INTO "TaskRun" (id, "executionId", position, key, name, handler, input, "dependsOn", priority, status, "readyAt", "retryPolicy")
     SELECT gen_random_uuid(), e.id, 0, 'a', 'a', 'noop', 'null', '{}', 'NORMAL', 'READY', now(), $4::jsonb FROM e`,
    [plan!.id, n, stats, JSON.stringify(DEFAULT_RETRY_POLICY)],
  );
}

function startWorker(databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/engine/main.ts"], {
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl, REDIS_URL: REDIS, WORKER_CONCURRENCY: String(CONCURRENCY), LOG_LEVEL: "warn", POLL_INTERVAL_MS: "200" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return new Promise((resolve) => setTimeout(() => resolve(child), 1500)); // boot time is not measured
}

async function run(workers: number): Promise<{ workers: number; seconds: number; executionsPerSecond: number }> {
  const databaseUrl = await freshDatabase(`engine_bench_${workers}`);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  // Workers first, queue second: the clock starts when the work appears.
  const children = await Promise.all(Array.from({ length: workers }, () => startWorker(databaseUrl)));
  const started = performance.now();
  await enqueue(db, EXECUTIONS);
  for (;;) {
    const { rows: [r] } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Execution" WHERE status = 'COMPLETED'`);
    if (r!.n >= EXECUTIONS) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(children.map((c) => new Promise((res) => (c.once("exit", res), c.kill("SIGTERM")))));
  await db.end();
  return { workers, seconds: Math.round(seconds * 100) / 100, executionsPerSecond: Math.round(EXECUTIONS / seconds) };
}

const results = [];
for (const workers of WORKER_COUNTS) results.push(await run(workers));
const baseline = results[0]!.executionsPerSecond;
const table = results.map((r) => ({ ...r, ratioTo1Worker: Math.round((r.executionsPerSecond / baseline) * 100) / 100 }));
console.table(table);
await mkdir("bench/results", { recursive: true });
await writeFile("bench/results/scale.json", `${JSON.stringify({ executions: EXECUTIONS, concurrencyPerWorker: CONCURRENCY, cores: (await import("node:os")).cpus().length, results: table }, null, 2)}\n`);
console.log("wrote bench/results/scale.json");
