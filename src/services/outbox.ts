import type { SqlClient } from "../infra/sql.ts";
import type { ExecutionStats } from "../domain/progress.ts";
import { assertExecutionTransition, type ExecutionStatus } from "../domain/status.ts";
import type { EventRow, ExecutionEventType, ExecutionUpdate, MessageLevel, MessageRow } from "./updates.ts";

// The outbox: every state change of an execution appends its events here, in the transaction that
// made the change, under the execution row's lock, so seqs are gap-free and ordered. The caller
// publishes the returned updates after commit.

export interface LockedExecution {
  id: string;
  status: ExecutionStatus;
  lastSeq: number;
  startedAt: Date | null;
  completedAt: Date | null;
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

export interface ExecutionPatch {
  startedAt?: Date;
  completedAt?: Date;
  result?: unknown;
  error?: unknown;
}

/** Locks the execution row; every change to an execution or its task runs starts here. */
export async function lockExecution(c: SqlClient, id: string): Promise<LockedExecution | null> {
  const rows = await c.query<LockedExecution>(
    `SELECT id, status, "lastSeq", "startedAt", "completedAt" FROM "Execution" WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

async function readStats(c: SqlClient, exec: LockedExecution, startedAt: Date | null, endedAt: Date | null): Promise<ExecutionStats> {
  const [row] = await c.query<Omit<ExecutionStats, "startedAt" | "endedAt">>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status = 'WAITING')::int AS waiting,
            count(*) FILTER (WHERE status IN ('READY', 'RETRYING'))::int AS ready,
            count(*) FILTER (WHERE status = 'RUNNING')::int AS running,
            count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed,
            count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
            count(*) FILTER (WHERE status = 'TIMED_OUT')::int AS "timedOut",
            count(*) FILTER (WHERE status = 'SKIPPED')::int AS skipped,
            count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled,
            coalesce(sum(extract(epoch FROM ("finishedAt" - "startedAt")) * 1000)
                     FILTER (WHERE "finishedAt" IS NOT NULL AND "startedAt" IS NOT NULL), 0)::float8 AS "busyMs",
            (array_agg(key ORDER BY "startedAt" DESC) FILTER (WHERE status = 'RUNNING'))[1] AS "currentTask"
       FROM "TaskRun" WHERE "executionId" = $1`,
    [exec.id],
  );
  return { ...row!, busyMs: Math.round(row!.busyMs), startedAt: startedAt?.toISOString() ?? null, endedAt: endedAt?.toISOString() ?? null };
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
  const startedAt = exec.startedAt ?? patch.startedAt ?? null;
  const completedAt = exec.completedAt ?? patch.completedAt ?? null;
  const stats = await readStats(c, exec, startedAt, completedAt);
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
  await c.query(
    `UPDATE "Execution"
        SET status = $2::"ExecutionStatus", "lastSeq" = $3, stats = $4::jsonb, "startedAt" = $5, "completedAt" = $6,
            result = coalesce($7::jsonb, result), error = coalesce($8::jsonb, error)
      WHERE id = $1`,
    [exec.id, status, seq, JSON.stringify(stats), startedAt, completedAt, json(patch.result), json(patch.error)],
  );
  Object.assign(exec, { status, lastSeq: seq, startedAt, completedAt });
  return updates;
}

async function insertMessages(c: SqlClient, executionId: string, seq: number, messages: readonly NewMessage[], now: Date) {
  // One statement for all messages of the event, whatever their number.
  return c.query<MessageRow>(
    `INSERT INTO "ExecutionMessage" (id, "executionId", seq, level, message, "taskKey", context, timestamp)
     SELECT gen_random_uuid(), $1, $2, m.level::"MessageLevel", m.message, m."taskKey", m.context, m.timestamp
       FROM jsonb_to_recordset($3::jsonb) AS m(level text, message text, "taskKey" text, context jsonb, timestamp timestamptz)
     RETURNING *`,
    [executionId, seq, JSON.stringify(messages.map((m) => ({ ...m, taskKey: m.taskKey ?? null, context: m.context ?? null, timestamp: m.timestamp ?? now })))],
  );
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

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
