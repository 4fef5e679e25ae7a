// `npm run bench:peers`: the engine next to graphile-worker and BullMQ, interleaved in one invocation on
// the same PostgreSQL and Redis, one worker process each at concurrency 8 (issue 14): (a) drains of
// pre-filled queues, (b) add → handler start with an idle worker, (c) a chain, and for the engine alone
// (d) wide DAGs, (e) 1/2/4 worker processes, and (f) statements and transactions per execution. Prints a
// table of figures and ratios and the issue's "Done when" checks; writes bench/results/peers.json.
// How each figure is taken: bench/peers/report.ts METHODS. Not a test: no assertion.
//
// Knobs: BENCH_PEERS_SMALL=1 (a quick run: drains 200/1,000, 50 probes, smaller DAGs), BENCH_PEERS_DRAINS,
// BENCH_PEERS_SAMPLES, BENCH_PEERS_CHAIN, BENCH_PEERS_WIDE, BENCH_PEERS_WORKERS, BENCH_PEERS_SCALE_EXECUTIONS,
// BENCH_PEERS_COST_EXECUTIONS, BENCH_PEERS_DRAIN_CAP_S (per drain or DAG, default 300), BENCH_PEERS_ROUNDS
// (repeats, the median is reported), BENCH_PEERS_ONLY (e.g. "a,b"), BENCH_POLL_INTERVAL_MS (engine and
// graphile-worker, default 1000).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { Redis } from "ioredis";
import { REDIS, withAdmin } from "./db.ts";
import { medianBy } from "./stats.ts";
import { bullmqSystem } from "./peers/bullmq.ts";
import { engineSystem } from "./peers/engine.ts";
import { gwSystem } from "./peers/gw.ts";
import { METHODS, TABLE_HEADER, checkRows, checks, markdown, tableRows, type Results } from "./peers/report.ts";
import { probeLatency, type System, type SystemName } from "./peers/system.ts";

const loadAtStart = loadavg();
const SMALL = process.env.BENCH_PEERS_SMALL === "1";
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const nums = (name: string, fallback: string) => (process.env[name] ?? fallback).split(",").map(Number);
const config = {
  small: SMALL,
  concurrency: 8,
  pollIntervalMs: num("BENCH_POLL_INTERVAL_MS", 1000),
  drains: nums("BENCH_PEERS_DRAINS", SMALL ? "200,1000" : "1000,10000"),
  samples: num("BENCH_PEERS_SAMPLES", SMALL ? 50 : 200),
  chain: num("BENCH_PEERS_CHAIN", 100),
  wide: nums("BENCH_PEERS_WIDE", SMALL ? "100,500" : "1000,5000"),
  workers: nums("BENCH_PEERS_WORKERS", "1,2,4"),
  scaleExecutions: num("BENCH_PEERS_SCALE_EXECUTIONS", SMALL ? 200 : 1000),
  costExecutions: num("BENCH_PEERS_COST_EXECUTIONS", SMALL ? 200 : 1000),
  capS: num("BENCH_PEERS_DRAIN_CAP_S", 300),
  rounds: num("BENCH_PEERS_ROUNDS", 1),
  only: (process.env.BENCH_PEERS_ONLY ?? "a,b,c,d,e,f").split(","),
};

