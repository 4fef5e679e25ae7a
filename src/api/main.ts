import { createRuntime, loadConfigOrExit, onShutdown, runtimePart } from "../bootstrap.ts";
import { buildApp } from "./app.ts";
import { apiLimitsFrom } from "./limits.ts";
import { listenOrExit } from "./auth.ts";

// `npm run api`: a stateless API process (needs DATABASE_URL and REDIS_URL).
const config = loadConfigOrExit("api");
const runtime = await createRuntime(config, "api");
const app = buildApp(runtime, { monitorBufferSize: config.MONITOR_BUFFER_SIZE, monitorIdleBackfillMs: config.MONITOR_IDLE_BACKFILL_MS, leaseMs: config.LEASE_MS, agingStepMs: config.AGING_STEP_MS, limits: apiLimitsFrom(config), auth: { disabled: config.AUTH_DISABLED, bootstrapAdminKey: config.BOOTSTRAP_ADMIN_KEY } });
const { url } = await listenOrExit(app, runtime.log, config.PORT, config.HOST, () => runtime.close());
runtime.log.info({ url }, "API listening; GraphiQL at this URL in a browser");
onShutdown(runtime.log, config.SHUTDOWN_GRACE_MS, [[app], [runtimePart(runtime)]]);
