import type { Sql, SqlClient } from "../infra/sql.ts";
import { readyKeys, sinkKeys } from "../domain/dag.ts";
import { assertTaskTransition, OPEN_TASK_STATUSES, type TaskStatus } from "../domain/status.ts";
import { appendEvents, lockExecution, type LockedExecution, type NewEvent, type NewMessage } from "../services/outbox.ts";
import { TASK_READY_CHANNEL } from "../services/context.ts";
import type { ExecutionUpdate } from "../services/updates.ts";
import type { ClaimedRun } from "./claim.ts";

/** What ending a run records: a completion, or a failure (TIMED_OUT is a failure with its own status). */
export type RunEnd =
  | { kind: "completed"; output: unknown; messages: NewMessage[] }
  | { kind: "failed"; status: Extract<TaskStatus, "FAILED" | "TIMED_OUT">; error: TaskError; messages: NewMessage[] };

export interface TaskError {
  code: string;
  message: string;
  recoverable: boolean;
  context?: Record<string, unknown>;
}

interface Ctx {
  sql: Sql;
  workerId: string;
  now: Date;
}

/**
 * Records the end of a run, if this worker still holds its lease (exactly-once completion), then
 * readies the dependants, or ends the execution. Returns the updates to publish; none when the lease
 * was lost (the run was cancelled or taken over meanwhile).
 */
export async function finishRun(ctx: Ctx, run: ClaimedRun, end: RunEnd): Promise<ExecutionUpdate[]> {
  return ctx.sql.tx(async (c) => {
    const exec = await lockExecution(c, run.executionId);
    if (!exec) return [];
    const status = end.kind === "completed" ? "COMPLETED" : end.status;
    assertTaskTransition("RUNNING", status);
    const held = await c.query(
      `UPDATE "TaskRun" SET status = $3::"TaskStatus", output = $4::jsonb, error = $5::jsonb, "finishedAt" = $6,
              "leaseOwner" = NULL, "leaseExpiresAt" = NULL
        WHERE id = $1 AND "leaseOwner" = $2 AND status = 'RUNNING' RETURNING id`,
      [run.id, ctx.workerId, status, end.kind === "completed" ? JSON.stringify(end.output ?? null) : null,
        end.kind === "failed" ? JSON.stringify({ ...end.error, timestamp: ctx.now.toISOString() }) : null, ctx.now],
    );
    if (held.length === 0) return [];
    return end.kind === "completed" ? afterCompletion(c, ctx, exec, run, end.messages) : afterFailure(c, ctx, exec, run, end);
  });
}

async function afterCompletion(c: SqlClient, ctx: Ctx, exec: LockedExecution, run: ClaimedRun, messages: NewMessage[]) {
  const tasks = await c.query<{ key: string; dependsOn: string[]; status: TaskStatus; output: unknown }>(
    `SELECT key, "dependsOn", status, output FROM "TaskRun" WHERE "executionId" = $1`,
    [exec.id],
  );
  const events: NewEvent[] = [{ type: "TASK_COMPLETED", taskKey: run.key, message: `task ${run.key} completed`, messages }];
  const ready = readyKeys(tasks);
  if (ready.length > 0) {
    await c.query(
      `UPDATE "TaskRun" SET status = 'READY', "readyAt" = $3 WHERE "executionId" = $1 AND key = ANY($2::text[]) AND status = 'WAITING'`,
      [exec.id, ready, ctx.now],
    );
    await c.query(`SELECT pg_notify($1, $2)`, [TASK_READY_CHANNEL, exec.id]);
  }
  if (tasks.every((t) => t.status === "COMPLETED")) {
    const outputs = new Map(tasks.map((t) => [t.key, t.output]));
    const result = Object.fromEntries(sinkKeys(tasks).map((k) => [k, outputs.get(k) ?? null]));
    events.push({ type: "EXECUTION_COMPLETED", status: "COMPLETED", message: `execution completed: ${tasks.length} tasks` });
    return appendEvents(c, exec, events, ctx.now, { completedAt: ctx.now, result });
  }
  return appendEvents(c, exec, events, ctx.now);
}

/** A failed task fails its execution: every open task run is cancelled (retries arrive with policies). */
async function afterFailure(c: SqlClient, ctx: Ctx, exec: LockedExecution, run: ClaimedRun, end: Extract<RunEnd, { kind: "failed" }>) {
  await c.query(
    `UPDATE "TaskRun" SET status = 'CANCELLED', "finishedAt" = CASE WHEN status = 'RUNNING' THEN $3::timestamptz ELSE NULL END,
            "leaseOwner" = NULL, "leaseExpiresAt" = NULL
      WHERE "executionId" = $1 AND status = ANY($2::text[]::"TaskStatus"[])`,
    [exec.id, OPEN_TASK_STATUSES, ctx.now],
  );
  const verb = end.status === "TIMED_OUT" ? "timed out" : "failed";
  const error = { ...end.error, taskRunId: run.id, taskKey: run.key, timestamp: ctx.now.toISOString() };
  return appendEvents(c, exec, [
    {
      type: "TASK_FAILED",
      taskKey: run.key,
      message: `task ${run.key} ${verb}: ${end.error.message}`,
      data: { status: end.status, code: end.error.code },
      messages: [...end.messages, { level: "ERROR", message: end.error.message, taskKey: run.key, context: { code: end.error.code, ...end.error.context } }],
    },
    { type: "EXECUTION_FAILED", status: "FAILED", message: `execution failed: task ${run.key} ${verb}` },
  ], ctx.now, { completedAt: ctx.now, error });
}

/** Shutdown: hands a run back to the queue (READY again, attempt not counted) for another worker. */
export async function releaseRun(ctx: Ctx, run: ClaimedRun): Promise<ExecutionUpdate[]> {
  return ctx.sql.tx(async (c) => {
    const exec = await lockExecution(c, run.executionId);
    if (!exec) return [];
    const held = await c.query(
      `UPDATE "TaskRun" SET status = 'READY', "readyAt" = $3, attempt = attempt - 1, "startedAt" = NULL,
              "leaseOwner" = NULL, "leaseExpiresAt" = NULL
        WHERE id = $1 AND "leaseOwner" = $2 AND status = 'RUNNING' RETURNING id`,
      [run.id, ctx.workerId, ctx.now],
    );
    if (held.length === 0) return [];
    await c.query(`SELECT pg_notify($1, $2)`, [TASK_READY_CHANNEL, exec.id]);
    return appendEvents(c, exec, [{ type: "TASK_RELEASED", taskKey: run.key, message: `task ${run.key} released by a stopping worker` }], ctx.now);
  });
}
