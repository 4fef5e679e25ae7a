import { randomUUID } from "node:crypto";
import type { SqlClient } from "../infra/sql.ts";
import { summarizeTasks, type ExecutionStats, type TaskSnapshot } from "../domain/progress.ts";
import { assertExecutionTransition, type ExecutionStatus } from "../domain/status.ts";
import { usageOfExecution } from "./resources.ts";
import type { EventRow, ExecutionEventType, ExecutionUpdate, MessageLevel, MessageRow } from "../services/updates.ts";

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

const PATCH_COLUMNS = new Set(["startedAt", "completedAt", "result", "error", "deadlineAt", "frozenDeadlineMs", "pauseRequested", "lastCheckpointAt"]);
const JSON_COLUMNS = new Set(["result", "error"]);

/** Locks the execution row; every change to an execution or its task runs starts here. */
export async function lockExecution(c: SqlClient, id: string): Promise<LockedExecution | null> {
  const rows = await c.query<LockedExecution>(
    `SELECT id, "planId", status, "lastSeq", "startedAt", "completedAt", "timeoutMs", "deadlineAt", "frozenDeadlineMs", "pauseRequested", "usesResources", stats
       FROM "Execution" WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

async function readStats(c: SqlClient, exec: LockedExecution, startedAt: Date | null, endedAt: Date | null, now: Date): Promise<ExecutionStats> {
  const tasks = await c.query<TaskSnapshot>(
    `SELECT key, "dependsOn", status, "startedAt", "finishedAt", fallback, progress, attempt, metrics FROM "TaskRun" WHERE "executionId" = $1`,
    [exec.id],
  );
  const resources = exec.usesResources ? await usageOfExecution(c, exec.id, now) : undefined;
  return summarizeTasks(tasks, { startedAt, endedAt, now, resources });
}

/**
 * Appends events (seq lastSeq+1, +2, …) with their messages and the resulting status/stats snapshot,
 * and updates the execution row. Call after the task-run changes of the same transaction.
 */
export async function appendEvents(
  c: SqlClient,
  exec: LockedExecution,
  events: readonly NewEvent[],
  now: Date,
  patch: ExecutionPatch = {},
): Promise<ExecutionUpdate[]> {
  const startedAt = patch.startedAt !== undefined ? patch.startedAt : exec.startedAt;
  const completedAt = patch.completedAt !== undefined ? patch.completedAt : exec.completedAt;
  const stats = await readStats(c, exec, startedAt, completedAt, now);
  let status = exec.status;
  let seq = exec.lastSeq;
  const updates: ExecutionUpdate[] = [];
  for (const e of events) {
    // The state machine guards every status change; an illegal one rolls the whole change back.
    if (e.status && e.status !== status) assertExecutionTransition(status, e.status);
    status = e.status ?? status;
    seq += 1;
    const [event] = await c.query<EventRow>(
      `INSERT INTO "ExecutionEvent" (id, "executionId", seq, type, timestamp, "taskKey", message, data, status, stats)
       VALUES (gen_random_uuid(), $1, $2, $3::"ExecutionEventType", $4, $5, $6, $7::jsonb, $8::"ExecutionStatus", $9::jsonb)
       RETURNING *`,
      [exec.id, seq, e.type, now, e.taskKey ?? null, e.message, json(e.data), status, JSON.stringify(stats)],
    );
    const messages = e.messages?.length ? await insertMessages(c, exec.id, seq, e.messages, now) : [];
    updates.push({ event: event!, messages });
  }
  const changes = Object.entries(patch).filter(([, v]) => v !== undefined);
  for (const [column] of changes) if (!PATCH_COLUMNS.has(column)) throw new Error(`not an execution patch column: ${column}`);
  const params: unknown[] = [exec.id, status, seq, JSON.stringify(stats)];
  const sets = changes.map(([column, value]) => {
    params.push(JSON_COLUMNS.has(column) ? json(value) : value);
    return `"${column}" = $${params.length}${JSON_COLUMNS.has(column) ? "::jsonb" : ""}`;
  });
  await c.query(
    `UPDATE "Execution" SET status = $2::"ExecutionStatus", "lastSeq" = $3, stats = $4::jsonb${sets.map((x) => `, ${x}`).join("")} WHERE id = $1`,
    params,
  );
  Object.assign(exec, Object.fromEntries(changes), { status, lastSeq: seq, stats });
  return updates;
}

async function insertMessages(c: SqlClient, executionId: string, seq: number, messages: readonly NewMessage[], now: Date) {
  // Readers order by (seq, timestamp, id): ascending ids keep the logged order where timestamps tie (same ms).
  const ids = messages.map(() => randomUUID()).sort();
  // One statement for all messages of the event, whatever their number.
  return c.query<MessageRow>(
    `INSERT INTO "ExecutionMessage" (id, "executionId", seq, level, message, "taskKey", context, timestamp)
     SELECT m.id, $1, $2, m.level::"MessageLevel", m.message, m."taskKey", m.context, m.timestamp
       FROM jsonb_to_recordset($3::jsonb) AS m(id uuid, level text, message text, "taskKey" text, context jsonb, timestamp timestamptz)
     RETURNING *`,
    [executionId, seq, JSON.stringify(messages.map((m, i) => ({ ...m, id: ids[i], taskKey: m.taskKey ?? null, context: m.context ?? null, timestamp: m.timestamp ?? now })))],
  );
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** After commit: fan the updates out. A lost publish is repaired by subscribers from the table. */
export async function publishUpdates(
  bus: { publish(topic: "executionUpdate", key: string, payload: ExecutionUpdate): Promise<void> },
  updates: readonly ExecutionUpdate[],
  log: { warn(obj: object, msg: string): void },
): Promise<void> {
  for (const u of updates) {
    await bus.publish("executionUpdate", u.event.executionId, u).catch((err: Error) =>
      log.warn({ err: err.message, executionId: u.event.executionId, seq: u.event.seq }, "publish failed; subscribers will backfill"),
    );
  }
}
