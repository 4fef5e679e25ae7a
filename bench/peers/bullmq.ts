import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { REDIS, sleep } from "../db.ts";
import { atInterrupt } from "../procs.ts";
import { round } from "../stats.ts";
import { PeerProcess } from "./child.ts";
import type { PeerOptions } from "./gw.ts";
import { SETTLE_MS, drainResult, type System } from "./system.ts";

// BullMQ in bench:peers: a queue under a key prefix of its own per run (its keys are deleted afterwards,
// nothing else in the Redis is touched), jobs added with addBulk for drains, one worker process
// (bullmq-worker.ts). BullMQ's defaults otherwise (completed jobs are kept, as the engine keeps its rows).

const NAME = "bench";
const redisUrl = new URL(REDIS);
const connection = { host: redisUrl.hostname, port: Number(redisUrl.port || 6379), maxRetriesPerRequest: null };
let runs = 0;
const live = new Set<string>();
atInterrupt(async () => void (await Promise.allSettled([...live].map(deleteKeys))));

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(connection);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export function bullmqSystem(opts: PeerOptions) {
  /** `fn` with a fresh queue (prefix) and one worker process on it, up. */
  async function withWorker<T>(fn: (queue: Queue, w: PeerProcess, upAt: number) => Promise<T>, before?: (queue: Queue) => Promise<void>, expect = 0): Promise<T> {
    const prefix = `bench-peers-${process.pid}-${++runs}`;
    live.add(prefix);
    const queue = new Queue(NAME, { connection, prefix });
    try {
      await before?.(queue);
      const w = new PeerProcess("bullmq-worker.ts", { REDIS_URL: REDIS, BENCH_QUEUE: NAME, BENCH_PREFIX: prefix, WORKER_CONCURRENCY: String(opts.concurrency), BENCH_EXPECT: String(expect) });
      try {
        return await fn(queue, w, await w.expect("ready", "", 120_000));
      } finally {
        await w.stop();
      }
    } finally {
      await queue.close();
      await deleteKeys(prefix);
      live.delete(prefix);
    }
  }

  const system: System = {
    name: "bullmq",

    drain: (jobs, capS) =>
      withWorker(
        async (queue, w, upAt) => {
          const end = await w.next("drained", "", capS * 1000);
          if (end !== null) return drainResult("bullmq", jobs, jobs, end - upAt, false);
          return drainResult("bullmq", jobs, await queue.getCompletedCount(), Date.now() - upAt, true);
        },
        async (queue) => {
          for (let done = 0; done < jobs; done += 1000) await queue.addBulk(Array.from({ length: Math.min(1000, jobs - done) }, () => ({ name: "noop", data: {} })));
        },
        jobs,
      ),

    withProbes: (fn) =>
      withWorker((queue, w) =>
        fn({
          add: async (tag) => void (await queue.add("probe", { tag })),
          started: (tag) => w.expect("start", tag),
          completed: async (tag) => void (await w.expect("done", tag)),
        }),
      ),

    chain: (length) =>
      withWorker(async (queue, w) => {
        await sleep(SETTLE_MS);
        await queue.add("chain", { tag: "c0", index: 0, length });
        const first = await w.expect("start", "c0");
        const last = await w.expect("start", `c${length - 1}`, 600_000);
        return { system: "bullmq", length, msPerHop: round((last - first) / (length - 1), 2) };
      }),
  };
  return system;
}
