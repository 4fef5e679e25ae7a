import type { Sql, SqlClient } from "../infra/sql.ts";
import { decideRecovery, type RecoveryDecision, type RecoveryRule } from "../domain/recovery.ts";
import { normalizeRetryPolicy, type RetryPolicyInput } from "../domain/retry.ts";
import { assertTaskTransition, type TaskStatus } from "../domain/status.ts";
import { lockExecution, lockExecutions, type LockedExecution, type NewEvent, type NewMessage } from "./outbox.ts";
import { settleMany, type Settling } from "./settle.ts";
import { endExecution, notifyReady } from "./lifecycle.ts";
import { lockPoolsHeldBy, releaseEvents } from "./resources.ts";
import { restoreLatestCheckpoint } from "./checkpoints.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";
import { claimRunsIn, type ClaimOptions, type Claimed, type ClaimedRun } from "./claim.ts";

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
  /** Read once the execution is locked, so the end is timed after whatever that lock waited for. */
  clock: () => Date;
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
export async function finishRun(timing: Ctx, run: ClaimedRun, end: RunEnd, metrics: Record<string, number>): Promise<ExecutionUpdate[]> {
  return timing.sql.tx(async (c) => {
    const exec = await lockExecution(c, run.executionId);
    if (!exec) return [];
    const ctx = { ...timing, now: timing.clock() };
    const status = end.kind === "completed" ? "COMPLETED" : end.status;
    const error = end.kind === "failed" ? { ...end.error, taskRunId: run.id, taskKey: run.key, timestamp: ctx.now.toISOString() } : null;
    const ended = await endRuns(c, ctx, [{ run, status, output: end.kind === "completed" ? end.output : undefined, error, metrics }]);
    if (ended.size === 0) return [];
    // Its resources go back in the same transaction; the release events join the run's own.
    const released = await releaseEvents(c, exec, { taskRunIds: [run.id] }, releaseReason(end), ctx.now);
    if (end.kind === "completed")
      return settleMany(c, ctx.now, [{ exec, events: [...released, completedEvent(run, end.messages)], outputs: new Map([[run.key, end.output ?? null]]), satisfied: satisfiedBy(run) }], 1);
    return recover(c, ctx, exec, run, end, released);
  });
}

/** A completed run, as the worker hands it over for a batch. */
export interface Completion {
  run: ClaimedRun;
  output: unknown;
  messages: NewMessage[];
  metrics: Record<string, number>;
}

/**
 * finishRun for many completed runs in one transaction: their executions locked in one statement, the runs
 * still held (lease holder and attempt, as for one) ended in one, their executions settled together. A
 * batch costs the statements of one run's end, whatever its size. With `claim`, the same transaction
 * then claims runs for the slots the batch frees (a chain's next task starts in the commit that readied
 * it): one commit, where an end and a claim took two. Not after giving resources back (see below).
 */
export async function finishCompleted(
  timing: Omit<Ctx, "random" | "expiredBefore">,
  items: readonly Completion[],
  claim?: Omit<ClaimOptions, "workerId" | "clock">,
): Promise<{ updates: ExecutionUpdate[]; claimed: Claimed }> {
  return timing.sql.tx(async (c) => {
    const execs = await lockExecutions(c, [...new Set(items.map((i) => i.run.executionId))]);
    const ctx = { ...timing, now: timing.clock() };
    const ended = await endRuns(c, ctx, items.map((i) => ({ run: i.run, status: "COMPLETED", output: i.output, error: null, metrics: i.metrics })));
    const released = items.some((i) => i.run.allocations.length > 0);
    if (released) await lockPoolsHeldBy(c, items.map((i) => i.run.id));
    const settling: Settling[] = [];
    for (const exec of execs) {
      const mine = items.filter((i) => i.run.executionId === exec.id && ended.has(i.run.id));
      if (mine.length === 0) continue;
      const events: NewEvent[] = [];
      for (const i of mine) events.push(...(await releaseEvents(c, exec, { taskRunIds: [i.run.id] }, "completed", ctx.now)), completedEvent(i.run, i.messages));
      settling.push({ exec, events, outputs: new Map(mine.map((i) => [i.run.key, i.output ?? null])), satisfied: mine.flatMap((i) => satisfiedBy(i.run)) });
    }
    // A batch that gave resources back holds pool rows already: a claim now would lock pools out of their
    // id order (a deadlock with a concurrent finish or allocation). Its slots go to the worker's next claim.
    const claiming = claim && claim.limit > 0 && !released ? claim : null;
    // The slots this transaction refills; runs readied beyond them wake the other workers.
    const updates = await settleMany(c, ctx.now, settling, claiming ? claiming.limit : ended.size);
    return { updates, claimed: claiming ? await claimAfterEnds(c, { ...claiming, workerId: timing.workerId, clock: timing.clock }) : { runs: [], updates: [] } };
  });
}

