// `npm run bench:scale`: single-task noop executions per second with 1, 2 and 4 worker processes on the
// same PostgreSQL, and each as a ratio to 1 worker measured in the same run. Not a test: no assertion.
import { mkdir, writeFile } from "node:fs/promises";
import { drain } from "./queue.ts";

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 1000);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? "1,2,4").split(",").map(Number);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const results = [];
for (const workers of WORKER_COUNTS) {
  const seconds = await drain({ database: `engine_bench_${workers}`, workers, concurrency: CONCURRENCY, executions: EXECUTIONS });
  results.push({ workers, seconds: Math.round(seconds * 100) / 100, executionsPerSecond: Math.round(EXECUTIONS / seconds) });
}
const baseline = results[0]!.executionsPerSecond;
const table = results.map((r) => ({ ...r, ratioTo1Worker: Math.round((r.executionsPerSecond / baseline) * 100) / 100 }));
console.table(table);
await mkdir("bench/results", { recursive: true });
await writeFile("bench/results/scale.json", `${JSON.stringify({ executions: EXECUTIONS, concurrencyPerWorker: CONCURRENCY, cores: (await import("node:os")).cpus().length, results: table }, null, 2)}\n`);
console.log("wrote bench/results/scale.json");
