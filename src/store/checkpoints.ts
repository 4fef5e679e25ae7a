import { randomUUID } from "node:crypto";
import type { SqlClient } from "../infra/sql.ts";
import { checkpointedKeys, decideAutomaticRestore, planRestore, type CheckpointReason } from "../domain/checkpoint.ts";
import type { TaskState } from "../domain/dag.ts";
import { InvalidTransitionError, NotFoundError } from "../domain/errors.ts";
import { CHECKPOINTABLE_EXECUTION_STATUSES, type TaskStatus } from "../domain/status.ts";
import { notifyControl, notifyReady, recordRunningAttempts } from "./lifecycle.ts";
import { releaseEvents } from "./resources.ts";
import { NOT_WAITING } from "./claim-resources.ts";
import { recountPendingDeps } from "./dependencies.ts";
import { appendEvents, type LockedExecution, type NewEvent } from "./outbox.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";

// Checkpoints of executions (MANUAL: services/checkpoints.ts; PERIODIC: timers.ts; TASK: task-state.ts)
// and restores from them (restoreFromCheckpoint; CHECKPOINT_RESTORE recovery in finish.ts). Each runs
// inside the caller's transaction, after lockExecution, and appends its event through the outbox.

const TASKS = `SELECT key, "dependsOn", status, fallback, "replacedBy" FROM "TaskRun" WHERE "executionId" = $1 ORDER BY position`;

/** Every task's { status output state attempt error replacedBy startedAt finishedAt }, built in SQL (outputs never leave the database). */
const TASK_STATES = `coalesce((SELECT jsonb_object_agg(t.key, jsonb_build_object(
    'status', t.status, 'output', t.output, 'state', t.state, 'attempt', t.attempt, 'error', t.error,
    'replacedBy', t."replacedBy", 'startedAt', t."startedAt", 'finishedAt', t."finishedAt"))
  FROM "TaskRun" t WHERE t."executionId" = e.id), '{}'::jsonb)`;

/**
 * Saves the execution as a checkpoint and appends CHECKPOINT_CREATED; the checkpoint's seq is that
 * event's. `taskKey` names the task whose ctx.checkpoint took it (reason TASK).
 */
export async function takeCheckpoint(
  c: SqlClient,
  exec: LockedExecution,
  now: Date,
  reason: CheckpointReason,
  taskKey: string | null = null,
): Promise<{ id: string; updates: ExecutionUpdate[] }> {
  const tasks = await c.query<TaskState>(TASKS, [exec.id]);
  const completed = checkpointedKeys(tasks);
  const id = randomUUID();
  await c.query(
    `INSERT INTO "Checkpoint" (id, "executionId", seq, reason, "createdAt", "completedTasks", "taskStates", variables, "resourceAllocations")
     SELECT $2, e.id, $3, $4, $5, $6::text[], ${TASK_STATES}, e.params,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'resourceId', a."resourceId", 'taskKey', a."taskKey", 'amount', a.amount) ORDER BY a.id), '[]'::jsonb)
               FROM "ResourceAllocation" a WHERE a."executionId" = e.id AND a."releasedAt" IS NULL)
       FROM "Execution" e WHERE e.id = $1`,
    [exec.id, id, exec.lastSeq + 1, reason, now, completed],
  );
  const event: NewEvent = {
    type: "CHECKPOINT_CREATED",
    taskKey,
    message: `checkpoint (${reason}${taskKey ? ` by task ${taskKey}` : ""}): ${completed.length} of ${tasks.length} task(s) done`,
    data: { checkpointId: id, reason, completedTasks: completed },
  };
  return { id, updates: await appendEvents(c, exec, [event], now, { lastCheckpointAt: now }) };
}

export interface RestoreOptions {
  /** CHECKPOINT_RESTORE recovery (counted against CHECKPOINT_LIMITS.maxAutomaticRestores), not a user's call. */
  automatic: boolean;
  /** Events that precede RECOVERY_INITIATED (the TASK_FAILED that led to it). */
  before?: NewEvent[];
  taskKey?: string | null;
  /** Why it was restored (recovery: the decision's reason). */
  reason?: string;
  /** More event data (recovery: the rule). */
  data?: Record<string, unknown>;
}

/**
 * Rewinds the execution to a checkpoint: tasks done in it get back their status, output and state
 * and do not run again; every other task is reset (READY when its dependencies are done, else WAITING)
 * with the checkpoint's saved state and a fresh retry budget. Running handlers are revoked (their
 * attempts end CANCELLED with code RESTORED). The execution becomes PENDING with its end cleared, and
 * RECOVERY_INITIATED { checkpointId, seq } continues its history. Throws a typed error before writing
 * anything when the restore does not apply.
 */