/**
 * The claim of a batch of ends, under a savepoint: a claim that fails (a run whose context cannot be built,
 * say) costs only itself, never the ends recorded before it. The worker's own claims then retry it.
 */
async function claimAfterEnds(c: SqlClient, opts: ClaimOptions): Promise<Claimed> {
  await c.query("SAVEPOINT claim");
  try {
    const claimed = await claimRunsIn(c, opts);
    await c.query("RELEASE SAVEPOINT claim");
    return claimed;
  } catch {
    await c.query("ROLLBACK TO SAVEPOINT claim");
    return { runs: [], updates: [] };
  }
}

/**
 * What a run that just completed satisfies, as its dependants' counters see it: itself, when some task
 * depends on it, and, a fallback, the runs it stands in for (a skipped one satisfies only itself).
 */
const satisfiedBy = (run: ClaimedRun) => (run.hasDependants || run.fallback ? [{ key: run.key, fallback: run.fallback }] : []);

const completedEvent = (run: ClaimedRun, messages: NewMessage[]): NewEvent => ({ type: "TASK_COMPLETED", taskKey: run.key, message: `task ${run.key} completed`, messages });

interface Ending {
  run: ClaimedRun;
  status: Extract<TaskStatus, "COMPLETED" | "FAILED" | "TIMED_OUT">;
  output: unknown;
  error: object | null;
  metrics: Record<string, number>;
}

/**
 * Ends the runs this worker still holds for these attempts (exactly-once completion: a restore may have
 * handed a run to a new attempt meanwhile) and keeps each attempt, in one statement. Returns the ids ended.
 */
async function endRuns(c: SqlClient, ctx: Omit<Ctx, "random" | "clock"> & { now: Date }, endings: readonly Ending[]): Promise<Set<string>> {
  for (const e of endings) assertTaskTransition("RUNNING", e.status);
  const rows = endings.map((e) => ({
    id: e.run.id,
    attempt: e.run.attempt,
    status: e.status,
    // Wrapped: a JSON null in a recordset reads as SQL NULL, and a completed run's null output is stored as JSON null.
    out: e.status === "COMPLETED" ? { v: e.output ?? null } : null,
    error: e.error,
    metrics: Object.keys(e.metrics).length ? e.metrics : null,
  }));
  const held = await c.query<{ id: string }>(
    `WITH ended AS (
       UPDATE "TaskRun" t SET status = x.status::"TaskStatus", output = x.out->'v', error = x.error, "finishedAt" = $3, metrics = x.metrics,
              "leaseOwner" = NULL, "leaseExpiresAt" = NULL
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, attempt int, status text, out jsonb, error jsonb, metrics jsonb)
        WHERE t.id = x.id AND t."leaseOwner" = $2 AND t.status = 'RUNNING' AND t.attempt = x.attempt AND ($4::timestamptz IS NULL OR t."leaseExpiresAt" < $4)
        RETURNING t.id, t.attempt, t.status, t."startedAt", t.error)
     INSERT INTO "TaskAttempt" (id, "taskRunId", attempt, status, worker, "startedAt", "finishedAt", error)
     SELECT gen_random_uuid(), id, attempt, status, $2, "startedAt", $3, error FROM ended RETURNING "taskRunId" AS id`,
    [JSON.stringify(rows), ctx.workerId, ctx.now, ctx.expiredBefore ?? null],
  );
  return new Set(held.map((r) => r.id));
}

