import type { SqlClient } from "../infra/sql.ts";
import { OPEN_TASK_STATUSES, RETRYABLE_TASK_STATUSES, type ExecutionStatus } from "../domain/status.ts";
import { readyKeys, retryKeys, type TaskState } from "../domain/dag.ts";
import { CONTROL_CHANNEL, TASK_READY_CHANNEL } from "./channels.ts";
import { releaseEvents } from "./resources.ts";
import { NOT_WAITING } from "./claim-resources.ts";
import { appendEvents, type LockedExecution, type NewEvent } from "./outbox.ts";
import type { ExecutionEventType, ExecutionUpdate } from "../domain/updates.ts";

// Execution-wide state changes shared by the control mutations (api) and the engine (worker). Each runs
// inside the caller's transaction, after lockExecution.

export interface Failure {
  code: string;
  message: string;
  recoverable?: boolean;
  taskRunId?: string;
  taskKey?: string;
  context?: Record<string, unknown>;
}

/** Keeps the finished attempt of every run that is RUNNING and matches the filter, before its row changes. */
export async function recordRunningAttempts(c: SqlClient, executionId: string, status: "CANCELLED" | "TIMED_OUT", now: Date, error: Failure | null): Promise<void> {
  await c.query(
    `INSERT INTO "TaskAttempt" (id, "taskRunId", attempt, status, worker, "startedAt", "finishedAt", error)
     SELECT gen_random_uuid(), id, attempt, $2::"TaskStatus", "leaseOwner", "startedAt", $3, $4::jsonb
       FROM "TaskRun" WHERE "executionId" = $1 AND status = 'RUNNING'
     ON CONFLICT ("taskRunId", attempt) DO NOTHING`,
    [executionId, status, now, error ? JSON.stringify({ ...error, timestamp: now.toISOString() }) : null],
  );
}

/**
 * Ends an execution as FAILED or CANCELLED: every open run is cancelled (running handlers are told
 * through CONTROL_CHANNEL and abort), the error is stored, and `before` events precede the final one.
 */
export async function endExecution(
  c: SqlClient,
  exec: LockedExecution,
  now: Date,
  end: { status: Extract<ExecutionStatus, "FAILED" | "CANCELLED">; type: ExecutionEventType; message: string; error: Failure; before?: NewEvent[] },
): Promise<ExecutionUpdate[]> {
  await recordRunningAttempts(c, exec.id, "CANCELLED", now, { code: "CANCELLED", message: end.message });
  await c.query(
    `UPDATE "TaskRun" SET status = 'CANCELLED', "finishedAt" = CASE WHEN status = 'RUNNING' THEN $3::timestamptz ELSE "finishedAt" END,
            "nextAttemptAt" = NULL, "frozenDelayMs" = NULL, "leaseOwner" = NULL, "leaseExpiresAt" = NULL
      WHERE "executionId" = $1 AND status = ANY($2::text[]::"TaskStatus"[]) AND NOT (fallback AND status = 'WAITING')`,
    [exec.id, OPEN_TASK_STATUSES, now],
  );
  await notifyControl(c, exec.id);
  if (exec.hasDependants) await notifyReady(c, exec.id); // the workers fail its dependants
  const released = await releaseEvents(c, exec, {}, `execution ${end.status.toLowerCase()}`, now);
  const error = { ...end.error, recoverable: end.error.recoverable ?? false, timestamp: now.toISOString() };
  return appendEvents(c, exec, [...(end.before ?? []), ...released, { type: end.type, status: end.status, message: end.message }], now, {
    completedAt: now,
    error,
    deadlineAt: null,
    frozenDeadlineMs: null,
    pauseRequested: false,
  });
}

/** How many of the execution's runs are RUNNING (a pause waits for them). */
export async function countRunning(c: SqlClient, executionId: string): Promise<number> {
  const [{ running }] = (await c.query<{ running: number }>(`SELECT count(*)::int AS running FROM "TaskRun" WHERE "executionId" = $1 AND status = 'RUNNING'`, [executionId])) as [{ running: number }];
  return running;
}

