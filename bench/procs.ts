import type { ChildProcess } from "node:child_process";

// Worker processes a benchmark started: stopped one by one when it is done with them, and all killed
// if the benchmark itself exits early (an error, Ctrl-C), so no worker outlives it.

const running = new Set<ChildProcess>();

export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has exited. */
export async function stop(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});
const cleanups: (() => Promise<void>)[] = [];

/** Runs on Ctrl-C / SIGTERM too, after the workers are killed (e.g. dropping the databases made). */
export const atInterrupt = (fn: () => Promise<void>) => void cleanups.push(fn);

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    for (const child of running) child.kill("SIGKILL");
    void Promise.allSettled(cleanups.map((fn) => fn())).then(() => process.exit(130));
  });
