import { readFile } from "node:fs/promises";
import { fork, type ChildProcess } from "node:child_process";
import { track, stop } from "../procs.ts";
import { percentile, round } from "../stats.ts";
import type { Delivery, StreamCheck, Target, ToClient, ToParent, Transport } from "./protocol.ts";

// bench:monitor's measuring parts: client processes, API CPU and RSS from /proc, latency distributions.

export interface Dist {
  n: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function dist(samples: readonly number[]): Dist {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return { n: 0, p50Ms: NaN, p95Ms: NaN, p99Ms: NaN, maxMs: NaN };
  return { n: s.length, p50Ms: round(percentile(s, 50)), p95Ms: round(percentile(s, 95)), p99Ms: round(percentile(s, 99)), maxMs: round(s.at(-1)!) };
}

export interface ClientsOutcome {
  deliveries: Delivery[];
  streams: StreamCheck[];
  errors: string[];
}

/** `targets` spread over `n` client processes; `go` runs once all are subscribed; resolves when every stream ended (or `capMs` passed). */
export async function withClients(n: number, transport: Transport, targets: Target[], go: () => Promise<void>, capMs: number): Promise<ClientsOutcome> {
  const shares = Array.from({ length: n }, (_, i) => targets.filter((_, j) => j % n === i)).filter((s) => s.length > 0);
  const children = shares.map(() => track(fork(new URL("./client.ts", import.meta.url).pathname, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] })));
  const next = (child: ChildProcess, type: ToParent["type"], timeoutMs: number) =>
    new Promise<ToParent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client ${child.pid}: no "${type}" in ${timeoutMs} ms`)), timeoutMs);
      const on = (m: ToParent) => m.type === type && (clearTimeout(timer), child.off("message", on), resolve(m));
      child.on("message", on);
      child.once("exit", (code) => reject(new Error(`client ${child.pid} exited with ${code}`)));
    });
  try {
    const ready = children.map((c) => next(c, "ready", 180_000));
    children.forEach((c, i) => c.send({ type: "start", transport, targets: shares[i]! } satisfies ToClient));
    await Promise.all(ready);
    const done = children.map((c) => next(c, "done", capMs + 30_000));
    await go();
    const cap = setTimeout(() => children.forEach((c) => c.connected && c.send({ type: "finish" } satisfies ToClient)), capMs);
    const results = (await Promise.all(done)) as Extract<ToParent, { type: "done" }>[];
    clearTimeout(cap);
    return { deliveries: results.flatMap((r) => r.deliveries), streams: results.flatMap((r) => r.streams), errors: results.flatMap((r) => r.errors) };
  } finally {
    await Promise.all(children.map((c) => stop(c, 2000)));
  }
}

const TICK_MS = 10; // USER_HZ 100 on Linux

async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

const rssMb = async (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

/** CPU (% of one core) and peak RSS of each process while `fn` runs. */
export async function watchProcesses<T>(pids: number[], fn: () => Promise<T>): Promise<{ result: T; cpuPercent: number[]; peakRssMb: number[] }> {
  const t0 = performance.now();
  const c0 = await Promise.all(pids.map(cpuTicks));
  const peak = await Promise.all(pids.map(rssMb));
  const sampler = setInterval(() => void Promise.all(pids.map(rssMb)).then((r) => r.forEach((v, i) => (peak[i] = Math.max(peak[i]!, v)))), 200);
  try {
    const result = await fn();
    const c1 = await Promise.all(pids.map(cpuTicks));
    const wall = performance.now() - t0;
    return { result, cpuPercent: c1.map((c, i) => round(((c - c0[i]!) * TICK_MS * 100) / wall)), peakRssMb: peak.map((p) => round(p)) };
  } finally {
    clearInterval(sampler);
  }
}

export const STAGES = [
  ["decided → committed", "ts", "committed"],
  ["committed → published", "committed", "published"],
  ["published → received by the API", "published", "received"],
  ["received → selection executed", "received", "executed"],
  ["executed → handed to the socket", "executed", "sent"],
  ["socket → client received", "sent", "at"],
  ["total (decided → client)", "ts", "at"],
] as const;

/** Per stage, from the stamps each traced delivery carries (its timestamp `ts`, its arrival `at`). */
export function breakdown(deliveries: readonly Delivery[]): { stage: string; p50Ms: number; p99Ms: number; n: number }[] {
  const points = deliveries.filter((d) => d[2]).map(([ts, at, s]) => ({ ts, at, ...s }) as Record<string, number>);
  return STAGES.map(([stage, from, to]) => {
    const d = dist(points.filter((p) => p[from] !== undefined && p[to] !== undefined).map((p) => p[to]! - p[from]!));
    return { stage, p50Ms: d.p50Ms, p99Ms: d.p99Ms, n: d.n };
  });
}
