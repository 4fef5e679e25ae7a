import { randomUUID } from "node:crypto";
import type { SqlClient } from "../infra/sql.ts";
import { summarizeTasks, type ExecutionStats, type TalliedRun, type TaskTally } from "../domain/progress.ts";
import { assertExecutionTransition, type ExecutionStatus } from "../domain/status.ts";
import { usageOfExecution } from "./resources.ts";
import { satisfiedSql } from "./dependencies.ts";
import { mark, trace } from "../infra/trace.ts";
import type { EventRow, ExecutionEventType, ExecutionUpdate, MessageLevel, MessageRow } from "../domain/updates.ts";

// The outbox: every state change of an execution appends its events here, in the transaction that
// made the change, under the execution row's lock, so seqs are gap-free and ordered. The caller
// publishes the returned updates after commit.

export interface LockedExecution {
  id: string;
  planId: string;
  status: ExecutionStatus;
  lastSeq: number;
  startedAt: Date | null;
  completedAt: Date | null;
  timeoutMs: number | null;
  deadlineAt: Date | null;
  frozenDeadlineMs: number | null;
  pauseRequested: boolean;
  /** Some task declares resource requirements (stats then sum its allocations). */
  usesResources: boolean;
  /** Some execution depends on this one: its end must wake the workers. */
  hasDependants: boolean;
  /** Stats as of lastSeq. */
  stats: ExecutionStats;
}

export interface NewMessage {
  level: MessageLevel;
  message: string;
  taskKey?: string | null;
  context?: unknown;
  timestamp?: Date;
}

export interface NewEvent {
  type: ExecutionEventType;
  taskKey?: string | null;
  message: string;
  data?: unknown;
  messages?: NewMessage[];
  /** Execution status right after this event; defaults to the status before it. */
  status?: ExecutionStatus;
}

/** Execution columns an event changes; undefined keeps a column, null clears it. */
export interface ExecutionPatch {
  startedAt?: Date | null;
  completedAt?: Date | null;
  result?: unknown;
  error?: unknown;
  deadlineAt?: Date | null;
  frozenDeadlineMs?: number | null;
  pauseRequested?: boolean;
  lastCheckpointAt?: Date | null;
}

/** The columns an ExecutionPatch may set, with their SQL types (for the batched UPDATE's recordset). */
const COLUMN_TYPES: Record<string, string> = {
  startedAt: "timestamptz",
  completedAt: "timestamptz",
  result: "jsonb",
  error: "jsonb",
  deadlineAt: "timestamptz",
  frozenDeadlineMs: "int",
  pauseRequested: "boolean",
  lastCheckpointAt: "timestamptz",
};

/** Locks the execution row; every change to an execution or its task runs starts here. */
export async function lockExecution(c: SqlClient, id: string): Promise<LockedExecution | null> {
  return (await lockExecutions(c, [id]))[0] ?? null;
}

const LOCKED_EXECUTION_COLUMNS = ["id", "planId", "status", "lastSeq", "startedAt", "completedAt", "timeoutMs", "deadlineAt", "frozenDeadlineMs", "pauseRequested", "usesResources", "hasDependants", "stats"] as const;

/**
 * A LockedExecution's columns of `alias`, prefixed "x_", for a statement that locks executions while it
 * selects something else (a claim's runs): lockedExecutionsOf reads them back, sparing a second statement.
 */
export const lockedExecutionColumns = (alias: string): string => LOCKED_EXECUTION_COLUMNS.map((col) => `${alias}."${col}" AS "x_${col}"`).join(", ");

