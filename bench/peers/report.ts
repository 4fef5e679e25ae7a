import type { CostResult } from "./cost.ts";
import type { ScaleResult, WideResult } from "./engine.ts";
import type { ChainResult, DrainResult, LatencyResult, Spacing, SystemName } from "./system.ts";

// bench:peers' printed table, its "Done when" checks (issue 14), and the notes on how each figure is taken.

export interface Results {
  drains: { jobs: number; bySystem: Partial<Record<SystemName, DrainResult>> }[];
  latency: { spacing: Spacing; bySystem: Partial<Record<SystemName, LatencyResult>> }[];
  chain: Partial<Record<SystemName, ChainResult>>;
  wide: WideResult[];
  scale: ScaleResult[];
  cost: Partial<Record<SystemName, CostResult>>;
}

const SYSTEMS: SystemName[] = ["engine", "graphile-worker", "bullmq"];
const fmt = (x: number | undefined, digits = 1) => (x === undefined || !Number.isFinite(x) ? "–" : x.toLocaleString("en-US", { maximumFractionDigits: digits }));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);
const n = (x: number) => x.toLocaleString("en-US");

type Row = [string, ...string[]];

/** One row: a figure per system and the engine's ratio to each peer. */
function row(label: string, by: Partial<Record<SystemName, number>>, digits = 1, mark: Partial<Record<SystemName, string>> = {}, ratios = true): Row {
  const cells = SYSTEMS.map((s) => (by[s] === undefined ? "–" : `${fmt(by[s], digits)}${mark[s] ?? ""}`));
  return [label, ...cells, ...(ratios ? [fmt(ratio(by.engine, by["graphile-worker"]), 2), fmt(ratio(by.engine, by.bullmq), 2)] : ["", ""])];
}

const pick = <R, K extends keyof R>(by: Partial<Record<SystemName, R>>, key: K) =>
  Object.fromEntries(Object.entries(by).map(([s, r]) => [s, (r as R)[key]])) as Partial<Record<SystemName, R[K] & number>>;

export function tableRows(r: Results): Row[] {
  const rows: Row[] = [];
  for (const d of r.drains)
    rows.push(row(`(a) drain ${n(d.jobs)} queued (jobs/s)`, pick(d.bySystem, "perSecond"), 1, Object.fromEntries(Object.entries(d.bySystem).map(([s, x]) => [s, x.capped ? ` (capped: ${n(x.completed)} in ${x.seconds} s)` : ""]))));
  if (r.drains.length >= 2) {
    const [small, large] = [r.drains[0]!, r.drains.at(-1)!];
    const by = Object.fromEntries(SYSTEMS.map((s) => [s, ratio(large.bySystem[s]?.perSecond, small.bySystem[s]?.perSecond)]).filter(([, v]) => v !== undefined));
    rows.push(row(`(a) drain ${n(large.jobs)} rate ÷ ${n(small.jobs)} rate`, by, 2, {}, false));
  }
  for (const l of r.latency)
    for (const [key, label] of [["p50Ms", "p50"], ["p99Ms", "p99"], ["maxMs", "max"]] as const)
      rows.push(row(`(b) add → start, ${l.spacing}, ${label} (ms)`, pick(l.bySystem, key)));
  if (Object.keys(r.chain).length) rows.push(row(`(c) chain of ${Object.values(r.chain)[0]!.length} (ms per hop)`, pick(r.chain, "msPerHop"), 2));
  for (const w of r.wide) rows.push(row(`(d) wide DAG 1 + ${n(w.width)} + 1 (tasks/s)`, { engine: w.tasksPerSecond }, 1, { engine: w.capped ? ` (capped: ${n(w.completed)} in ${w.seconds} s)` : ` (${w.seconds} s)` }));
  const one = r.scale.find((s) => s.workers === 1);
  for (const s of r.scale)
    rows.push(row(`(e) ${s.workers} worker process${s.workers > 1 ? "es" : ""}, 20 ms sleep (executions/s)`, { engine: s.perSecond }, 1, { engine: one && s.workers !== 1 ? ` (×${fmt(s.perSecond / one.perSecond, 2)} of 1)` : "" }));
  if (Object.keys(r.cost).length) {
    rows.push(row("(f) statements per execution (wire)", pick(r.cost, "statementsPerExecution"), 2));
    rows.push(row("(f) transactions per execution (wire)", pick(r.cost, "transactionsPerExecution"), 2));
    rows.push(row("(f) xact_commit per execution (pg_stat_database)", pick(r.cost, "xactCommitPerExecution"), 2));
  }
  return rows;
}

