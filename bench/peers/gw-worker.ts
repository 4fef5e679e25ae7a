// A graphile-worker process for bench:peers (see protocol.ts). Env: DATABASE_URL, WORKER_CONCURRENCY,
// POLL_INTERVAL_MS, BENCH_EXPECT.
import { EventEmitter } from "node:events";
import { Logger, run, type WorkerEvents } from "graphile-worker";
import { begin, completions, say, workerEnv, type Payload } from "./protocol.ts";

const { concurrency, pollIntervalMs } = workerEnv();
const events = new EventEmitter() as WorkerEvents;
const completed = completions();
events.on("job:complete", ({ job, error }) => {
  if (!error) completed(job.payload as Payload);
});
const runner = await run({
  connectionString: process.env.DATABASE_URL,
  concurrency,
  pollInterval: pollIntervalMs,
  events,
  logger: new Logger(() => (level, message) => void (level === "error" && process.stderr.write(`graphile-worker: ${message}\n`))),
  taskList: {
    noop: async () => {},
    probe: async (payload) => void begin(payload as Payload),
    chain: async (payload, helpers) => {
      const next = begin(payload as Payload);
      if (next) await helpers.addJob("chain", next);
    },
  },
});
say("ready", Date.now());
await runner.promise;
