// `npm run bench:monitor`: how fast a monitor update reaches its subscribers, at 1 to 5,000 of them.
// PostgreSQL + Redis, two API processes, one worker; executions of a 10-task chain of 150 ms `sleep`
// tasks, started together; subscribers `monitor(executionId, afterSeq: 0) { seq timestamp status }` over
// graphql-ws (and SSE) in client processes (bench/monitor/client.ts). Latency = client receive time −
// the update's timestamp (when the worker decided the change; same machine, same clock). Baseline: the
// same bursts (the 1,000-subscriber run's events, at their own offsets) over raw Redis pub/sub to as
// many raw subscriptions. Then, with MONITOR_TRACE on, where the time goes stage by stage. Every stream
// is checked against the event table: all of seq 1…lastSeq, once each. Not a test: no assertion.
// Knobs: BENCH_MONITOR_SMALL=1 (small runs while iterating), BENCH_MONITOR_CLIENTS (4),
// BENCH_MONITOR_TRACE=0 (skip the breakdown), BENCH_MONITOR_ONLY=name,name (those scenarios).
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import pg from "pg";
import { Redis } from "ioredis";
import { REDIS, dropDatabase, freshDatabase, sleep } from "./db.ts";
import { atInterrupt, stop } from "./procs.ts";
import { round } from "./stats.ts";
import { startApi, startWorker, workerUp } from "./queue.ts";
import { breakdown, dist, watchProcesses, withClients, type ClientsOutcome } from "./monitor/measure.ts";
import type { Target, Transport } from "./monitor/protocol.ts";
import { preciseNow } from "../src/infra/trace.ts";
import { loadConfig } from "../src/config/env.ts";
import { createRuntime } from "../src/bootstrap.ts";
import { createPlan } from "../src/services/plans.ts";
import { scheduleExecution } from "../src/services/executions.ts";
import { TASK_READY_CHANNEL } from "../src/store/channels.ts";

const SMALL = process.env.BENCH_MONITOR_SMALL === "1";
const CLIENTS = Number(process.env.BENCH_MONITOR_CLIENTS ?? 4);
const TRACE = process.env.BENCH_MONITOR_TRACE !== "0";
const ONLY = process.env.BENCH_MONITOR_ONLY?.split(",");
const TASKS = 10;
const TASK_MS = 150;
const CAP_MS = 60_000;

interface Scenario {
  name: string;
  transport: Transport;
  subscribers: number;
  executions: number;
}

const sc = (transport: Transport, subscribers: number, executions: number): Scenario => ({ name: `${transport} ${subscribers}/${executions}`, transport, subscribers, executions });
const BIG = SMALL ? sc("ws", 200, 20) : sc("ws", 1000, 100);
const scenarios = (SMALL ? [sc("ws", 1, 1), sc("ws", 20, 2), BIG, sc("sse", 200, 20)] : [sc("ws", 1, 1), sc("ws", 100, 10), BIG, sc("ws", 5000, 100), sc("sse", 1000, 100)]).filter(
  (s) => !ONLY || ONLY.includes(s.name) || s === BIG,
);
const concurrency = Math.min(256, Math.max(...scenarios.map((s) => s.executions)));

const database = "engine_bench_monitor";
atInterrupt(() => dropDatabase(database));
const databaseUrl = await freshDatabase(database);
const runtime = await createRuntime(loadConfig({ DATABASE_URL: databaseUrl, REDIS_URL: REDIS, LOG_LEVEL: "warn" }), "bench");
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
const plan = await createPlan(runtime, {
  name: "chain",
  tasks: Array.from({ length: TASKS }, (_, i) => ({ key: `t${i}`, handler: "sleep", input: { ms: TASK_MS }, dependsOn: i ? [`t${i - 1}`] : [] })),
});

/** One worker and two API processes; bench traffic only (no rate limit, one operation per connection). */
async function startEngine(traced: boolean) {
  const env = { MONITOR_TRACE: String(traced), RATE_LIMIT_PER_SECOND: "0", POLL_INTERVAL_MS: "200" };
  const worker = startWorker(databaseUrl, { concurrency, pollIntervalMs: 200, env });
  await workerUp(db, worker);
  const apis = await Promise.all([startApi(databaseUrl, env), startApi(databaseUrl, env)]);
  await sleep(500); // the worker LISTENs after its row is written
  return { worker, apis, close: () => Promise.all([worker, ...apis.map((a) => a.child)].map((c) => stop(c))) };
}
type Engine = Awaited<ReturnType<typeof startEngine>>;

