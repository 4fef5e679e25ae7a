// Remaining-time estimate: every unfinished task is assumed to take as long as the completed ones did
// on average, and the execution ends when the longest chain of remaining work (the critical path) does.
// A task's chain of dependants is fixed by its plan, so its length is counted once, when the execution is
// created (`downstreamLengths`). A task starts only after its dependencies, so the unfinished tasks of
// any chain are its tail: the critical path starts at an unfinished task and runs through its longest
// chain of dependants. The estimate then needs no walk of the DAG, only the longest such chain among the
// tasks waiting and the running ones (few), which the store tallies in one aggregate.

/** A task as the chain lengths see it. */
export interface ChainTask {
  key: string;
  dependsOn: readonly string[];
  /** Runs only if a FALLBACK recovery invokes it: it costs nothing on a chain. */
  fallback: boolean;
}

/**
 * For each task, how many regular tasks the longest chain of its dependants holds (0 for a sink), in
 * reverse topological order (Kahn's): O(V + E), no recursion. Unknown dependsOn keys are ignored; tasks
 * on a cycle (never in a validated plan) count 0.
 */
export function downstreamLengths(tasks: readonly ChainTask[]): Map<string, number> {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const dependencies = new Map<string, string[]>();
  const open = new Map<string, number>(tasks.map((t) => [t.key, 0])); // dependants not yet counted
  for (const t of byKey.values()) {
    const deps = [...new Set(t.dependsOn)].filter((d) => byKey.has(d) && d !== t.key);
    dependencies.set(t.key, deps);
    for (const d of deps) open.set(d, open.get(d)! + 1);
  }
  const length = new Map<string, number>(tasks.map((t) => [t.key, 0]));
  const queue = [...byKey.keys()].filter((k) => open.get(k) === 0);
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i]!;
    const through = length.get(key)! + (byKey.get(key)!.fallback ? 0 : 1);
    for (const d of dependencies.get(key)!) {
      length.set(d, Math.max(length.get(d)!, through));
      const left = open.get(d)! - 1;
      open.set(d, left);
      if (left === 0) queue.push(d);
    }
  }
  return length;
}

/** What the estimate needs of an execution's runs. */
export interface RemainingWork {
  /** Mean run time of the completed runs with both timestamps, in ms; null when there is none. */
  unitMs: number | null;
  /** The longest `downstream` among the runs yet to start (WAITING, READY, RETRYING; fallbacks once invoked); null when none. */
  longestQueued: number | null;
  running: readonly { startedAt: Date | null; downstream: number }[];
}

/**
 * ms until the execution should finish, or null when no task has completed yet: per unfinished task, what
 * it has left (a unit, less what a running one has run) plus a unit per task on its longest chain of
 * dependants; the largest of these.
 */
export function estimateRemainingMs(work: RemainingWork, now: Date): number | null {
  const u = work.unitMs;
  if (u === null) return null;
  let eta = work.longestQueued === null ? 0 : u * (1 + work.longestQueued);
  for (const r of work.running) {
    const left = r.startedAt ? Math.max(0, u - Math.max(0, now.getTime() - r.startedAt.getTime())) : u;
    eta = Math.max(eta, left + u * r.downstream);
  }
  return Math.round(eta);
}
