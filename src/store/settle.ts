import type { SqlClient } from "../infra/sql.ts";
import { allSatisfied, readyKeys, sinkKeys, type TaskState } from "../domain/dag.ts";
import { appendEventsBatch, type Append, type LockedExecution, type NewEvent } from "./outbox.ts";
import { freezeTimers, notifyReady } from "./lifecycle.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";

// What follows a change to task runs, for every kind of change (ends, releases, recoveries): the DAG's
// next step for each execution touched, decided from one read of their task runs' DAG states.

/** One execution to settle: the events of what just changed, and the outputs already known (the runs just completed). */
export interface Settling {
  exec: LockedExecution;
  events: NewEvent[];
  outputs?: ReadonlyMap<string, unknown>;
}

/**
 * After runs changed (`freed`: the worker slots the change frees, which their worker fills at once): readies dependants, completes each execution whose regular tasks are all
 * satisfied, and turns a pending pause into PAUSED once nothing runs; appends each execution's `events`
 * first. Whatever the number of executions, their task runs' DAG states are read in one statement, their
 * dependants readied in one, their events appended in one; outputs are read only on completion, and only
 * those not already known.
 */
export async function settleMany(c: SqlClient, now: Date, items: readonly Settling[], freed: number): Promise<ExecutionUpdate[]> {
  if (items.length === 0) return [];
  const tasksOf = await readDagStates(c, items.map((i) => i.exec.id));
  const ready: { executionId: string; key: string }[] = [];
  const appends: Append[] = [];
  let wake = false;
  for (const { exec, events, outputs = new Map() } of items) {
    const tasks = tasksOf.get(exec.id)!;
    for (const key of readyKeys(tasks)) ready.push({ executionId: exec.id, key });
    if (exec.status !== "COMPLETED" && allSatisfied(tasks)) {
      if (tasks.some((t) => t.fallback && t.status === "WAITING"))
        await c.query(`UPDATE "TaskRun" SET status = 'SKIPPED' WHERE "executionId" = $1 AND fallback AND status = 'WAITING'`, [exec.id]);
      const result = await sinkOutputs(c, exec.id, tasks, outputs);
      if (exec.hasDependants) wake = true; // executions that depend on this one may start (or fail) now
      const done: NewEvent = { type: "EXECUTION_COMPLETED", status: "COMPLETED", message: `execution completed: ${tasks.filter((t) => !t.fallback).length} tasks` };
      appends.push({ exec, events: [...events, done], patch: { completedAt: now, result, deadlineAt: null, pauseRequested: false } });
    } else if (exec.pauseRequested && !tasks.some((t) => t.status === "RUNNING")) {
      const timers = await freezeTimers(c, exec, now);
      const paused: NewEvent = { type: "EXECUTION_PAUSED", status: "PAUSED", message: "execution paused: no task is running" };
      appends.push({ exec, events: [...events, paused], patch: { ...timers, pauseRequested: false } });
    } else appends.push({ exec, events });
  }
  if (ready.length > 0) {
    await c.query(
      `UPDATE "TaskRun" t SET status = 'READY', "readyAt" = $2 FROM jsonb_to_recordset($1::jsonb) AS r("executionId" uuid, key text)
        WHERE t."executionId" = r."executionId" AND t.key = r.key AND t.status = 'WAITING'`,
      [JSON.stringify(ready), now],
    );
  }
  // A NOTIFY serialises the commits that send one (PostgreSQL's notification queue lock), so it is sent
  // only when other workers have something to do: runs readied beyond the slots this change frees (the
  // caller's worker claims right after), or dependants of an execution that ended.
  if (wake || ready.length > freed) await notifyReady(c, items[0]!.exec.id);
  return appendEventsBatch(c, appends, now);
}

/**
 * The execution's result: the output of each sink task (of the fallback standing in for it, if any),
 * read only for those not in `known` (the run that just completed passes its own).
 */
async function sinkOutputs(c: SqlClient, executionId: string, tasks: readonly TaskState[], known: ReadonlyMap<string, unknown>): Promise<Record<string, unknown>> {
  const sinks = sinkKeys(tasks);
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const sources = sinks.map((k) => byKey.get(k)!.replacedBy ?? k);
  const missing = sources.filter((k) => !known.has(k));
  const rows = missing.length
    ? await c.query<{ key: string; output: unknown }>(`SELECT key, output FROM "TaskRun" WHERE "executionId" = $1 AND key = ANY($2::text[])`, [executionId, missing])
    : [];
  const outputs = new Map([...known, ...rows.map((r): [string, unknown] => [r.key, r.output])]);
  return Object.fromEntries(sinks.map((k, i) => [k, outputs.get(sources[i]!) ?? null]));
}


/** The DAG states of several executions' task runs (what domain/dag.ts decides from), by execution, in plan order. */
async function readDagStates(c: SqlClient, ids: readonly string[]): Promise<Map<string, TaskState[]>> {
  const rows = await c.query<TaskState & { executionId: string }>(
    `SELECT "executionId", key, "dependsOn", status, fallback, "replacedBy" FROM "TaskRun" WHERE "executionId" = ANY($1::uuid[]) ORDER BY "executionId", position`,
    [ids],
  );
  const byExecution = new Map<string, TaskState[]>(ids.map((id) => [id, []]));
  for (const { executionId, ...task } of rows) byExecution.get(executionId)!.push(task);
  return byExecution;
}
