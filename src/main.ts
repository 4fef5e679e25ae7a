import { createRuntime, loadConfigOrExit, onShutdown, runtimePart, workerOptions } from "./bootstrap.ts";
import { buildApp } from "./api/app.ts";
import { apiLimitsFrom } from "./api/limits.ts";
import { listenOrExit } from "./api/auth.ts";
import { Worker } from "./engine/worker.ts";

// `npm start`: API and worker in one process. Embedded (PGlite + in-process bus) when DATABASE_URL and
// REDIS_URL are unset; against PostgreSQL + Redis (migrating first) when both are set.
const config = loadConfigOrExit("engine");
const runtime = await createRuntime(config, "engine", { migrate: true });
const worker = new Worker(runtime, workerOptions(config));
const app = buildApp(runtime, { monitorBufferSize: config.MONITOR_BUFFER_SIZE, monitorIdleBackfillMs: config.MONITOR_IDLE_BACKFILL_MS, leaseMs: config.LEASE_MS, agingStepMs: config.AGING_STEP_MS, limits: apiLimitsFrom(config), auth: { disabled: config.AUTH_DISABLED, bootstrapAdminKey: config.BOOTSTRAP_ADMIN_KEY } });
// Listen first: without API keys on a non-loopback address the API refuses to start (src/domain/auth.ts).
const { url } = await listenOrExit(app, runtime.log, config.PORT, config.HOST, () => runtime.close());
await worker.start();
runtime.log.info({ url, mode: config.DATABASE_URL ? "postgres+redis" : "embedded" }, `GraphiQL at ${url}`);
onShutdown(runtime.log, config.SHUTDOWN_GRACE_MS, [[app, worker], [runtimePart(runtime)]]);
