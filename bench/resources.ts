// `npm run bench:resources`: what resource allocation costs the claim. Single-task noop executions per
// second drained by one worker (concurrency 8): without requirements (the baseline, same run), with one
// requirement on a pool that never runs short (capacity 8: allocation and release only), and on a pool of
// capacity 2 (most runs wait, are re-decided on each claim, and wake on releases). Not a test: no assertion.
import { mkdir, writeFile } from "node:fs/promises";
import { drain } from "./queue.ts";

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 1000);
const CONCURRENCY = 8;
const pool = (capacity: number) => async (db: { query(text: string, params: unknown[]): Promise<unknown> }) =>
  void (await db.query(`INSERT INTO "Resource" (id, name, type, capacity) VALUES (gen_random_uuid(), 'slot', 'slot', $1)`, [capacity]));
const slot = [{ type: "slot", amount: 1 }];

const modes = [
  { mode: "no requirements (baseline)", database: "engine_bench_res_none" },
  { mode: "1 unit of a pool of 8", database: "engine_bench_res_free", task: { resources: slot }, setup: pool(CONCURRENCY) },
  { mode: "1 unit of a pool of 2", database: "engine_bench_res_short", task: { resources: slot }, setup: pool(2) },
];
const results = [];
for (const { mode, ...opts } of modes) {
  const seconds = await drain({ ...opts, workers: 1, concurrency: CONCURRENCY, executions: EXECUTIONS });
  results.push({ mode, seconds: Math.round(seconds * 100) / 100, executionsPerSecond: Math.round(EXECUTIONS / seconds) });
}
const baseline = results[0]!.executionsPerSecond;
const table = results.map((r) => ({ ...r, ratioToBaseline: Math.round((r.executionsPerSecond / baseline) * 100) / 100 }));
console.table(table);
await mkdir("bench/results", { recursive: true });
await writeFile("bench/results/resources.json", `${JSON.stringify({ executions: EXECUTIONS, concurrency: CONCURRENCY, cores: (await import("node:os")).cpus().length, results: table }, null, 2)}\n`);
console.log("wrote bench/results/resources.json");
