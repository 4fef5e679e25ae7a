import type { Sql, SqlClient } from "../infra/sql.ts";
import { allSatisfied, readyKeys, sinkKeys, type TaskState } from "../domain/dag.ts";
import { decideRecovery, type RecoveryDecision, type RecoveryRule } from "../domain/recovery.ts";
import { normalizeRetryPolicy, type RetryPolicyInput } from "../domain/retry.ts";
import { assertTaskTransition, type TaskStatus } from "../domain/status.ts";
import { appendEvents, lockExecution, type LockedExecution, type NewEvent, type NewMessage } from "./outbox.ts";
import { endExecution, freezeTimers, notifyReady } from "./lifecycle.ts";
import { releaseEvents } from "./resources.ts";
import { restoreLatestCheckpoint } from "../services/checkpoints.ts";
import type { ExecutionUpdate } from "../services/updates.ts";
import type { ClaimedRun } from "./claim.ts";

/** How a run ended: a completion, or a failure (TIMED_OUT is a failure with its own status). */
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
  /** The lease holder the end is recorded for. */
  workerId: string;
  now: Date;
  random: () => number;
  /** Reclaiming: only if the lease expired before this time (its holder did not renew meanwhile). */
  expiredBefore?: Date;
}

/**
 * Records the end of a run, if this worker still holds its lease for this attempt (exactly-once
 * completion; a restore may have handed the same run to a new attempt meanwhile), keeps the attempt,
 * applies the recovery decision to a failure, then settles the execution. Returns the updates
 * to publish; none when the lease was lost (the run was cancelled or taken over meanwhile).
 */
export async function finishRun(ctx: Ctx, run: ClaimedRun, end: RunEnd, metrics: Record<string, number>): Promise<ExecutionUpdate[]> {
  return ctx.sql.tx(async (c) => {
    const exec = await lockExecution(c, run.executionId);
    if (!exec) return [];
    const status = end.kind === "completed" ? "COMPLETED" : end.status;
    assertTaskTransition("RUNNING", status);
    const error = end.kind === "failed" ? { ...end.error, taskRunId: run.id, taskKey: run.key, timestamp: ctx.now.toISOString() } : null;
    const held = await c.query(
      `WITH ended AS (
         UPDATE "TaskRun" SET status = $3::"TaskStatus", output = $4::jsonb, error = $5::jsonb, "finishedAt" = $6, metrics = $7::jsonb,
                "leaseOwner" = NULL, "leaseExpiresAt" = NULL
          WHERE id = $1 AND "leaseOwner" = $2 AND status = 'RUNNING' AND attempt = $9 AND ($8::timestamptz IS NULL OR "leaseExpiresAt" < $8)
          RETURNING id, attempt, "startedAt")
       INSERT INTO "TaskAttempt" (id, "taskRunId", attempt, status, worker, "startedAt", "finishedAt", error)
       SELECT gen_random_uuid(), id, attempt, $3::"TaskStatus", $2, "startedAt", $6, $5::jsonb FROM ended RETURNING id`,
      [run.id, ctx.workerId, status, end.kind === "completed" ? JSON.stringify(end.output ?? null) : null, error ? JSON.stringify(error) : null, ctx.now,
        Object.keys(metrics).length ? JSON.stringify(metrics) : null, ctx.expiredBefore ?? null, run.attempt],
    );
    if (held.length === 0) return [];
    // Its resources go back in the same transaction; the release events join the run's own.
    const released = await releaseEvents(c, exec, { taskRunIds: [run.id] }, releaseReason(end), ctx.now);
    if (end.kind === "completed")
      return settle(c, ctx.now, exec, [...released, { type: "TASK_COMPLETED", taskKey: run.key, message: `task ${run.key} completed`, messages: end.messages }]);
    return recover(c, ctx, exec, run, end, released);
  });
}

const releaseReason = (end: RunEnd): string =>
  end.kind === "completed" ? "completed" : end.status === "TIMED_OUT" ? "timed out" : end.error.code === "LEASE_EXPIRED" ? "lease lost" : "failed";

