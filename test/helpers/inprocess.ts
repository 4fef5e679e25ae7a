import { fileURLToPath } from "node:url";
import pg from "pg";
import { buildApp, type App } from "../../src/api/app.ts";
import type { ApiLimits } from "../../src/api/limits.ts";
import { connectPostgres, openPglite, type Db } from "../../src/infra/db.ts";
import type { DestinationStream } from "pino";
import { createLogger } from "../../src/infra/logger.ts";
import { createMemoryBus, createRedisBus, databaseNamespace } from "../../src/infra/pubsub.ts";
import type { Sql } from "../../src/infra/sql.ts";
import { HandlerRegistry } from "../../src/engine/handlers/registry.ts";
import { createHttpPool } from "../../src/engine/handlers/http-pool.ts";
import { Worker, type WorkerServices } from "../../src/engine/worker.ts";
import { createTestDatabase, infra, releaseTestDatabase } from "./infra.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface InProcess {
  url: string;
  /** The API's services (the worker has its own connections, as in a deployment). */
  services: WorkerServices;
  worker: Worker;
  /**
   * SQL statements the API sent so far (on PostgreSQL every statement of its pool, Prisma's too; embedded,
   * those sent through db.sql), apart from the worker's: a request's cost never counts background work.
   */
  apiStatements(): number;
  /** SQL statements the worker sent so far (sweeps, claims, heartbeats, runs). */
  workerStatements(): number;
  /** Closes the database (and the pools) under the running app and worker: a real outage; stop() then leaves it. */
  closeDatabase(): Promise<void>;
  stop(): Promise<void>;
}

export interface InProcessOptions {
  /** The embedded default: in-memory PGlite and the in-process bus instead of PostgreSQL and Redis. */
  embedded?: boolean;
  concurrency?: number;
  startWorker?: boolean;
  agingStepMs?: number;
  pollIntervalMs?: number;
  /** HANDLER_MODULES spec, relative to the repo root */
  handlerModules?: string;
  limits?: Partial<ApiLimits>;
  /** Where the log goes (default stdout, level warn): a test reads what the engine logged. */
  logDestination?: DestinationStream;
  /** Sees every statement the API and the worker send through db.sql (the engine's own SQL, not Prisma's), with its parameters. */
  onStatement?: (text: string, params?: unknown[]) => void;
}

const MODES = [
  { mode: "postgres+redis", embedded: false },
  { mode: "embedded", embedded: true },
] as const;

/**
 * The modes to run a capability's tests in, `describe.each(modes())`: the embedded default always, and
 * PostgreSQL + Redis when reachable (the global setup says when they are skipped; CI requires them).
 */
export const modes = () => MODES.filter((m) => m.embedded || infra().available);

/**
 * API and worker inside the test process, on a fresh PostgreSQL database and the real Redis (or, with
 * `embedded`, on an in-memory PGlite and the in-process bus), counting the statements the API and the
 * worker send, apart (to prove the absence of N+1 queries and of busy loops). The transaction guard is on.
 * stop() drops the database.
 */
export async function startInProcess(opts: InProcessOptions = {}): Promise<InProcess> {
  const count = { api: 0, worker: 0 };
  const log = createLogger("warn", "test", opts.logDestination);
  const observing = (db: Db, who: keyof typeof count) => observeSql(db, (text, params) => (count[who] += 1, opts.onStatement?.(text, params)));
  let apiDb: Db;
  let workerDb: Db;
  const pools: pg.Pool[] = [];
  let dbUrl: string | undefined;
  if (opts.embedded) {
    const db = await openPglite(undefined, { txGuard: true });
    apiDb = observing(db, "api");
    workerDb = observing(db, "worker");
  } else {
    const url = (dbUrl = await createTestDatabase());
    const connect = (who: keyof typeof count) => {
      class CountingClient extends pg.Client {
        override query(...args: unknown[]): never {
          count[who] += 1;
          return (super.query as (...a: unknown[]) => never)(...args);
        }
      }
      const pool = new pg.Pool({ connectionString: url, Client: CountingClient, max: 5 });
      pools.push(pool);
      const db = connectPostgres({ url, log, pool, txGuard: true });
      return opts.onStatement ? observeSql(db, opts.onStatement) : db;
    };
    apiDb = connect("api");
    workerDb = connect("worker");
  }
  const handlers = await HandlerRegistry.create(opts.handlerModules ?? "", ROOT, { httpPool: createHttpPool(workerDb.sql) });
  const bus = opts.embedded ? createMemoryBus(log) : createRedisBus(infra().redisUrl, log, await databaseNamespace(apiDb.sql));
  const services: WorkerServices = { db: apiDb, bus, log, handlers, clock: () => new Date() };
  const leaseMs = 30_000;
  const worker = new Worker({ ...services, db: workerDb }, { concurrency: opts.concurrency ?? 4, pollIntervalMs: opts.pollIntervalMs ?? 200, leaseMs, agingStepMs: opts.agingStepMs ?? 60_000 });
  const app: App = buildApp(services, { monitorBufferSize: 64, monitorIdleBackfillMs: 1000, leaseMs, agingStepMs: opts.agingStepMs ?? 60_000, limits: opts.limits });
  if (opts.startWorker !== false) await worker.start();
  const { url: graphqlUrl } = await app.start(0, "127.0.0.1");
  let dbOpen = true;
  const closeDatabase = async () => {
    if (!dbOpen) return;
    dbOpen = false;
    await apiDb.close();
    if (!opts.embedded) await workerDb.close(); // embedded, both are the same PGlite
    await Promise.all(pools.map((p) => p.end()));
  };
  return {
    url: graphqlUrl,
    services,
    worker,
    apiStatements: () => count.api,
    workerStatements: () => count.worker,
    closeDatabase,
    async stop() {
      try {
        await app.stop();
        await worker.stop(AbortSignal.timeout(1000));
        await bus.close();
        await closeDatabase();
      } finally {
        if (dbUrl) await releaseTestDatabase(dbUrl);
      }
    },
  };
}

/** db with every statement sent through db.sql observed (PGlite has no client class to subclass). */
function observeSql(db: Db, observe: (text: string, params?: unknown[]) => void): Db {
  const { query, tx } = db.sql;
  const sql: Sql = {
    query: (text, params) => (observe(text, params), query(text, params)),
    tx: (fn) => tx((c) => fn({ query: (text, params) => (observe(text, params), c.query(text, params)) })),
  };
  return { ...db, sql };
}
