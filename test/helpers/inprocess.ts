import { fileURLToPath } from "node:url";
import pg from "pg";
import { buildApp, type App } from "../../src/api/app.ts";
import type { ApiLimits } from "../../src/api/limits.ts";
import { connectPostgres } from "../../src/infra/db.ts";
import { createLogger } from "../../src/infra/logger.ts";
import { createRedisBus } from "../../src/infra/pubsub.ts";
import { HandlerRegistry } from "../../src/engine/handlers/registry.ts";
import { createHttpPool } from "../../src/engine/handlers/http-pool.ts";
import { Worker } from "../../src/engine/worker.ts";
import type { Services } from "../../src/services/context.ts";
import { createTestDatabase, infra } from "./infra.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface InProcess {
  url: string;
  services: Services;
  worker: Worker;
  /** SQL statements sent to PostgreSQL so far, by every connection of the pool. */
  statements(): number;
  stop(): Promise<void>;
}

/**
 * API and worker inside the test process, on a fresh PostgreSQL database and the real Redis, with a
 * pool whose clients count the statements they send (to prove the absence of N+1 queries).
 */
export async function startInProcess(
  opts: { concurrency?: number; startWorker?: boolean; agingStepMs?: number; /** HANDLER_MODULES spec, relative to the repo root */ handlerModules?: string; limits?: Partial<ApiLimits> } = {},
): Promise<InProcess> {
  let count = 0;
  class CountingClient extends pg.Client {
    override query(...args: unknown[]): never {
      count += 1;
      return (super.query as (...a: unknown[]) => never)(...args);
    }
  }
  const url = await createTestDatabase();
  const log = createLogger("warn", "test");
  const pool = new pg.Pool({ connectionString: url, Client: CountingClient, max: 5 });
  const db = connectPostgres({ url, log, pool });
  const handlers = await HandlerRegistry.create(opts.handlerModules ?? "", ROOT, { httpPool: createHttpPool(db.sql) });
  const bus = createRedisBus(infra().redisUrl, log);
  const services: Services = { db, bus, log, handlers, clock: () => new Date() };
  const leaseMs = 30_000;
  const worker = new Worker(services, { concurrency: opts.concurrency ?? 4, pollIntervalMs: 200, leaseMs, agingStepMs: opts.agingStepMs ?? 60_000 });
  const app: App = buildApp(services, { monitorBufferSize: 64, monitorIdleBackfillMs: 1000, leaseMs, agingStepMs: opts.agingStepMs ?? 60_000, limits: opts.limits });
  if (opts.startWorker !== false) await worker.start();
  const { url: graphqlUrl } = await app.start(0, "127.0.0.1");
  return {
    url: graphqlUrl,
    services,
    worker,
    statements: () => count,
    async stop() {
      await app.stop();
      await worker.stop(1000);
      await bus.close();
      await db.close();
      await pool.end();
    },
  };
}
