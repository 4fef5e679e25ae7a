import { REDIS, freshDatabase, sleep, withClient } from "../db.ts";
import { stop } from "../procs.ts";
import { drain, enqueue, startWorker, workerUp, type Queryable } from "../queue.ts";
import { round } from "../stats.ts";
import { loadConfig } from "../../src/config/env.ts";
import { createRuntime, type Runtime } from "../../src/bootstrap.ts";
import { DEFAULT_RETRY_POLICY } from "../../src/domain/retry.ts";
import { createPlan } from "../../src/services/plans.ts";
import { scheduleExecution } from "../../src/services/executions.ts";
import { measureCost, type CostResult } from "./cost.ts";
import { SETTLE_MS, drainResult, onDatabase, type System } from "./system.ts";

// The engine in bench:peers: one worker process (src/engine/main.ts) per run, on a fresh database.
// Queues are filled in bulk (bench/queue.ts enqueue); probes, chains and DAGs go through
// scheduleExecution. Times are the worker's: Worker.startedAt, event and completion timestamps.

export interface EngineOptions {
  concurrency: number;
  pollIntervalMs: number;
}

export interface WideResult {
  width: number;
  tasks: number;
  completed: number;
  seconds: number;
  tasksPerSecond: number;
  capped: boolean;
}

export interface ScaleResult {
  workers: number;
  executions: number;
  seconds: number;
  perSecond: number;
}

const COMPLETED_EXECUTIONS = `SELECT count(*)::int AS n, max("completedAt") AS last FROM "Execution" WHERE status = 'COMPLETED'`;
const COMPLETED_RUNS = `SELECT count(*)::int AS n, max("finishedAt") AS last FROM "TaskRun" WHERE status = 'COMPLETED'`;

/** Polls `countSql` (n, last) until n ≥ target or capS seconds have passed. */
async function progress(db: Queryable, countSql: string, target: number, capS: number) {
  for (const deadline = Date.now() + capS * 1000; ; await sleep(250)) {
    const { rows: [r] } = await db.query(countSql);
    const n = r!.n as number;
    const last = (r!.last as Date | null)?.getTime() ?? null;
    if (n >= target || Date.now() >= deadline) return { n, last, capped: n < target };
  }
}

/**
 * The timestamp of the execution's first `type` event: heard on the bus (the update the worker publishes
 * after commit), or read from the event table (before the subscription, or should a message be lost).
 */
async function eventAt(runtime: Runtime, db: Queryable, executionId: string, type: string, timeoutMs = 600_000): Promise<number> {
  let heard: (at: number) => void = () => {};
  const onBus = new Promise<number>((res) => (heard = res));
  const unsubscribe = await runtime.bus.subscribe("executionUpdate", executionId, (u) => {
    if (u.event.type === type) heard(u.event.timestamp.getTime());
  });
  try {
    for (const until = Date.now() + timeoutMs; Date.now() < until; ) {
      const { rows: [r] } = await db.query(`SELECT timestamp FROM "ExecutionEvent" WHERE "executionId" = $1 AND type = $2 ORDER BY seq LIMIT 1`, [executionId, type]);
      if (r) return (r.timestamp as Date).getTime();
      const at = await Promise.race([onBus, sleep(50).then(() => null)]);
      if (at !== null) return at;
    }
    throw new Error(`no ${type} for execution ${executionId} within ${timeoutMs} ms`);
  } finally {
    await unsubscribe();
  }
}

/** `fn` with a fresh database, a runtime on it (for createPlan / scheduleExecution) and a polling connection. */
function onEngine<T>(label: string, fn: (env: { url: string; name: string; runtime: Runtime; db: Queryable }) => Promise<T>): Promise<T> {
  return onDatabase(`bench_peers_engine_${label}`, async (name) => {
    const url = await freshDatabase(name);
    const runtime = await createRuntime(loadConfig({ DATABASE_URL: url, REDIS_URL: REDIS, LOG_LEVEL: "warn" }), "bench-peers");
    try {
      return await withClient(url, (db) => fn({ url, name, runtime, db }));
    } finally {
      await runtime.close();
    }
  });
}

/** Plan rows written directly (the rows createPlan writes, without 5,000 tasks of GraphQL input): a root, `width` children of it and a sink after all of them. */
async function insertWidePlan(db: Queryable, width: number): Promise<string> {
  const policy = JSON.stringify(DEFAULT_RETRY_POLICY);
  const { rows: [plan] } = await db.query(`INSERT INTO "Plan" (id, name, "retryPolicy") VALUES (gen_random_uuid(), 'wide', $1::jsonb) RETURNING id`, [policy]);
  await db.query(
    `INSERT INTO "PlanTask" (id, "planId", position, key, name, handler, input, "dependsOn", "retryPolicy")
     SELECT gen_random_uuid(), $1, t.position, t.key, t.key, 'noop', 'null', t.deps, $3::jsonb FROM (
       SELECT 0 AS position, 'root' AS key, '{}'::text[] AS deps
       UNION ALL SELECT i, 'c' || i, ARRAY['root'] FROM generate_series(1, $2::int) i
       UNION ALL SELECT $2::int + 1, 'sink', ARRAY(SELECT 'c' || i FROM generate_series(1, $2::int) i)) t`,
    [plan!.id, width, policy],
  );
  return plan!.id as string;
}