/** Streams complete and exact (seq 1…lastSeq of the event table, once each), and what was lost. */
async function verify(outcome: ClientsOutcome) {
  const ids = [...new Set(outcome.streams.map((s) => s.executionId))];
  const { rows } = await db.query<{ id: string; lastSeq: number }>(`SELECT id, "lastSeq" FROM "Execution" WHERE id = ANY($1::uuid[])`, [ids]);
  const last = new Map(rows.map((r) => [r.id, r.lastSeq]));
  const bad = outcome.streams.filter((s) => !s.completed || s.gaps || s.duplicates || s.received !== last.get(s.executionId) || s.lastSeq !== last.get(s.executionId));
  return { deliveries: outcome.streams.reduce((n, s) => n + s.received, 0), incompleteStreams: bad.length, errors: outcome.errors.slice(0, 5) };
}

/** Live deliveries (timestamped after `goAt`): latency and rate. */
function latency(outcome: ClientsOutcome, goAt: number) {
  const live = outcome.deliveries.filter(([ts]) => ts >= goAt);
  const first = Math.min(...live.map(([ts]) => ts));
  const last = Math.max(...live.map(([, at]) => at));
  return { live: dist(live.map(([ts, at]) => at - ts)), deliveriesPerSecond: round(live.length / ((last - first) / 1000)) };
}

async function runScenario(engine: Engine, s: Scenario) {
  const ids: string[] = [];
  for (let i = 0; i < s.executions; i++) ids.push(await scheduleExecution(runtime, { planId: plan.id, runAt: new Date(Date.now() + 3_600_000) }));
  const targets: Target[] = Array.from({ length: s.subscribers }, (_, i) => ({ url: engine.apis[i % engine.apis.length]!.url, executionId: ids[i % ids.length]! }));
  let goAt = 0;
  const watched = await watchProcesses(engine.apis.map((a) => a.child.pid!), () =>
    withClients(CLIENTS, s.transport, targets, async () => {
      goAt = Date.now();
      await db.query(`UPDATE "Execution" SET "runAt" = now() WHERE id = ANY($1::uuid[])`, [ids]);
      await db.query(`NOTIFY ${TASK_READY_CHANNEL}`);
    }, CAP_MS),
  );
  const outcome = watched.result;
  const row = { scenario: s.name, subscribers: s.subscribers, executions: s.executions, ...(await verify(outcome)), ...latency(outcome, goAt), apiCpuPercent: watched.cpuPercent, apiPeakRssMb: watched.peakRssMb };
  console.log(JSON.stringify({ ...row, live: row.live }));
  return { row, ids, outcome, goAt };
}

/** The same bursts over raw Redis: the events of `ids`, at their offsets, one channel per execution. */
async function runBaseline(ids: string[], subscribers: number) {
  const { rows } = await db.query<{ executionId: string; seq: number; status: string; timestamp: Date; row: unknown }>(
    `SELECT "executionId", seq, status, timestamp, to_jsonb(e) AS row FROM "ExecutionEvent" e WHERE "executionId" = ANY($1::uuid[]) ORDER BY timestamp, "executionId", seq`,
    [ids],
  );
  // seq 1 (EXECUTION_SCHEDULED) is what the engine's subscribers got as their replay: it goes first, then the rest at their offsets.
  rows.sort((a, b) => Number(a.seq !== 1) - Number(b.seq !== 1));
  const t0 = rows.find((r) => r.seq !== 1)!.timestamp.getTime();
  const offsetOf = (r: (typeof rows)[number]) => (r.seq === 1 ? 0 : r.timestamp.getTime() - t0);
  const channel = (id: string) => `bench-monitor-baseline:${id}`;
  const targets: Target[] = Array.from({ length: subscribers }, (_, i) => ({ url: REDIS, executionId: ids[i % ids.length]!, channel: channel(ids[i % ids.length]!) }));
  const publisher = new Redis(REDIS);
  let goAt = 0;
  const outcome = await withClients(CLIENTS, "redis", targets, async () => {
    goAt = Date.now();
    const start = performance.now();
    for (let i = 0; i < rows.length; ) {
      const offset = offsetOf(rows[i]!);
      await sleep(offset - (performance.now() - start));
      const burst: Promise<unknown>[] = [];
      for (; i < rows.length && offsetOf(rows[i]!) === offset; i++) {
        const r = rows[i]!;
        burst.push(publisher.publish(channel(r.executionId), JSON.stringify({ seq: r.seq, status: r.status, timestamp: preciseNow(), event: r.row })));
      }
      await Promise.all(burst);
    }
  }, CAP_MS);
  publisher.disconnect();
  const lost = outcome.streams.filter((s) => !s.completed || s.gaps || s.duplicates).length;
  const row = { scenario: `raw Redis ${subscribers}/${ids.length}`, subscribers, executions: ids.length, deliveries: outcome.deliveries.length, incompleteStreams: lost, ...latency(outcome, goAt) };
  console.log(JSON.stringify(row));
  return row;
}