export function markdown(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export const TABLE_HEADER = ["workload", "engine", "graphile-worker", "BullMQ", "engine ÷ gw", "engine ÷ BullMQ"];

export interface Check {
  criterion: string;
  value: number | undefined;
  target: string;
  met: boolean | null;
}

/** Issue 14's "Done when", each from this run's figures (null: not measured in this run). */
export function checks(r: Results, pollIntervalMs: number): Check[] {
  const out: Check[] = [];
  const add = (criterion: string, value: number | undefined, target: string, ok: (v: number) => boolean) =>
    out.push({ criterion, value: value === undefined ? undefined : Math.round(value * 1000) / 1000, target, met: value === undefined ? null : ok(value) });
  for (const d of r.drains) add(`(a) engine ÷ gw, drain ${n(d.jobs)}`, ratio(d.bySystem.engine?.perSecond, d.bySystem["graphile-worker"]?.perSecond), "≥ 0.5 (aim 1.0)", (v) => v >= 0.5);
  if (r.drains.length >= 2) add(`(a) engine drain ${n(r.drains.at(-1)!.jobs)} ÷ drain ${n(r.drains[0]!.jobs)}`, ratio(r.drains.at(-1)!.bySystem.engine?.perSecond, r.drains[0]!.bySystem.engine?.perSecond), "≥ 0.8", (v) => v >= 0.8);
  for (const l of r.latency) {
    add(`(b) ${l.spacing}: engine p50 ÷ gw p50`, ratio(l.bySystem.engine?.p50Ms, l.bySystem["graphile-worker"]?.p50Ms), "≤ 1.5", (v) => v <= 1.5);
    add(`(b) ${l.spacing}: engine p99 (ms)`, l.bySystem.engine?.p99Ms, "< 25", (v) => v < 25);
    add(`(b) ${l.spacing}: engine max (ms), poll interval ${pollIntervalMs}`, l.bySystem.engine?.maxMs, `< ${pollIntervalMs / 2} (none near the poll interval)`, (v) => v < pollIntervalMs / 2);
  }
  if (Object.keys(r.chain).length) add("(c) engine ms/hop ÷ gw ms/hop", ratio(r.chain.engine?.msPerHop, r.chain["graphile-worker"]?.msPerHop), "≤ 1.5", (v) => v <= 1.5);
  const [w1, w2] = [r.wide[0], r.wide[1]];
  const drainRate = r.drains[0]?.bySystem.engine?.perSecond;
  if (w1 && drainRate !== undefined) add(`(d) wide ${n(w1.width)} tasks/s ÷ engine drain ${n(r.drains[0]!.jobs)} rate`, ratio(w1.tasksPerSecond, drainRate), "≥ 0.8", (v) => v >= 0.8);
  if (w1 && w2) add(`(d) per-task time, wide ${n(w2.width)} ÷ wide ${n(w1.width)}`, ratio(w1.tasksPerSecond, w2.tasksPerSecond), "≤ 1.3", (v) => v <= 1.3);
  const one = r.scale.find((s) => s.workers === 1)?.perSecond;
  for (const [workers, target] of r.scale.length ? ([[2, 1.8], [4, 3.2]] as const) : [])
    add(`(e) ${workers} workers ÷ 1 worker`, ratio(r.scale.find((s) => s.workers === workers)?.perSecond, one), `≥ ${target}`, (v) => v >= target);
  if (Object.keys(r.cost).length) add("(f) engine transactions per execution (wire)", r.cost.engine?.transactionsPerExecution, "≤ 3", (v) => v <= 3);
  return out;
}

export const checkRows = (cs: Check[]) => cs.map((c) => [c.criterion, fmt(c.value, 3), c.target, c.met === null ? "not measured" : c.met ? "yes" : "NO"]);

export const METHODS = {
  drain:
    "Queue filled before the worker process starts (engine: bench/queue.ts bulk insert; graphile-worker: WorkerUtils.addJobs; BullMQ: addBulk). Clock from the worker being up (engine: its Worker row's startedAt; peers: 'ready' printed once started) to the last completion (engine: max Execution.completedAt; peers: the worker's clock at the N-th completion event). When the time cap ends a run, the rate is over what completed.",
  latency:
    "t0: this process's clock just before the add call (engine: scheduleExecution; graphile-worker: WorkerUtils.addJob; BullMQ: Queue.add). t1: the worker's clock as the handler starts (engine: the TASK_STARTED event's timestamp; peers: Date.now() on entering the handler). Same machine, same clock. 5 warm-up probes dropped. random: each probe added 0–50 ms after the previous one completed; back-to-back: added as soon as the previous one's handler started.",
  chain:
    "Handler start of the first link to handler start of the last, ÷ (links − 1). Engine: one plan of N noop tasks, each dependsOn the previous (TaskRun.startedAt); peers: each job's handler adds the next.",
  wide: "Engine only: plan rows inserted directly (as createPlan writes them), one execution scheduled through scheduleExecution before the worker starts; tasks/s = completed task runs ÷ (last finishedAt − worker startedAt).",
  scale: "Engine only (bench/queue.ts drain): 1, 2, 4 worker processes at concurrency 8 up first, then executions of one sleep {ms: 20} task inserted; clock from the insert to all completed (polled every 50 ms).",
  cost: "A TCP proxy between the worker and PostgreSQL counts the statements (Query and Execute messages, BEGIN/COMMIT included) and transactions (each return to idle after a statement) from worker up to all done. xact_commit: pg_stat_database delta of the database over the worker's whole life (start and stop included), minus the bench's own polling queries; it also counts the transaction in which a LISTENing backend reads each NOTIFY it receives, which the wire does not show. pg_stat_statements is not preloaded on this server.",
};