/** The distinct executions in rows selected with lockedExecutionColumns, in id order. */
export function lockedExecutionsOf(rows: readonly Record<string, unknown>[]): LockedExecution[] {
  const byId = new Map<string, LockedExecution>();
  for (const row of rows)
    if (!byId.has(row.x_id as string)) byId.set(row.x_id as string, Object.fromEntries(LOCKED_EXECUTION_COLUMNS.map((col) => [col, row[`x_${col}`]])) as unknown as LockedExecution);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Locks several execution rows in one statement, in id order (every locker takes that order: no deadlock). */
export async function lockExecutions(c: SqlClient, ids: readonly string[]): Promise<LockedExecution[]> {
  if (ids.length === 0) return [];
  return c.query<LockedExecution>(
    `SELECT ${LOCKED_EXECUTION_COLUMNS.map((col) => `"${col}"`).join(", ")} FROM "Execution" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
}

/** A TaskTally, and what settle decides from (store/settle.ts). */
export interface ExecutionTally extends TaskTally {
  /** Regular (not fallback) runs. */
  regular: number;
  /** Regular runs not satisfied (dependencies.ts): the execution completes when none is left. */
  unsatisfied: number;
  /** Fallback runs never invoked (WAITING). */
  unusedFallbacks: number;
  /** Once every regular run is satisfied: the sinks (regular runs nothing depends on), in plan order; else null. */
  sinks: { key: string; replacedBy: string | null }[] | null;
}

/**
 * The tallies of several executions' task runs, in one aggregate: the counts, sums and chain lengths the
 * stats need (domain/progress.ts), what settle decides from, and the running runs (few) in full. What it
 * costs grows with the runs an execution holds, but it ships one row per execution, not one per run.
 */
export async function tallyTasks(c: SqlClient, ids: readonly string[]): Promise<Map<string, ExecutionTally>> {
  if (ids.length === 0) return new Map();
  const rows = await c.query<Omit<ExecutionTally, "running"> & { executionId: string; running: (Omit<TalliedRun, "startedAt"> & { startedAt: string | null })[] }>(
    `SELECT "executionId",
            count(*) FILTER (WHERE counted)::int AS total,
            count(*) FILTER (WHERE status = 'WAITING' AND counted)::int AS waiting,
            count(*) FILTER (WHERE status IN ('READY', 'RETRYING'))::int AS ready,
            count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed,
            count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
            count(*) FILTER (WHERE status = 'TIMED_OUT')::int AS "timedOut",
            count(*) FILTER (WHERE status = 'SKIPPED')::int AS skipped,
            count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled,
            coalesce(sum(ms) FILTER (WHERE counted), 0)::float8 AS "busyMs",
            coalesce(sum(CASE WHEN jsonb_typeof(metrics->'cost') = 'number' THEN (metrics->>'cost')::float8 END) FILTER (WHERE counted), 0)::float8 AS cost,
            count(*) FILTER (WHERE status = 'COMPLETED' AND attempt = 1)::int AS "firstTry",
            avg(greatest(ms, 0)) FILTER (WHERE status = 'COMPLETED' AND ms IS NOT NULL)::float8 AS "unitMs",
            max(downstream) FILTER (WHERE status IN ('WAITING', 'READY', 'RETRYING') AND counted) AS "longestQueued",
            coalesce(json_agg(json_build_object('id', id, 'key', key, 'attempt', attempt, 'startedAt', "startedAt", 'progress', progress, 'position', position, 'downstream', downstream))
              FILTER (WHERE status = 'RUNNING'), '[]') AS running,
            count(*) FILTER (WHERE NOT fallback)::int AS regular,
            count(*) FILTER (WHERE NOT fallback AND NOT satisfied)::int AS unsatisfied,
            count(*) FILTER (WHERE fallback AND status = 'WAITING')::int AS "unusedFallbacks",
            CASE WHEN bool_and(satisfied) FILTER (WHERE NOT fallback)
                 THEN json_agg(json_build_object('key', key, 'replacedBy', "replacedBy") ORDER BY position) FILTER (WHERE NOT fallback AND dependants = '{}') END AS sinks
       FROM (SELECT *, NOT (fallback AND status = 'WAITING') AS counted, extract(epoch FROM "finishedAt" - "startedAt")::float8 * 1000 AS ms,
                    CASE WHEN fallback THEN NULL ELSE ${satisfiedSql("r")} END AS satisfied
               FROM "TaskRun" r WHERE "executionId" = ANY($1::uuid[])) t
      GROUP BY "executionId"`,
    [ids],
  );
  return new Map(rows.map(({ executionId, running, ...tally }) => [executionId, { ...tally, running: running.map((r) => ({ ...r, startedAt: r.startedAt ? new Date(r.startedAt) : null })) }]));
}

/** One execution's share of a batch: its events, then the columns they change. */
export interface Append {
  exec: LockedExecution;
  events: readonly NewEvent[];
  patch?: ExecutionPatch;
  /** Its task runs' tally as they stand, when the caller has just taken it (else taken here). */
  tally?: TaskTally;
}

interface Appended {
  append: Append;
  changes: [string, unknown][];
  status: ExecutionStatus;
  seq: number;
  stats: ExecutionStats;
}

/**
 * Appends events (seq lastSeq+1, +2, …) with their messages and the resulting status/stats snapshot,
 * and updates the execution row. Call after the task-run changes of the same transaction.
 */
export async function appendEvents(c: SqlClient, exec: LockedExecution, events: readonly NewEvent[], now: Date, patch: ExecutionPatch = {}): Promise<ExecutionUpdate[]> {
  return appendEventsBatch(c, [{ exec, events, patch }], now);
}

/**
 * appendEvents for several locked executions at once: whatever their number, one aggregate tallies their
 * task runs, one inserts every event, one every message, and one updates the executions per distinct
 * set of patched columns (usually one). Returns the updates in the order given.
 */
export async function appendEventsBatch(c: SqlClient, appends: readonly Append[], now: Date): Promise<ExecutionUpdate[]> {
  if (appends.length === 0) return [];
  const tallies = await tallyTasks(c, appends.filter((a) => !a.tally).map((a) => a.exec.id));
  const events: { executionId: string; seq: number; type: string; taskKey: string | null; message: string; data: unknown; status: string; stats: ExecutionStats }[] = [];
  const messages: Record<string, unknown>[] = [];
  const appended: Appended[] = [];
  for (const append of appends) {
    const { exec, patch = {} } = append;
    const changes = Object.entries(patch).filter(([, v]) => v !== undefined);
    for (const [column] of changes) if (!(column in COLUMN_TYPES)) throw new Error(`not an execution patch column: ${column}`);
    const startedAt = patch.startedAt !== undefined ? patch.startedAt : exec.startedAt;
    const completedAt = patch.completedAt !== undefined ? patch.completedAt : exec.completedAt;
    const resources = exec.usesResources ? await usageOfExecution(c, exec.id, now) : undefined;
    const stats = summarizeTasks(append.tally ?? tallies.get(exec.id)!, { startedAt, endedAt: completedAt, now, resources });
    let status = exec.status;
    let seq = exec.lastSeq;
    for (const e of append.events) {
      // The state machine guards every status change; an illegal one rolls the whole change back.
      if (e.status && e.status !== status) assertExecutionTransition(status, e.status);
      status = e.status ?? status;
      seq += 1;
      events.push({ executionId: exec.id, seq, type: e.type, taskKey: e.taskKey ?? null, message: e.message, data: e.data ?? null, status, stats });
      // Readers order by (seq, timestamp, id): ascending ids keep the logged order where timestamps tie (same ms).
      const ids = (e.messages ?? []).map(() => randomUUID()).sort();
      for (const [i, m] of (e.messages ?? []).entries())
        messages.push({ id: ids[i], executionId: exec.id, seq, level: m.level, message: m.message, taskKey: m.taskKey ?? null, context: m.context ?? null, timestamp: m.timestamp ?? now });
    }
    appended.push({ append, changes, status, seq, stats });
  }
  const { inserted, stored } = await writeAppended(c, events, messages, appended, now);
  for (const { append, changes, status, seq, stats } of appended) Object.assign(append.exec, Object.fromEntries(changes), { status, lastSeq: seq, stats });
  const key = (executionId: string, seq: number) => `${executionId}:${seq}`;
  const byEvent = new Map<string, MessageRow[]>();
  for (const m of [...stored].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const list = byEvent.get(key(m.executionId, m.seq));
    if (list) list.push(m);
    else byEvent.set(key(m.executionId, m.seq), [m]);
  }
  const order = new Map(events.map((e, i) => [key(e.executionId, e.seq), i]));
  return [...inserted]
    .sort((a, b) => order.get(key(a.executionId, a.seq))! - order.get(key(b.executionId, b.seq))!)
    .map((event) => ({ event, messages: byEvent.get(key(event.executionId, event.seq)) ?? [] }));
}

/**
 * One statement: inserts the events and messages and updates the executions (one UPDATE per distinct set
 * of patched columns, usually one), returning the rows as stored (sanitised, jsonb-normalised), so a
 * live update equals its replay from the table.
 */
async function writeAppended(
  c: SqlClient,
  events: readonly object[],
  messages: readonly object[],
  appended: readonly Appended[],
  now: Date,
): Promise<{ inserted: EventRow[]; stored: MessageRow[] }> {
  const groups = new Map<string, Appended[]>();
  for (const a of appended) {
    const shape = a.changes.map(([column]) => column).sort().join(",");
    groups.set(shape, [...(groups.get(shape) ?? []), a]);
  }
  const params: unknown[] = [JSON.stringify(events), now, JSON.stringify(messages)];
  const updates = [...groups].map(([shape, group], i) => {
    const columns = shape ? shape.split(",") : [];
    params.push(JSON.stringify(group.map((a) => ({ id: a.append.exec.id, status: a.status, seq: a.seq, stats: a.stats, ...Object.fromEntries(a.changes) }))));
    return `u${i} AS (
      UPDATE "Execution" e SET status = x.status::"ExecutionStatus", "lastSeq" = x.seq, stats = x.stats${columns.map((col) => `, "${col}" = x."${col}"`).join("")}
        FROM jsonb_to_recordset($${params.length}::jsonb) AS x(id uuid, status text, seq int, stats jsonb${columns.map((col) => `, "${col}" ${COLUMN_TYPES[col]}`).join("")})
       WHERE e.id = x.id RETURNING 1)`;
  });
  const [row] = await c.query<{ events: (Omit<EventRow, "timestamp"> & { timestamp: string })[]; messages: (Omit<MessageRow, "timestamp"> & { timestamp: string })[] }>(
    `WITH ev AS (
       INSERT INTO "ExecutionEvent" (id, "executionId", seq, type, timestamp, "taskKey", message, data, status, stats)
       SELECT gen_random_uuid(), x."executionId", x.seq, x.type::"ExecutionEventType", $2, x."taskKey", x.message, x.data, x.status::"ExecutionStatus", x.stats
         FROM jsonb_to_recordset($1::jsonb) AS x("executionId" uuid, seq int, type text, "taskKey" text, message text, data jsonb, status text, stats jsonb)
       RETURNING *),
     msg AS (
       INSERT INTO "ExecutionMessage" (id, "executionId", seq, level, message, "taskKey", context, timestamp)
       SELECT m.id, m."executionId", m.seq, m.level::"MessageLevel", m.message, m."taskKey", m.context, m.timestamp
         FROM jsonb_to_recordset($3::jsonb) AS m(id uuid, "executionId" uuid, seq int, level text, message text, "taskKey" text, context jsonb, timestamp timestamptz)
       RETURNING *),
     ${updates.join(", ")}
     SELECT (SELECT coalesce(json_agg(ev), '[]') FROM ev) AS events, (SELECT coalesce(json_agg(msg), '[]') FROM msg) AS messages`,
    params,
  );
  return {
    inserted: row!.events.map((e) => ({ ...e, timestamp: new Date(e.timestamp) })),
    stored: row!.messages.map((m) => ({ ...m, timestamp: new Date(m.timestamp) })),
  };
}

/**
 * After commit: fan the updates out, all at once. They go out in order on the bus's one connection, so
 * the batch costs one round trip rather than one per update. A lost publish is repaired by subscribers
 * from the table.
 */
export async function publishUpdates(
  bus: { publish(topic: "executionUpdate", key: string, payload: ExecutionUpdate): Promise<void> },
  updates: readonly ExecutionUpdate[],
  log: { warn(obj: object, msg: string): void },
): Promise<void> {
  if (trace.on) for (const u of updates) mark(u, "committed");
  await Promise.all(
    updates.map((u) =>
      bus.publish("executionUpdate", u.event.executionId, u).catch((err: Error) =>
        log.warn({ err: err.message, executionId: u.event.executionId, seq: u.event.seq }, "publish failed; subscribers will backfill"),
      ),
    ),
  );
}