let engine = await startEngine(false);
const results: Awaited<ReturnType<typeof runScenario>>["row"][] = [];
let bigIds: string[] = [];
for (const s of scenarios) {
  const r = await runScenario(engine, s);
  results.push(r.row);
  if (s === BIG) bigIds = r.ids;
}
await engine.close();
const baseline = await runBaseline(bigIds, BIG.subscribers);

let stages: { scenario: string; stages: ReturnType<typeof breakdown> }[] = [];
if (TRACE) {
  engine = await startEngine(true);
  for (const s of [scenarios[0]!, BIG]) stages.push({ scenario: s.name, stages: breakdown((await runScenario(engine, s)).outcome.deliveries) });
  await engine.close();
}

const byName = (name: string) => results.find((r) => r.scenario === name);
const ws1 = byName("ws 1/1");
const ws1000 = byName(BIG.name);
const ws5000 = byName("ws 5000/100");
const sse = byName("sse 1000/100") ?? byName("sse 200/20");
const bounds = {
  [`${BIG.name}: p50 ≤ baseline p50 + 5 ms`]: ws1000 && { value: ws1000.live.p50Ms, bound: round(baseline.live.p50Ms + 5), met: ws1000.live.p50Ms <= baseline.live.p50Ms + 5 },
  [`${BIG.name}: p99 ≤ 25 ms`]: ws1000 && { value: ws1000.live.p99Ms, bound: 25, met: ws1000.live.p99Ms <= 25 },
  "ws 5000/100: p99 ≤ 100 ms, nothing lost": ws5000 && { value: ws5000.live.p99Ms, bound: 100, lost: ws5000.incompleteStreams, peakRssMb: ws5000.apiPeakRssMb, met: ws5000.live.p99Ms <= 100 && ws5000.incompleteStreams === 0 },
  "ws 1/1 (idle): p50 ≤ 3 ms": ws1 && { value: ws1.live.p50Ms, bound: 3, met: ws1.live.p50Ms <= 3 },
  [`${sse?.scenario}: within 1.5× of graphql-ws (p50, p99)`]: sse && ws1000 && {
    value: [sse.live.p50Ms, sse.live.p99Ms],
    bound: [round(1.5 * ws1000.live.p50Ms), round(1.5 * ws1000.live.p99Ms)],
    met: sse.live.p50Ms <= 1.5 * ws1000.live.p50Ms && sse.live.p99Ms <= 1.5 * ws1000.live.p99Ms,
  },
};

const summary = (r: (typeof results)[number] | typeof baseline) => ({ scenario: r.scenario, deliveries: r.deliveries, lost: r.incompleteStreams, ...r.live, perSecond: r.deliveriesPerSecond });
console.table([...results.map((r) => ({ ...summary(r), apiCpu: r.apiCpuPercent.join("/"), apiRssMb: r.apiPeakRssMb.join("/") })), summary(baseline)]);
for (const b of stages) (console.log(`stages, ${b.scenario} (MONITOR_TRACE on)`), console.table(b.stages));
console.log(bounds);
await db.end();
await runtime.close();
await dropDatabase(database);
await mkdir("bench/results", { recursive: true });
await writeFile(
  "bench/results/monitor.json",
  `${JSON.stringify({ cores: cpus().length, measuredAt: new Date().toISOString(), small: SMALL, clientProcesses: CLIENTS, apiProcesses: 2, workers: 1, plan: `${TASKS}-task chain of ${TASK_MS} ms sleep`, results, baseline, stages, bounds }, null, 2)}\n`,
);
console.log("wrote bench/results/monitor.json");