const options = { concurrency: config.concurrency, pollIntervalMs: config.pollIntervalMs };
const engine = engineSystem(options);
const gw = gwSystem(options);
const peers: System[] = [engine, gw, bullmqSystem(options)];
const runs = (part: string) => config.only.includes(part);
const log = (msg: string) => process.stderr.write(`[bench:peers ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** `run` for each round, the systems interleaved within it; the median (by `key`) per system. A failed run is logged and left out. */
async function interleaved<R>(label: string, systems: readonly { name: SystemName }[], run: (name: SystemName) => Promise<R>, key: (r: R) => number) {
  const all = new Map<SystemName, R[]>();
  for (let round = 0; round < config.rounds; round++)
    for (const { name } of systems) {
      log(`${label}: ${name}${config.rounds > 1 ? ` (round ${round + 1})` : ""}`);
      try {
        const r = await run(name);
        all.set(name, [...(all.get(name) ?? []), r]);
        log(`  ${JSON.stringify(r)}`);
      } catch (err) {
        log(`  FAILED: ${(err as Error).stack ?? err}`);
      }
    }
  return Object.fromEntries([...all].map(([name, rs]) => [name, medianBy(rs, key)])) as Partial<Record<SystemName, R>>;
}

const byName = (name: SystemName) => peers.find((p) => p.name === name)!;
const ENGINE = [{ name: "engine" as const }];
const results: Results = { drains: [], latency: [], chain: {}, wide: [], scale: [], cost: {} };

if (runs("a"))
  for (const jobs of config.drains)
    results.drains.push({ jobs, bySystem: await interleaved(`(a) drain ${jobs}`, peers, (s) => byName(s).drain(jobs, config.capS), (r) => r.perSecond) });
if (runs("b"))
  for (const spacing of ["random", "back-to-back"] as const)
    results.latency.push({ spacing, bySystem: await interleaved(`(b) latency ${spacing}`, peers, (s) => probeLatency(byName(s), config.samples, spacing), (r) => r.p50Ms) });
if (runs("c")) results.chain = await interleaved(`(c) chain ${config.chain}`, peers, (s) => byName(s).chain(config.chain), (r) => r.msPerHop);
if (runs("d"))
  for (const width of config.wide) {
    const r = (await interleaved(`(d) wide ${width}`, ENGINE, () => engine.wide(width, config.capS), (x) => x.tasksPerSecond)).engine;
    if (r) results.wide.push(r);
  }
if (runs("e"))
  for (const workers of config.workers) {
    const r = (await interleaved(`(e) ${workers} workers`, ENGINE, () => engine.scale(workers, config.scaleExecutions), (x) => x.perSecond)).engine;
    if (r) results.scale.push(r);
  }
if (runs("f"))
  results.cost = await interleaved(`(f) cost`, [engine, gw], (s) => (s === "engine" ? engine.cost(config.costExecutions) : gw.cost(config.costExecutions)), (r) => r.transactionsPerExecution);

async function machine() {
  const pg = await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'autovacuum', 'synchronous_commit', 'shared_buffers', 'max_connections')`);
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  });
  const redis = new Redis(REDIS);
  const info = await redis.info("server");
  redis.disconnect();
  const version = async (pkg: string) => (JSON.parse(await readFile(`node_modules/${pkg}/package.json`, "utf8")) as { version: string }).version;
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    /** 1/5/15-minute load averages: other work on the machine shows here. */
    loadAverage: { atStart: loadAtStart.map((x) => Math.round(x * 100) / 100), atEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
    node: process.version,
    postgres: pg,
    redis: /redis_version:(\S+)/.exec(info)?.[1],
    graphileWorker: await version("graphile-worker"),
    bullmq: await version("bullmq"),
  };
}

const rows = tableRows(results);
const done = checks(results, config.pollIntervalMs);
const measuredAt = new Date().toISOString();
const host = await machine();
console.log(`\nbench:peers, ${measuredAt.slice(0, 10)}, ${host.cores} cores (${host.cpu}), Node ${host.node}, PostgreSQL ${host.postgres.server_version} (autovacuum ${host.postgres.autovacuum}), Redis ${host.redis}, load average ${host.loadAverage.atStart[1]} → ${host.loadAverage.atEnd[1]} (5 min), graphile-worker ${host.graphileWorker}, BullMQ ${host.bullmq}; one worker process each, concurrency ${config.concurrency}, poll interval ${config.pollIntervalMs} ms${SMALL ? " (BENCH_PEERS_SMALL)" : ""}\n`);
console.log(markdown(TABLE_HEADER, rows));
console.log(`\nDone when (issue 14):\n`);
console.log(markdown(["criterion", "value", "target", "met"], checkRows(done)));
console.log(`\nHow:\n${Object.entries(METHODS).map(([k, v]) => `- ${k}: ${v}`).join("\n")}`);
await mkdir("bench/results", { recursive: true });
await writeFile("bench/results/peers.json", `${JSON.stringify({ measuredAt, machine: host, config, methods: METHODS, table: { header: TABLE_HEADER, rows }, checks: done, results }, null, 2)}\n`);
console.log("\nwrote bench/results/peers.json");