/** Applies the task's recovery rules / retry policy to a failed attempt (domain/recovery.ts decides). */
async function recover(c: SqlClient, ctx: Ctx, exec: LockedExecution, run: ClaimedRun, end: Extract<RunEnd, { kind: "failed" }>, released: NewEvent[]) {
  // The stored policy is already the task's effective one (plan default merged in at createPlan).
  const policy = normalizeRetryPolicy(run.retryPolicy as RetryPolicyInput | null, `tasks.${run.key}.retryPolicy`);
  const decision = decideRecovery({ failure: end.error, attempt: run.attempt - run.attemptBase, policy, rules: (run.recovery as RecoveryRule[] | null) ?? [], random: ctx.random });
  const verb = end.status === "TIMED_OUT" ? "timed out" : "failed";
  const failed: NewEvent = {
    type: "TASK_FAILED",
    taskKey: run.key,
    message: `task ${run.key} ${verb} (attempt ${run.attempt}): ${end.error.message}`,
    data: { status: end.status, code: end.error.code, attempt: run.attempt },
    messages: [...end.messages, { level: "ERROR", message: end.error.message, taskKey: run.key, context: { code: end.error.code, attempt: run.attempt, ...end.error.context } }],
  };
  const head = [...released, failed];
  const recovery: NewEvent = { type: "RECOVERY_INITIATED", taskKey: run.key, message: `${run.key}: ${decision.action} (${decision.reason})`, data: describe(decision) };
  switch (decision.action) {
    case "RETRY": {
      const nextAttemptAt = new Date(ctx.now.getTime() + decision.delayMs);
      // While a pause is pending the retry timer starts frozen: it runs once the execution resumes.
      await c.query(
        `UPDATE "TaskRun" SET status = 'RETRYING', "nextAttemptAt" = $2, "frozenDelayMs" = $3 WHERE id = $1`,
        [run.id, exec.pauseRequested ? null : nextAttemptAt, exec.pauseRequested ? decision.delayMs : null],
      );
      const retrying: NewEvent = { type: "TASK_RETRYING", taskKey: run.key, message: `task ${run.key} retries in ${decision.delayMs} ms (retry ${decision.retryNumber})`, data: { delayMs: decision.delayMs, nextAttemptAt, retry: decision.retryNumber } };
      await notifyReady(c, exec.id);
      return settle(c, ctx.now, exec, [...head, recovery, retrying]);
    }
    case "SKIP": {
      await c.query(`UPDATE "TaskRun" SET status = 'SKIPPED' WHERE id = $1`, [run.id]);
      return settle(c, ctx.now, exec, [...head, recovery, { type: "TASK_SKIPPED", taskKey: run.key, message: `task ${run.key} skipped; its dependants go on` }]);
    }
    case "FALLBACK": {
      await c.query(`UPDATE "TaskRun" SET "replacedBy" = $2 WHERE id = $1`, [run.id, decision.fallbackTask]);
      await c.query(`UPDATE "TaskRun" SET status = 'READY', "readyAt" = $3 WHERE "executionId" = $1 AND key = $2 AND status = 'WAITING'`, [exec.id, decision.fallbackTask, ctx.now]);
      await notifyReady(c, exec.id);
      return settle(c, ctx.now, exec, [...head, recovery]);
    }
    case "CHECKPOINT_RESTORE": {
      // The same restore as restoreFromCheckpoint, from the newest checkpoint; the failed run is reset with the others.
      const restored = await restoreLatestCheckpoint(c, exec, ctx.now, { before: head, taskKey: run.key, reason: decision.reason, data: { rule: decision.rule } });
      if ("updates" in restored) return restored.updates;
      const reason = `${decision.reason}, but ${restored.refused}`;
      const abort: NewEvent = { ...recovery, message: `${run.key}: ABORT (${reason})`, data: { action: "ABORT", reason, rule: decision.rule } };
      return endExecution(c, exec, ctx.now, { status: "FAILED", type: "EXECUTION_FAILED", message: `execution failed: task ${run.key} ${verb}`, error: failure(run, end), before: [...head, abort] });
    }
    case "ABORT":
      return endExecution(c, exec, ctx.now, { status: "FAILED", type: "EXECUTION_FAILED", message: `execution failed: task ${run.key} ${verb}`, error: failure(run, end), before: [...head, recovery] });
  }
}

