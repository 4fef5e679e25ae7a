import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { REDIS, freshDatabase } from "./db.ts";
import { initialStats } from "../src/domain/progress.ts";
import { DEFAULT_RETRY_POLICY } from "../src/domain/retry.ts";
import type { ResourceRequirement } from "../src/domain/resources/requirements.ts";

// Shared by bench:scale and bench:resources: a queue of single-task noop executions drained by worker processes.

/** N single-task executions, inserted in bulk (the bench measures the workers, not the API). */
async function enqueue(db: pg.Client, n: number, resources: readonly ResourceRequirement[]): Promise<void> {
  const { rows: [plan] } = await db.query<{ id: string }>(`INSERT INTO "Plan" (id, name) VALUES (gen_random_uuid(), 'bench') RETURNING id`);
  await db.query(`INSERT INTO "PlanTask" (id, "planId", position, key, name, handler, input, "dependsOn", resources) VALUES (gen_random_uuid(), $1, 0, 'a', 'a', 'noop', 'null', '{}', $2::jsonb)`, [plan!.id, JSON.stringify(resources)]);
  const stats = JSON.stringify({ ...initialStats(1, new Date()), waiting: 0, ready: 1 });
  await db.query(
    `WITH e AS (INSERT INTO "Execution" (id, "planId", status, priority, params, stats, "usesResources")
                SELECT gen_random_uuid(), $1, 'PENDING', 'NORMAL', '{}', $3::jsonb, $5 FROM generate_series(1, $2) RETURNING id)
     INSERT INTO "TaskRun" (id, "executionId", position, key, name, handler, input, "dependsOn", priority, status, "readyAt", "retryPolicy", resources, "needsResources")
     SELECT gen_random_uuid(), e.id, 0, 'a', 'a', 'noop', 'null', '{}', 'NORMAL', 'READY', now(), $4::jsonb, $6::jsonb, $5 FROM e`,
    [plan!.id, n, stats, JSON.stringify(DEFAULT_RETRY_POLICY), resources.length > 0, JSON.stringify(resources)],
  );
}

function startWorker(databaseUrl: string, concurrency: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/engine/main.ts"], {
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl, REDIS_URL: REDIS, WORKER_CONCURRENCY: String(concurrency), LOG_LEVEL: "warn", POLL_INTERVAL_MS: "200" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return new Promise((resolve) => setTimeout(() => resolve(child), 1500)); // boot time is not measured
}

/**
 * Seconds for `workers` processes to complete `executions` executions on a fresh database; `setup`
 * runs on it first (e.g. to create resource pools).
 */
export async function drain(opts: {
  database: string;
  workers: number;
  concurrency: number;
  executions: number;
  resources?: readonly ResourceRequirement[];
  setup?: (db: pg.Client) => Promise<void>;
}): Promise<number> {
  const databaseUrl = await freshDatabase(opts.database);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await opts.setup?.(db);
  // Workers first, queue second: the clock starts when the work appears.
  const children = await Promise.all(Array.from({ length: opts.workers }, () => startWorker(databaseUrl, opts.concurrency)));
  const started = performance.now();
  await enqueue(db, opts.executions, opts.resources ?? []);
  for (;;) {
    const { rows: [r] } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Execution" WHERE status = 'COMPLETED'`);
    if (r!.n >= opts.executions) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(children.map((c) => new Promise((res) => (c.once("exit", res), c.kill("SIGTERM")))));
  await db.end();
  return seconds;
}
