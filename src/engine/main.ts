import { createRuntime, loadConfigOrExit, onShutdown, runtimePart, workerOptions } from "../bootstrap.ts";
import { Worker } from "./worker.ts";

// `npm run worker`: an engine worker process (needs DATABASE_URL and REDIS_URL).
const config = loadConfigOrExit("worker");
const runtime = await createRuntime(config, "worker");
const worker = new Worker(runtime, workerOptions(config));
await worker.start();
onShutdown(runtime.log, config.SHUTDOWN_GRACE_MS, [[worker], [runtimePart(runtime)]]);