export async function restoreCheckpoint(c: SqlClient, exec: LockedExecution, checkpointId: string, now: Date, opts: RestoreOptions): Promise<ExecutionUpdate[]> {
  if (!CHECKPOINTABLE_EXECUTION_STATUSES.includes(exec.status))
    throw new InvalidTransitionError("execution", exec.status, "PENDING", "it has not started, so there is nothing to restore");
  const [cp] = await c.query<{ seq: number; completedTasks: string[]; saved: Record<string, { status: TaskStatus; replacedBy: string | null }> }>(
    `SELECT seq, "completedTasks",
            (SELECT coalesce(jsonb_object_agg(key, jsonb_build_object('status', value->'status', 'replacedBy', value->'replacedBy')), '{}'::jsonb)
               FROM jsonb_each("taskStates")) AS saved
       FROM "Checkpoint" WHERE id = $1 AND "executionId" = $2`,
    [checkpointId, exec.id],
  );
  if (!cp) throw new NotFoundError("Checkpoint", checkpointId);
  const plan = planRestore(await c.query<TaskState>(TASKS, [exec.id]), { completedTasks: cp.completedTasks, saved: cp.saved });
  if ("nothingToRun" in plan)
    throw new InvalidTransitionError("execution", exec.status, "PENDING", `every task was done in checkpoint ${checkpointId}: nothing would run again`);

  await recordRunningAttempts(c, exec.id, "CANCELLED", now, { code: "RESTORED", message: `the execution was restored from checkpoint ${checkpointId}` });
  await c.query(
    `UPDATE "TaskRun" t SET status = (s->>'status')::"TaskStatus", output = nullif(s->'output', 'null'::jsonb), error = nullif(s->'error', 'null'::jsonb),
            "replacedBy" = s->>'replacedBy', state = nullif(s->'state', 'null'::jsonb),
            "startedAt" = (s->>'startedAt')::timestamptz, "finishedAt" = (s->>'finishedAt')::timestamptz,
            "nextAttemptAt" = NULL, "frozenDelayMs" = NULL, progress = NULL, phase = NULL, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, ${NOT_WAITING}
       FROM "Checkpoint" cp, jsonb_each(cp."taskStates") AS saved(key, s)
      WHERE cp.id = $2 AND t."executionId" = $1 AND t.key = saved.key AND t.key = ANY($3::text[])`,
    [exec.id, checkpointId, plan.kept],
  );
  await c.query(
    `UPDATE "TaskRun" t SET status = (CASE WHEN t.key = ANY($4::text[]) THEN 'READY' ELSE 'WAITING' END)::"TaskStatus",
            "readyAt" = CASE WHEN t.key = ANY($4::text[]) THEN $5::timestamptz END,
            state = nullif(cp."taskStates"->t.key->'state', 'null'::jsonb), "attemptBase" = t.attempt,
            output = NULL, error = NULL, "replacedBy" = NULL, "startedAt" = NULL, "finishedAt" = NULL, "nextAttemptAt" = NULL, "frozenDelayMs" = NULL,
            progress = NULL, phase = NULL, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, ${NOT_WAITING}
       FROM "Checkpoint" cp
      WHERE cp.id = $2 AND t."executionId" = $1 AND t.key = ANY($3::text[])`,
    [exec.id, checkpointId, plan.reset, plan.ready, now],
  );
  await recountPendingDeps(c, exec.id);
  await notifyControl(c, exec.id); // handlers of runs that were running: their lease is gone, so they are revoked
  await notifyReady(c, exec.id);
  const released = await releaseEvents(c, exec, {}, `restored from checkpoint ${checkpointId}`, now);
  const how = `restored from checkpoint ${checkpointId} (seq ${cp.seq}): ${plan.kept.length} task(s) kept, ${plan.reset.length} to run again`;
  const event: NewEvent = {
    type: "RECOVERY_INITIATED",
    taskKey: opts.taskKey ?? null,
    status: "PENDING",
    message: opts.taskKey ? `${opts.taskKey}: CHECKPOINT_RESTORE (${opts.reason ?? "recovery"}): ${how}` : `execution ${how}`,
    data: { ...opts.data, action: "CHECKPOINT_RESTORE", ...(opts.reason ? { reason: opts.reason } : {}), checkpointId, seq: cp.seq, automatic: opts.automatic, kept: plan.kept, reset: plan.reset },
  };
  return appendEvents(c, exec, [...(opts.before ?? []), ...released, event], now, {
    startedAt: null,
    completedAt: null,
    result: null,
    error: null,
    deadlineAt: null,
    frozenDeadlineMs: null,
    pauseRequested: false,
  });
}

/**
 * CHECKPOINT_RESTORE recovery: restores the execution's newest checkpoint (the same restore as
 * restoreFromCheckpoint), or says why it cannot (no checkpoint, automatic restores exhausted, nothing
 * to run again) so that the caller aborts instead.
 */
export async function restoreLatestCheckpoint(
  c: SqlClient,
  exec: LockedExecution,
  now: Date,
  opts: Omit<RestoreOptions, "automatic">,
): Promise<{ updates: ExecutionUpdate[] } | { refused: string }> {
  const [row] = await c.query<{ latest: string | null; restores: number }>(
    `SELECT (SELECT id FROM "Checkpoint" WHERE "executionId" = $1 ORDER BY seq DESC LIMIT 1) AS latest,
            (SELECT count(*)::int FROM "ExecutionEvent" WHERE "executionId" = $1 AND type = 'RECOVERY_INITIATED'
                AND data->>'action' = 'CHECKPOINT_RESTORE' AND data->>'automatic' = 'true') AS restores`,
    [exec.id],
  );
  const verdict = decideAutomaticRestore({ latestCheckpointId: row?.latest ?? null, automaticRestores: row?.restores ?? 0 });
  if ("abort" in verdict) return { refused: verdict.abort };
  try {
    return { updates: await restoreCheckpoint(c, exec, verdict.restore, now, { ...opts, automatic: true }) };
  } catch (err) {
    if (err instanceof InvalidTransitionError) return { refused: err.message };
    throw err;
  }
}

/** The execution a checkpoint belongs to, or null when there is no such checkpoint. */
export async function checkpointExecutionId(c: SqlClient, checkpointId: string): Promise<string | null> {
  const [cp] = await c.query<{ executionId: string }>(`SELECT "executionId" FROM "Checkpoint" WHERE id = $1`, [checkpointId]);
  return cp?.executionId ?? null;
}
