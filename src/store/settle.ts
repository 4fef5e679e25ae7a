import type { SqlClient } from "../infra/sql.ts";
import { appendEventsBatch, tallyTasks, type Append, type LockedExecution, type NewEvent } from "./outbox.ts";
import { readyDependants, type Satisfied } from "./dependencies.ts";
import { freezeTimers, notifyReady } from "./lifecycle.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";

// What follows a change to task runs, for every kind of change (ends, releases, recoveries): the DAG's
// next step for each execution touched. The dependants of what the change satisfied are readied from
// their counters (store/dependencies.ts); completion and pause are decided from the executions' tallies.

/** One execution to settle: the events of what just changed, and the outputs already known (the runs just completed). */
export interface Settling {
  exec: LockedExecution;
  events: NewEvent[];
  outputs?: ReadonlyMap<string, unknown>;
  /** The runs this change satisfied (completed or skipped): their dependants may become READY. */
  satisfied?: readonly Omit<Satisfied, "executionId">[];
}

/**
 * After runs changed (`freed`: the worker slots the change frees, which their worker fills at once):
 * readies the dependants of the runs satisfied, completes each execution whose regular tasks are all
 * satisfied, and turns a pending pause into PAUSED once nothing runs; appends each execution's `events`
 * first. Whatever the number of executions, their dependants are readied in one statement, their runs
 * tallied in one, their events appended in one; outputs are read only on completion, and only those
 * not already known.
 */
export async function settleMany(c: SqlClient, now: Date, items: readonly Settling[], freed: number): Promise<ExecutionUpdate[]> {
  if (items.length === 0) return [];
  const readied = await readyDependants(c, items.flatMap((i) => (i.satisfied ?? []).map((s) => ({ ...s, executionId: i.exec.id }))), now);
  const tallies = await tallyTasks(c, items.map((i) => i.exec.id));
  const appends: Append[] = [];
  let wake = false;
  for (const { exec, events, outputs = new Map() } of items) {
    const tally = tallies.get(exec.id)!;
    if (exec.status !== "COMPLETED" && tally.unsatisfied === 0) {
      // The fallbacks never invoked are skipped; they count from now on, so the tally is taken again.
      if (tally.unusedFallbacks > 0)
        await c.query(`UPDATE "TaskRun" SET status = 'SKIPPED' WHERE "executionId" = $1 AND fallback AND status = 'WAITING'`, [exec.id]);
      const result = await sinkOutputs(c, exec.id, tally.sinks ?? [], outputs);
      if (exec.hasDependants) wake = true; // executions that depend on this one may start (or fail) now
      const done: NewEvent = { type: "EXECUTION_COMPLETED", status: "COMPLETED", message: `execution completed: ${tally.regular} tasks` };
      appends.push({ exec, tally: tally.unusedFallbacks > 0 ? undefined : tally, events: [...events, done], patch: { completedAt: now, result, deadlineAt: null, pauseRequested: false } });
    } else if (exec.pauseRequested && tally.running.length === 0) {
      const timers = await freezeTimers(c, exec, now);
      const paused: NewEvent = { type: "EXECUTION_PAUSED", status: "PAUSED", message: "execution paused: no task is running" };
      appends.push({ exec, tally, events: [...events, paused], patch: { ...timers, pauseRequested: false } });
    } else appends.push({ exec, tally, events });
  }
  // A NOTIFY serialises the commits that send one (PostgreSQL's notification queue lock), so it is sent
  // only when other workers have something to do: runs readied beyond the slots this change frees (the
  // caller's worker claims right after), or dependants of an execution that ended.
  if (wake || readied > freed) await notifyReady(c, items[0]!.exec.id);
  return appendEventsBatch(c, appends, now);
}

/**
 * The execution's result: the output of each sink task (of the fallback standing in for it, if any),
 * read only for those not in `known` (the run that just completed passes its own).
 */
async function sinkOutputs(c: SqlClient, executionId: string, sinks: readonly { key: string; replacedBy: string | null }[], known: ReadonlyMap<string, unknown>): Promise<Record<string, unknown>> {
  const sources = sinks.map((s) => s.replacedBy ?? s.key);
  const missing = sources.filter((k) => !known.has(k));
  const rows = missing.length
    ? await c.query<{ key: string; output: unknown }>(`SELECT key, output FROM "TaskRun" WHERE "executionId" = $1 AND key = ANY($2::text[])`, [executionId, missing])
    : [];
  const outputs = new Map([...known, ...rows.map((r): [string, unknown] => [r.key, r.output])]);
  return Object.fromEntries(sinks.map((s, i) => [s.key, outputs.get(sources[i]!) ?? null]));
}
