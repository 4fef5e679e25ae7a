import { Logger, makeWorkerUtils, runMigrations, type WorkerUtils } from "graphile-worker";
import { emptyDatabase, sleep, withClient } from "../db.ts";
import { round } from "../stats.ts";
import { PeerProcess } from "./child.ts";
import { measureCost, type CostResult } from "./cost.ts";
import { SETTLE_MS, drainResult, onDatabase, type System } from "./system.ts";

// graphile-worker in bench:peers: its schema migrated into a fresh, empty database per run (not timed),
// jobs added through WorkerUtils (addJobs in bulk for drains), one worker process (gw-worker.ts).

export interface PeerOptions {
  concurrency: number;
  pollIntervalMs: number;
}

const logger = new Logger(() => (level, message) => void (level === "error" && process.stderr.write(`graphile-worker: ${message}\n`)));

/** `fn` with a fresh database and WorkerUtils on it (`release` closes them early). */
function onGw<T>(label: string, fn: (env: { url: string; name: string; utils: WorkerUtils; release(): Promise<void> }) => Promise<T>): Promise<T> {
  return onDatabase(`bench_peers_gw_${label}`, async (name) => {
    const url = await emptyDatabase(name);
    await runMigrations({ connectionString: url, logger });
    const utils = await makeWorkerUtils({ connectionString: url, logger });
    let released: Promise<void> | undefined;
    const release = () => (released ??= Promise.resolve(utils.release()));
    try {
      return await fn({ url, name, utils, release });
    } finally {
      await release();
    }
  });
}

/** Adds `n` noop jobs in batches of 1,000 (one add_jobs call each). */
async function addNoops(utils: WorkerUtils, n: number): Promise<void> {
  for (let done = 0; done < n; done += 1000)
    await utils.addJobs(Array.from({ length: Math.min(1000, n - done) }, () => ({ identifier: "noop", payload: {} })));
}

export function gwSystem(opts: PeerOptions) {
  const worker = (url: string, expect = 0) =>
    new PeerProcess("gw-worker.ts", { DATABASE_URL: url, WORKER_CONCURRENCY: String(opts.concurrency), POLL_INTERVAL_MS: String(opts.pollIntervalMs), BENCH_EXPECT: String(expect) });

  async function withWorker<T>(url: string, fn: (w: PeerProcess, upAt: number) => Promise<T>, expect = 0): Promise<T> {
    const w = worker(url, expect);
    try {
      return await fn(w, await w.expect("ready", "", 120_000));
    } finally {
      await w.stop();
    }
  }

  const system: System = {
    name: "graphile-worker",

    drain: (jobs, capS) =>
      onGw("drain", async ({ url, utils }) => {
        await addNoops(utils, jobs);
        return withWorker(url, async (w, upAt) => {
          const end = await w.next("drained", "", capS * 1000);
          if (end !== null) return drainResult("graphile-worker", jobs, jobs, end - upAt, false);
          const left = await withClient(url, (db) => db.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs`));
          return drainResult("graphile-worker", jobs, jobs - (left.rows[0].n as number), Date.now() - upAt, true);
        }, jobs);
      }),

    withProbes: (fn) =>
      onGw("probes", ({ url, utils }) =>
        withWorker(url, (w) =>
          fn({
            add: async (tag) => void (await utils.addJob("probe", { tag })),
            started: (tag) => w.expect("start", tag),
            completed: async (tag) => void (await w.expect("done", tag)),
          }),
        ),
      ),

    chain: (length) =>
      onGw("chain", ({ url, utils }) =>
        withWorker(url, async (w) => {
          await sleep(SETTLE_MS);
          await utils.addJob("chain", { tag: "c0", index: 0, length });
          const first = await w.expect("start", "c0");
          const last = await w.expect("start", `c${length - 1}`, 600_000);
          return { system: "graphile-worker", length, msPerHop: round((last - first) / (length - 1), 2) };
        }),
      ),
  };

  return {
    ...system,

    /** (f) One worker draining `executions` noop jobs through the wire counter. */
    cost: (executions: number): Promise<CostResult> =>
      onGw("cost", async ({ name, utils, release }) => {
        await addNoops(utils, executions);
        await release(); // its pool's transactions would count as the worker's
        return measureCost("graphile-worker", name, executions, (proxied, window) =>
          withWorker(proxied, async (w) => {
            window.begin();
            await w.expect("drained", "", 3_600_000);
            window.end();
            return 0;
          }, executions),
        );
      }),
  };
}
