// A BullMQ worker process for bench:peers (see protocol.ts). Env: REDIS_URL, BENCH_QUEUE,
// BENCH_PREFIX, WORKER_CONCURRENCY, BENCH_EXPECT.
import { Queue, Worker } from "bullmq";
import { begin, completions, say, workerEnv, type Payload } from "./protocol.ts";

const redis = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const connection = { host: redis.hostname, port: Number(redis.port || 6379), maxRetriesPerRequest: null };
const name = process.env.BENCH_QUEUE ?? "bench";
const prefix = process.env.BENCH_PREFIX ?? "bench-peers";
const queue = new Queue(name, { connection, prefix });
const completed = completions();
const worker = new Worker(
  name,
  async (job) => {
    if (job.name === "noop") return;
    const next = begin(job.data as Payload);
    if (next) await queue.add("chain", next);
  },
  { connection, prefix, concurrency: workerEnv().concurrency },
);
worker.on("completed", (job) => completed(job.data as Payload));
worker.on("error", (err) => process.stderr.write(`bullmq: ${err.message}\n`));
await worker.waitUntilReady();
say("ready", Date.now());
const shutdown = async () => {
  await worker.close();
  await queue.close();
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown());
process.once("SIGINT", () => void shutdown());