const failure = (run: ClaimedRun, end: Extract<RunEnd, { kind: "failed" }>) => ({
  code: end.error.code,
  message: end.error.message,
  recoverable: end.error.recoverable,
  taskRunId: run.id,
  taskKey: run.key,
  context: { attempt: run.attempt, ...end.error.context },
});

const describe = (d: RecoveryDecision) => ({
  action: d.action,
  reason: d.reason,
  rule: d.rule,
  ...(d.action === "RETRY" ? { delayMs: d.delayMs, retry: d.retryNumber } : {}),
  ...(d.action === "FALLBACK" ? { fallbackTask: d.fallbackTask } : {}),
});

/**
 * After a run changed: readies dependants, completes the execution when every regular task is
 * satisfied, and turns a pending pause into PAUSED once nothing runs. Appends `events` first.
 */
export async function settle(c: SqlClient, now: Date, exec: LockedExecution, events: NewEvent[]): Promise<ExecutionUpdate[]> {
  const tasks = await c.query<TaskState & { output: unknown }>(
    `SELECT key, "dependsOn", status, fallback, "replacedBy", output FROM "TaskRun" WHERE "executionId" = $1 ORDER BY position`,
    [exec.id],
  );
  const ready = readyKeys(tasks);
  if (ready.length > 0) {
    await c.query(`UPDATE "TaskRun" SET status = 'READY', "readyAt" = $3 WHERE "executionId" = $1 AND key = ANY($2::text[]) AND status = 'WAITING'`, [exec.id, ready, now]);
    await notifyReady(c, exec.id);
  }
  if (exec.status !== "COMPLETED" && allSatisfied(tasks)) {
    await c.query(`UPDATE "TaskRun" SET status = 'SKIPPED' WHERE "executionId" = $1 AND fallback AND status = 'WAITING'`, [exec.id]);
    const byKey = new Map(tasks.map((t) => [t.key, t]));
    const outputOf = (k: string) => { const t = byKey.get(k)!; return (t.replacedBy ? byKey.get(t.replacedBy)?.output : t.output) ?? null; };
    const result = Object.fromEntries(sinkKeys(tasks).map((k) => [k, outputOf(k)]));
    await notifyReady(c, exec.id); // executions that depend on this one may start now
    const done: NewEvent = { type: "EXECUTION_COMPLETED", status: "COMPLETED", message: `execution completed: ${tasks.filter((t) => !t.fallback).length} tasks` };
    return appendEvents(c, exec, [...events, done], now, { completedAt: now, result, deadlineAt: null, pauseRequested: false });
  }
  if (exec.pauseRequested && !tasks.some((t) => t.status === "RUNNING")) {
    const timers = await freezeTimers(c, exec, now);
    const paused: NewEvent = { type: "EXECUTION_PAUSED", status: "PAUSED", message: "execution paused: no task is running" };
    return appendEvents(c, exec, [...events, paused], now, { ...timers, pauseRequested: false });
  }
  return appendEvents(c, exec, events, now);
}

/** Shutdown: hands a run back to the queue (READY again, attempt not counted) for another worker. */
export async function releaseRun(ctx: Omit<Ctx, "random">, run: ClaimedRun): Promise<ExecutionUpdate[]> {
  return ctx.sql.tx(async (c) => {
    const exec = await lockExecution(c, run.executionId);
    if (!exec) return [];
    const held = await c.query(
      `UPDATE "TaskRun" SET status = 'READY', "readyAt" = $3, attempt = attempt - 1, "startedAt" = NULL, progress = NULL, phase = NULL,
              "leaseOwner" = NULL, "leaseExpiresAt" = NULL
        WHERE id = $1 AND "leaseOwner" = $2 AND status = 'RUNNING' AND attempt = $4 RETURNING id`,
      [run.id, ctx.workerId, ctx.now, run.attempt],
    );
    if (held.length === 0) return [];
    await notifyReady(c, exec.id);
    const released = await releaseEvents(c, exec, { taskRunIds: [run.id] }, "worker stopping", ctx.now);
    return settle(c, ctx.now, exec, [...released, { type: "TASK_RELEASED", taskKey: run.key, message: `task ${run.key} released by a stopping worker` }]);
  });
}
