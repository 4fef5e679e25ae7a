import { dropDatabase, sleep } from "../db.ts";
import { atInterrupt } from "../procs.ts";
import { distribution, round, type Distribution } from "../stats.ts";

// What bench:peers asks of each system (the engine, graphile-worker, BullMQ), and the measurement loops
// that are the same for all three.

export type SystemName = "engine" | "graphile-worker" | "bullmq";
export type Spacing = "random" | "back-to-back";

export interface DrainResult {
  system: SystemName;
  jobs: number;
  completed: number;
  seconds: number;
  perSecond: number;
  /** The time cap ended it: the rate is over what completed by then. */
  capped: boolean;
}

export interface LatencyResult extends Distribution {
  system: SystemName;
  spacing: Spacing;
}

export interface ChainResult {
  system: SystemName;
  length: number;
  msPerHop: number;
}

/** One idle worker that runs probe jobs. */
export interface ProbeSession {
  add(tag: string): Promise<void>;
  /** When the probe's handler started (the worker's clock). */
  started(tag: string): Promise<number>;
  completed(tag: string): Promise<void>;
}

export interface System {
  name: SystemName;
  /** `jobs` single-noop jobs queued before one worker starts; the clock runs from "worker up" to the last completion. */
  drain(jobs: number, capS: number): Promise<DrainResult>;
  /** Runs `fn` against a fresh, idle worker. */
  withProbes<T>(fn: (session: ProbeSession) => Promise<T>): Promise<T>;
  /** Handler start of link 0 to handler start of the last link, per hop. */
  chain(length: number): Promise<ChainResult>;
}

export const WARMUP_PROBES = 5;
/** After "up", before probing: the first probes would otherwise measure the worker's own start. */
export const SETTLE_MS = 500;

/**
 * Add → handler start: t0 is this process's clock just before the add call, t1 the worker's clock as
 * the handler starts. "random": each probe waits for the previous one's completion and 0–50 ms more;
 * "back-to-back": the next is added as soon as the previous one's handler started.
 */
export function probeLatency(system: System, samples: number, spacing: Spacing): Promise<LatencyResult> {
  return system.withProbes(async (s) => {
    await sleep(SETTLE_MS);
    const out: number[] = [];
    for (let i = 0; i < WARMUP_PROBES + samples; i++) {
      const tag = `p${i}`;
      const t0 = Date.now();
      await s.add(tag);
      const t1 = await s.started(tag);
      if (i >= WARMUP_PROBES) out.push(t1 - t0);
      if (spacing === "random") {
        await s.completed(tag);
        await sleep(Math.random() * 50);
      }
    }
    return { system: system.name, spacing, ...distribution(out) };
  });
}

export function drainResult(system: SystemName, jobs: number, completed: number, ms: number, capped: boolean): DrainResult {
  const seconds = Math.max(ms, 1) / 1000;
  return { system, jobs, completed, seconds: round(seconds, 2), perSecond: round(completed / seconds), capped };
}

const made = new Set<string>();
atInterrupt(async () => void (await Promise.allSettled([...made].map(dropDatabase))));

/** Runs `fn`, which creates the database `name`; drops it afterwards (and on Ctrl-C). */
export async function onDatabase<T>(name: string, fn: (name: string) => Promise<T>): Promise<T> {
  made.add(name);
  try {
    return await fn(name);
  } finally {
    await dropDatabase(name);
    made.delete(name);
  }
}
