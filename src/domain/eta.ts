import { isTerminalTask, type TaskStatus } from "./status.ts";

// Remaining-time estimate: every unfinished task is assumed to take as long as the completed ones did
// on average, and the execution ends when the longest chain of remaining work (the critical path) does.

export interface EtaTask {
  key: string;
  dependsOn: readonly string[];
  status: TaskStatus;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Runs only if a FALLBACK recovery invokes it; until then it costs nothing. */
  fallback: boolean;
}

/** Mean run time of completed tasks with both timestamps, or null when there is none. */
function unitCost(tasks: readonly EtaTask[]): number | null {
  let sum = 0;
  let n = 0;
  for (const t of tasks) {
    if (t.status !== "COMPLETED" || !t.startedAt || !t.finishedAt) continue;
    sum += Math.max(0, t.finishedAt.getTime() - t.startedAt.getTime());
    n++;
  }
  return n === 0 ? null : sum / n;
}

function remainingCost(t: EtaTask, u: number, now: Date): number {
  if (isTerminalTask(t.status)) return 0;
  if (t.status === "WAITING" && t.fallback) return 0;
  if (t.status === "RUNNING" && t.startedAt) return Math.max(0, u - Math.max(0, now.getTime() - t.startedAt.getTime()));
  return u; // WAITING, READY, RETRYING (and RUNNING without a start time)
}

/**
 * ms until the execution should finish, or null when no task has completed yet. The longest path of
 * remaining costs through the DAG, by Kahn's topological order: O(V + E), no recursion. Unknown
 * dependsOn keys are ignored; tasks on a cycle (never in a validated plan) count as independent.
 */
export function estimateRemainingMs(tasks: readonly EtaTask[], now: Date): number | null {
  const u = unitCost(tasks);
  if (u === null) return null;
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const dependants = new Map<string, string[]>();
  const pending = new Map<string, number>(); // unprocessed known dependencies per task
  for (const t of byKey.values()) {
    const deps = new Set(t.dependsOn.filter((d) => byKey.has(d) && d !== t.key));
    pending.set(t.key, deps.size);
    for (const d of deps) {
      const list = dependants.get(d);
      if (list) list.push(t.key);
      else dependants.set(d, [t.key]);
    }
  }
  // start[k]: the earliest k can start = the latest finish among its dependencies.
  const start = new Map<string, number>();
  const finish = new Map<string, number>();
  const queue = [...byKey.keys()].filter((k) => pending.get(k) === 0);
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i]!;
    const end = (start.get(key) ?? 0) + remainingCost(byKey.get(key)!, u, now);
    finish.set(key, end);
    for (const next of dependants.get(key) ?? []) {
      start.set(next, Math.max(start.get(next) ?? 0, end));
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  let eta = 0;
  for (const [key, t] of byKey) eta = Math.max(eta, finish.get(key) ?? (start.get(key) ?? 0) + remainingCost(t, u, now));
  return Math.round(eta);
}