/**
 * retryExecution's reset: the failed, timed-out and cancelled runs and their dependants go back to WAITING
 * with a fresh retry budget (completed outputs stay), those whose dependencies are satisfied to READY, and
 * the workers are woken. Returns the keys run again. The dependency counters need no recount: the runs
 * reset were none of them satisfied, and are not now.
 */
export async function rerunTasks(c: SqlClient, executionId: string, now: Date): Promise<string[]> {
  const read = () => c.query<TaskState>(`SELECT key, "dependsOn", status, fallback, "replacedBy" FROM "TaskRun" WHERE "executionId" = $1`, [executionId]);
  const keys = retryKeys(await read(), RETRYABLE_TASK_STATUSES);
  await c.query(
    `UPDATE "TaskRun" SET status = 'WAITING', error = NULL, output = NULL, "startedAt" = NULL, "finishedAt" = NULL, "readyAt" = NULL,
            "nextAttemptAt" = NULL, "frozenDelayMs" = NULL, "replacedBy" = NULL, progress = NULL, phase = NULL, "attemptBase" = attempt,
            ${NOT_WAITING}
      WHERE "executionId" = $1 AND key = ANY($2::text[])`,
    [executionId, keys],
  );
  // Ready the ones whose dependencies are all satisfied (dependency-free ones included).
  await c.query(`UPDATE "TaskRun" SET status = 'READY', "readyAt" = $3 WHERE "executionId" = $1 AND key = ANY($2::text[])`, [executionId, readyKeys(await read()), now]);
  await notifyReady(c, executionId);
  return keys;
}

/** Wakes workers: runs may have become ready, or executions waiting on this one may start or fail. */
export async function notifyReady(c: SqlClient, executionId: string): Promise<void> {
  await c.query(`SELECT pg_notify($1, $2)`, [TASK_READY_CHANNEL, executionId]);
}

/** Tells workers to re-check their runs of this execution (cancelled, ended or paused). */
export async function notifyControl(c: SqlClient, executionId: string): Promise<void> {
  await c.query(`SELECT pg_notify($1, $2)`, [CONTROL_CHANNEL, executionId]);
}

/** PAUSED: the execution deadline and retry delays stop running; they keep their remaining time. */
export async function freezeTimers(c: SqlClient, exec: LockedExecution, now: Date): Promise<{ deadlineAt: null; frozenDeadlineMs: number | null }> {
  await c.query(
    `UPDATE "TaskRun" SET "frozenDelayMs" = greatest(0, (extract(epoch FROM ("nextAttemptAt" - $2::timestamptz)) * 1000)::int), "nextAttemptAt" = NULL
      WHERE "executionId" = $1 AND status = 'RETRYING' AND "nextAttemptAt" IS NOT NULL`,
    [exec.id, now],
  );
  return { deadlineAt: null, frozenDeadlineMs: exec.deadlineAt ? Math.max(0, exec.deadlineAt.getTime() - now.getTime()) : exec.frozenDeadlineMs };
}

/** Resumed: timers restart from their remaining time. */
export async function thawTimers(c: SqlClient, exec: LockedExecution, now: Date): Promise<{ deadlineAt: Date | null; frozenDeadlineMs: null }> {
  await c.query(
    `UPDATE "TaskRun" SET "nextAttemptAt" = $2::timestamptz + make_interval(secs => "frozenDelayMs" / 1000.0), "frozenDelayMs" = NULL
      WHERE "executionId" = $1 AND status = 'RETRYING' AND "frozenDelayMs" IS NOT NULL`,
    [exec.id, now],
  );
  return { deadlineAt: exec.frozenDeadlineMs !== null ? new Date(now.getTime() + exec.frozenDeadlineMs) : exec.deadlineAt, frozenDeadlineMs: null };
}
