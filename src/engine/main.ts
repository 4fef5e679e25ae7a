import { loadConfig } from "../config/env.ts";
import { createRuntime, onShutdown, workerOptions } from "../bootstrap.ts";
import { Worker } from "./worker.ts";

// `npm run worker`: an engine worker process (needs DATABASE_URL and REDIS_URL).
const config = loadConfig();
const runtime = await createRuntime(config, "worker");
const worker = new Worker(runtime, workerOptions(config));
await worker.start();
onShutdown(runtime.log, async () => {
  await worker.stop(config.SHUTDOWN_GRACE_MS);
  await runtime.close();
});
