import path from "node:path";
import { ConfigError, loadConfig, type Config, type Role } from "./config/env.ts";
import { connectPostgres, migratePostgres, openPglite, type Db } from "./infra/db.ts";
import { createLogger } from "./infra/logger.ts";
import { shutdown, type Closable } from "./infra/shutdown.ts";
import { trace } from "./infra/trace.ts";
import { createMemoryBus, createRedisBus, databaseNamespace } from "./infra/pubsub.ts";
import { HandlerRegistry } from "./engine/handlers/registry.ts";
import { createHttpPool } from "./engine/handlers/http-pool.ts";
import type { Services } from "./services/context.ts";
import type { WorkerOptions, WorkerServices } from "./engine/worker.ts";

export interface Runtime extends WorkerServices {
  close(): Promise<void>;
}

/**
 * The configuration of an entry point, or exit 1 with one line per bad variable on stderr (no stack
 * trace: the logger's level is itself configuration, so there is no logger yet).
 */
export function loadConfigOrExit(role: Role): Config {
  try {
    return loadConfig(process.env, role);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.lines) process.stderr.write(`invalid configuration: ${line}\n`);
    process.exit(1);
  }
}

/** Builds the resources object: PostgreSQL + Redis when configured, else PGlite + the in-process bus. */
export async function createRuntime(config: Config, name: string, opts: { migrate?: boolean } = {}): Promise<Runtime> {
  const log = createLogger(config.LOG_LEVEL, name);
  trace.on = config.MONITOR_TRACE;
  let db: Db;
  if (config.DATABASE_URL) {
    if (opts.migrate) await migratePostgres(config.DATABASE_URL);
    db = connectPostgres({ url: config.DATABASE_URL, log, txGuard: config.TX_GUARD });
  } else {
    const dir = path.join(config.DATA_DIR, "pglite");
    log.info({ dir }, "embedded mode: PGlite and an in-process bus");
    db = await openPglite(dir, { txGuard: config.TX_GUARD });
  }
  const bus = config.REDIS_URL ? await redisBus(config.REDIS_URL, config.BUS_NAMESPACE, db, log) : createMemoryBus(log);
  return {
    db,
    bus,
    log,
    handlers: await HandlerRegistry.create(config.HANDLER_MODULES, undefined, { httpPool: createHttpPool(db.sql) }),
    clock: () => new Date(),
    async close() {
      await bus.close();
      await db.close();
    },
  };
}

/** The Redis bus under BUS_NAMESPACE, or by default under the namespace of this database. */
async function redisBus(url: string, configured: string | undefined, db: Db, log: Services["log"]) {
  const namespace = configured ?? (await databaseNamespace(db.sql));
  log.info({ namespace }, "redis channels prefixed with the bus namespace");
  return createRedisBus(url, log, namespace);
}

export const workerOptions = (config: Config): WorkerOptions => ({
  concurrency: config.WORKER_CONCURRENCY,
  pollIntervalMs: config.POLL_INTERVAL_MS,
  leaseMs: config.LEASE_MS,
  agingStepMs: config.AGING_STEP_MS,
  wakeOnNotify: config.WAKE_ON_NOTIFY,
  metricTickMs: config.METRIC_TICK_MS,
  metricRetentionMs: config.METRIC_RETENTION_MS,
  retentionMs: config.EXECUTION_RETENTION_MS ?? null,
  retentionBatch: config.RETENTION_BATCH,
});

/** The database and the bus, closed last. */
export const runtimePart = (runtime: Runtime): Closable => ({ name: "database and bus", stop: () => runtime.close() });

/**
 * On SIGTERM/SIGINT stops the stages once, within graceMs (src/infra/shutdown.ts), then exits: 0 when
 * everything stopped in time, 1 otherwise. A second signal exits at once.
 */
export function onShutdown(log: Services["log"], graceMs: number, stages: readonly (readonly Closable[])[]): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal, graceMs }, "shutting down");
    void shutdown(log, graceMs, stages).then((code) => process.exit(code));
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