export function engineSystem(opts: EngineOptions) {
  const worker = (url: string) => startWorker(url, opts);

  /** Runs `fn` with one worker up on `url`; `fn` gets its start time (the worker's clock). */
  async function withWorker<T>(url: string, db: Queryable, fn: (upAt: number) => Promise<T>): Promise<T> {
    const child = worker(url);
    try {
      return await fn((await workerUp(db, child)).getTime());
    } finally {
      await stop(child);
    }
  }

  const system: System = {
    name: "engine",

    drain: (jobs, capS) =>
      onEngine("drain", async ({ url, db }) => {
        await enqueue(db, jobs);
        return withWorker(url, db, async (upAt) => {
          const { n, last, capped } = await progress(db, COMPLETED_EXECUTIONS, jobs, capS);
          return drainResult("engine", jobs, n, (last ?? upAt) - upAt, capped);
        });
      }),

    withProbes: (fn) =>
      onEngine("probes", async ({ url, runtime, db }) => {
        const plan = await createPlan(runtime, { name: "probe", tasks: [{ key: "a", handler: "noop" }] });
        const ids = new Map<string, string>();
        return withWorker(url, db, () =>
          fn({
            add: async (tag) => void ids.set(tag, await scheduleExecution(runtime, { planId: plan.id })),
            started: (tag) => eventAt(runtime, db, ids.get(tag)!, "TASK_STARTED"),
            completed: async (tag) => void (await eventAt(runtime, db, ids.get(tag)!, "EXECUTION_COMPLETED")),
          }),
        );
      }),

    chain: (length) =>
      onEngine("chain", async ({ url, runtime, db }) => {
        const tasks = Array.from({ length }, (_, i) => ({ key: `t${i}`, handler: "noop", dependsOn: i ? [`t${i - 1}`] : [] }));
        const plan = await createPlan(runtime, { name: "chain", tasks });
        return withWorker(url, db, async () => {
          await sleep(SETTLE_MS);
          const id = await scheduleExecution(runtime, { planId: plan.id });
          await eventAt(runtime, db, id, "EXECUTION_COMPLETED");
          const { rows } = await db.query(`SELECT position, "startedAt" FROM "TaskRun" WHERE "executionId" = $1 AND position IN (0, $2) ORDER BY position`, [id, length - 1]);
          const [first, last] = rows.map((r) => (r.startedAt as Date).getTime());
          return { system: "engine", length, msPerHop: round((last! - first!) / (length - 1), 2) };
        });
      }),
  };

  return {
    ...system,

    /** (d) One execution of 1 + width + 1 noop tasks, scheduled before the worker starts. */
    wide: (width: number, capS: number): Promise<WideResult> =>
      onEngine("wide", async ({ url, runtime, db }) => {
        const planId = await insertWidePlan(db, width);
        await scheduleExecution(runtime, { planId });
        const tasks = width + 2;
        return withWorker(url, db, async (upAt) => {
          const { n, last, capped } = await progress(db, COMPLETED_RUNS, tasks, capS);
          const seconds = Math.max((last ?? upAt) - upAt, 1) / 1000;
          return { width, tasks, completed: n, seconds: round(seconds, 2), tasksPerSecond: round(n / seconds), capped };
        });
      }),

    /** (e) `workers` processes draining executions of one 20 ms sleep task (bench/queue.ts drain: workers first, then the queue). */
    scale: (workers: number, executions: number): Promise<ScaleResult> =>
      onDatabase("bench_peers_engine_scale", async (database) => {
        const seconds = await drain({ database, workers, executions, concurrency: opts.concurrency, pollIntervalMs: opts.pollIntervalMs, task: { handler: "sleep", input: { ms: 20 } } });
        return { workers, executions, seconds: round(seconds, 2), perSecond: round(executions / seconds) };
      }),

    /** (f) One worker draining `executions` single-noop executions through the wire counter. */
    cost: (executions: number): Promise<CostResult> =>
      onDatabase("bench_peers_engine_cost", async (name) => {
        const url = await freshDatabase(name);
        await withClient(url, (db) => enqueue(db, executions));
        return measureCost("engine", name, executions, (proxied, window) =>
          withClient(url, async (client) => {
            let own = 0;
            const db: Queryable = { query: (text, values) => ((own += 1), client.query(text, values)) };
            const child = worker(proxied);
            try {
              await workerUp(db, child);
              window.begin();
              await progress(db, COMPLETED_EXECUTIONS, executions, Infinity);
              window.end();
            } finally {
              await stop(child);
            }
            return own;
          }),
        );
      }),
  };
}