const releaseReason = (end: RunEnd): string =>
  end.kind === "completed" ? "completed" : end.status === "TIMED_OUT" ? "timed out" : end.error.code === "LEASE_EXPIRED" ? "lease lost" : "failed";

/** Applies the task's recovery rules / retry policy to a failed attempt (domain/recovery.ts decides). */
async function recover(c: SqlClient, ctx: Ctx & { now: Date }, exec: LockedExecution, run: ClaimedRun, end: Extract<RunEnd, { kind: "failed" }>, released: NewEvent[]) {
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
      return settleMany(c, ctx.now, [{ exec, events: [...head, recovery, retrying] }], 1);
    }
    case "SKIP": {
      await c.query(`UPDATE "TaskRun" SET status = 'SKIPPED' WHERE id = $1`, [run.id]);
      return settleMany(c, ctx.now, [{ exec, events: [...head, recovery, { type: "TASK_SKIPPED", taskKey: run.key, message: `task ${run.key} skipped; its dependants go on` }], satisfied: run.hasDependants ? [{ key: run.key, fallback: false }] : [] }], 1);
    }
    case "FALLBACK": {
      await c.query(`UPDATE "TaskRun" SET "replacedBy" = $2 WHERE id = $1`, [run.id, decision.fallbackTask]);
      // A fallback that already completed (standing in for another task) satisfies this run at once.
      const [fallback] = await c.query<{ status: TaskStatus }>(
        `WITH invoked AS (UPDATE "TaskRun" SET status = 'READY', "readyAt" = $3 WHERE "executionId" = $1 AND key = $2 AND status = 'WAITING' RETURNING status)
         SELECT coalesce((SELECT status FROM invoked), (SELECT status FROM "TaskRun" WHERE "executionId" = $1 AND key = $2)) AS status`,
        [exec.id, decision.fallbackTask, ctx.now],
      );
      if (fallback?.status === "READY") await notifyReady(c, exec.id);
      const satisfied = fallback?.status === "COMPLETED" && run.hasDependants ? [{ key: run.key, fallback: false }] : [];
      return settleMany(c, ctx.now, [{ exec, events: [...head, recovery], satisfied }], 1);
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

/** Shutdown: hands a run back to the queue (READY again, attempt not counted) for another worker. */
export async function releaseRun(timing: Omit<Ctx, "random">, run: ClaimedRun): Promise<ExecutionUpdate[]> {
  return timing.sql.tx(async (c) => {
    const exec = await lockExecution(c, run.executionId);
    if (!exec) return [];
    const ctx = { ...timing, now: timing.clock() };
    const held = await c.query(
      `UPDATE "TaskRun" SET status = 'READY', "readyAt" = $3, attempt = attempt - 1, "startedAt" = NULL, progress = NULL, phase = NULL,
              "leaseOwner" = NULL, "leaseExpiresAt" = NULL
        WHERE id = $1 AND "leaseOwner" = $2 AND status = 'RUNNING' AND attempt = $4 RETURNING id`,
      [run.id, ctx.workerId, ctx.now, run.attempt],
    );
    if (held.length === 0) return [];
    await notifyReady(c, exec.id);
    const released = await releaseEvents(c, exec, { taskRunIds: [run.id] }, "worker stopping", ctx.now);
    return settleMany(c, ctx.now, [{ exec, events: [...released, { type: "TASK_RELEASED", taskKey: run.key, message: `task ${run.key} released by a stopping worker` }] }], 0);
  });
}
