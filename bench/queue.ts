import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { REDIS, freshDatabase, sleep } from "./db.ts";
import { track, stop } from "./procs.ts";
import { initialStats } from "../src/domain/progress.ts";
import { DEFAULT_RETRY_POLICY } from "../src/domain/retry.ts";
import type { ResourceRequirement } from "../src/domain/resources/requirements.ts";

// Shared by bench:scale, bench:resources and bench:peers: a queue of single-task executions drained by
// worker processes.

/** What the bench helpers need of a connection (a pg.Client, or a wrapper that counts). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

export interface TaskShape {
  /** Built-in handler name; default noop. */
  handler?: string;
  input?: unknown;
  resources?: readonly ResourceRequirement[];
}

/** N single-task executions, inserted in bulk (the bench measures the workers, not the API). */
export async function enqueue(db: Queryable, n: number, task: TaskShape = {}): Promise<void> {
  const handler = task.handler ?? "noop";
  const input = JSON.stringify(task.input ?? null);
  const resources = JSON.stringify(task.resources ?? []);
  const usesResources = (task.resources?.length ?? 0) > 0;
  const { rows: [plan] } = await db.query(`INSERT INTO "Plan" (id, name) VALUES (gen_random_uuid(), 'bench') RETURNING id`);
  await db.query(`INSERT INTO "PlanTask" (id, "planId", position, key, name, handler, input, "dependsOn", resources) VALUES (gen_random_uuid(), $1, 0, 'a', 'a', $2, $3::jsonb, '{}', $4::jsonb)`, [plan!.id, handler, input, resources]);
  const stats = JSON.stringify({ ...initialStats(1, new Date()), waiting: 0, ready: 1 });
  await db.query(
    `WITH e AS (INSERT INTO "Execution" (id, "planId", status, priority, params, stats, "usesResources")
                SELECT gen_random_uuid(), $1, 'PENDING', 'NORMAL', '{}', $3::jsonb, $5 FROM generate_series(1, $2) RETURNING id)
     INSERT INTO "TaskRun" (id, "executionId", position, key, name, handler, input, "dependsOn", priority, status, "readyAt", "retryPolicy", resources, "needsResources")
     SELECT gen_random_uuid(), e.id, 0, 'a', 'a', $7, $8::jsonb, '{}', 'NORMAL', 'READY', now(), $4::jsonb, $6::jsonb, $5 FROM e`,
    [plan!.id, n, stats, JSON.stringify(DEFAULT_RETRY_POLICY), usesResources, resources, handler, input],
  );
}

/** An engine worker process (src/engine/main.ts); up once `workerUp` says so. */
export function startWorker(databaseUrl: string, opts: { concurrency?: number; pollIntervalMs?: number; env?: Record<string, string> }): ChildProcess {
  // BENCH_CPU_PROF=<dir>: each worker writes a V8 CPU profile there as it exits (where a run's time goes).
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  return track(spawn(process.execPath, [...profile, "--import", "tsx", "src/engine/main.ts"], {
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: databaseUrl,
      REDIS_URL: REDIS,
      WORKER_CONCURRENCY: String(opts.concurrency ?? 8),
      LOG_LEVEL: "warn",
      POLL_INTERVAL_MS: String(opts.pollIntervalMs ?? 200),
      ...opts.env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  }));
}

/** Waits for the worker's row in the registry (written as it starts); returns its startedAt (the worker's clock). */
export async function workerUp(db: Queryable, child: ChildProcess, timeoutMs = 120_000): Promise<Date> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await sleep(20)) {
    const { rows: [row] } = await db.query(`SELECT "startedAt" FROM "Worker" WHERE pid = $1 AND "stoppedAt" IS NULL`, [child.pid]);
    if (row) return row.startedAt as Date;
    if (child.exitCode !== null) throw new Error(`engine worker exited with ${child.exitCode}`);
  }
  throw new Error(`engine worker ${child.pid} not up in ${timeoutMs} ms`);
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
  task?: TaskShape;
  pollIntervalMs?: number;
  setup?: (db: pg.Client) => Promise<void>;
}): Promise<number> {
  const databaseUrl = await freshDatabase(opts.database);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await opts.setup?.(db);
  // Workers first, queue second: the clock starts when the work appears.
  const children = Array.from({ length: opts.workers }, () => startWorker(databaseUrl, { concurrency: opts.concurrency, pollIntervalMs: opts.pollIntervalMs }));
  for (const child of children) await workerUp(db, child);
  await sleep(500); // the row is written before the worker LISTENs: boot time is not measured
  const started = performance.now();
  await enqueue(db, opts.executions, opts.task);
  for (;;) {
    const { rows: [r] } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Execution" WHERE status = 'COMPLETED'`);
    if (r!.n >= opts.executions) break;
    await sleep(50);
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(children.map((c) => stop(c)));
  await db.end();
  return seconds;
}

/** An engine API process (src/api/main.ts) on a free port; resolves once it listens, with its GraphQL URL. */
export async function startApi(databaseUrl: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = track(spawn(process.execPath, ["--import", "tsx", "src/api/main.ts"], {
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl, REDIS_URL: REDIS, PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  }));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.once("exit", (code) => reject(new Error(`engine API exited with ${code}`)));
    const read = (d: Buffer) => {
      buffer += d.toString();
      const m = /"url":"([^"]+)"/.exec(buffer);
      if (m) (child.stdout!.off("data", read), resolve(m[1]!));
    };
    child.stdout!.on("data", read);
  });
  child.stdout!.resume(); // its later log lines are not read
  return { child, url };
}
