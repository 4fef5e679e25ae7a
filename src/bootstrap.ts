import path from "node:path";
import type { Config } from "./config/env.ts";
import { connectPostgres, migratePostgres, openPglite, type Db } from "./infra/db.ts";
import { createLogger } from "./infra/logger.ts";
import { createMemoryBus, createRedisBus } from "./infra/pubsub.ts";
import { HandlerRegistry } from "./engine/handlers/registry.ts";
import { createHttpPool } from "./engine/handlers/http-pool.ts";
import type { Services } from "./services/context.ts";
import type { WorkerOptions } from "./engine/worker.ts";

export interface Runtime extends Services {
  close(): Promise<void>;
}

/** Builds the resources object: PostgreSQL + Redis when configured, else PGlite + the in-process bus. */
export async function createRuntime(config: Config, name: string, opts: { migrate?: boolean } = {}): Promise<Runtime> {
  const log = createLogger(config.LOG_LEVEL, name);
  let db: Db;
  if (config.DATABASE_URL) {
    if (opts.migrate) await migratePostgres(config.DATABASE_URL);
    db = connectPostgres({ url: config.DATABASE_URL, log });
  } else {
    const dir = path.join(config.DATA_DIR, "pglite");
    log.info({ dir }, "embedded mode: PGlite and an in-process bus");
    db = await openPglite(dir);
  }
  const bus = config.REDIS_URL ? createRedisBus(config.REDIS_URL, log) : createMemoryBus();
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

export const workerOptions = (config: Config): WorkerOptions => ({
  concurrency: config.WORKER_CONCURRENCY,
  pollIntervalMs: config.POLL_INTERVAL_MS,
  leaseMs: config.LEASE_MS,
  agingStepMs: config.AGING_STEP_MS,
  wakeOnNotify: config.WAKE_ON_NOTIFY,
  metricTickMs: config.METRIC_TICK_MS,
  metricRetentionMs: config.METRIC_RETENTION_MS,
});

/** Runs stop() once on SIGTERM/SIGINT, then exits; a second signal exits at once. */
export function onShutdown(log: Services["log"], stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, "shutting down");
    stop().then(
      () => process.exit(0),
      (err: Error) => {
        log.error({ err: err.message }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
