import { ACTIVE_EXECUTION_STATUSES } from "../domain/stats.ts";
import type { Sql } from "../infra/sql.ts";
import { appendEvents, lockExecution } from "./outbox.ts";
import { endExecution, notifyReady } from "./lifecycle.ts";
import { releaseAllocations, releaseForExecution } from "./resources.ts";
import { takeCheckpoint } from "./checkpoints.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";
import { RUN_COLUMNS, type ClaimedRun } from "./claim.ts";
import { finishRun } from "./finish.ts";
import { eachItem, type SweepLog } from "./sweep.ts";
import { CHECKPOINT_DUE, CHECKPOINTS_DUE, DEADLINE_PASSED, LEASE_EXPIRED, PROMOTABLE } from "./due.ts";

// Time-driven transitions the worker's sweeps apply (when store/due.ts says they have work): SCHEDULED executions that are due (runAt
// passed, dependencies completed) start; executions past their deadline fail. SKIP LOCKED lets any
// number of workers do this without doing it twice. Each item of a batch on its own (store/sweep.ts): one
// that fails is logged and retried next round, and never holds up the others.

const BATCH = 50;

/** SCHEDULED → PENDING when due and every dependency COMPLETED; → FAILED as soon as one dependency failed, was cancelled or no longer exists (due.ts PROMOTABLE). */
export async function promoteDue(sql: Sql, now: Date, log: SweepLog): Promise<ExecutionUpdate[]> {
  return sql.tx(async (c) => {
    const due = await c.query<{ id: string; dependsOn: string[] }>(
      `SELECT e.id, e."dependsOn" ${PROMOTABLE}
        ORDER BY e."runAt" NULLS FIRST, e."createdAt" LIMIT ${BATCH} FOR UPDATE OF e SKIP LOCKED`,
      [now, [...ACTIVE_EXECUTION_STATUSES]],
    );
    return eachItem(due, { sweep: "promote due executions", id: (d) => d.id, log, c }, async ({ id, dependsOn }) => {
      const deps = dependsOn.length
        ? await c.query<{ id: string; status: string }>(`SELECT id, status FROM "Execution" WHERE id = ANY($1::uuid[])`, [dependsOn])
        : [];
      const exec = (await lockExecution(c, id))!;
      const found = new Set(deps.map((d) => d.id));
      const missing = dependsOn.find((d) => !found.has(d));
      const broken = deps.find((d) => d.status === "FAILED" || d.status === "CANCELLED") ?? (missing ? { id: missing, status: "DELETED" } : undefined);
      if (broken) {
        return endExecution(c, exec, now, {
          status: "FAILED",
          type: "EXECUTION_FAILED",
          message: `execution failed: it depends on execution ${broken.id}, which ended ${broken.status}`,
          error: { code: "DEPENDENCY_FAILED", message: `dependency ${broken.id} ended ${broken.status}`, context: { dependency: broken.id, status: broken.status } },
        });
      } else if (deps.every((d) => d.status === "COMPLETED")) {
        await c.query(`UPDATE "TaskRun" SET "readyAt" = $2 WHERE "executionId" = $1 AND status = 'READY'`, [id, now]);
        await notifyReady(c, id);
        return appendEvents(c, exec, [{ type: "EXECUTION_QUEUED", status: "PENDING", message: "execution is due: queued for workers" }], now);
      }
      return [];
    });
  });
}

/**
 * Executions whose deadline (timeoutMs since start, paused time excluded) has passed fail, cancelling
 * what is left: one transaction each, since ending one releases its resources (store/resources.ts lock order).
 */
export async function expireDeadlines(sql: Sql, now: Date, log: SweepLog): Promise<ExecutionUpdate[]> {
  const due = await sql.query<{ id: string }>(`SELECT id FROM "Execution" WHERE ${DEADLINE_PASSED} ORDER BY "deadlineAt" LIMIT ${BATCH}`, [now]);
  return eachItem(due, { sweep: "expire deadlines", id: (d) => d.id, log }, ({ id }) =>
    sql.tx(async (c) => {
      const [row] = await c.query<{ timeoutMs: number }>(`SELECT "timeoutMs" FROM "Execution" WHERE id = $2 AND ${DEADLINE_PASSED} FOR UPDATE SKIP LOCKED`, [now, id]);
      if (!row) return [];
      return endExecution(c, (await lockExecution(c, id))!, now, {
        status: "FAILED",
        type: "EXECUTION_FAILED",
        message: `execution timed out after ${row.timeoutMs} ms`,
        error: { code: "EXECUTION_TIMEOUT", message: `execution exceeded its timeout of ${row.timeoutMs} ms`, recoverable: false },
      });
    }),
  );
}

/**
 * Runs whose lease expired belong to a worker that died (or hung): each ends as a failed attempt with
 * LEASE_EXPIRED, recorded for that worker, and its retry policy decides what follows. The holder's
 * own late completion is then rejected, since it no longer holds the lease.
 */
export async function reclaimExpired(sql: Sql, now: Date, random: () => number, log: SweepLog): Promise<ExecutionUpdate[]> {
  const expired = await sql.query<ClaimedRun & { leaseOwner: string }>(
    `SELECT ${RUN_COLUMNS}, t."leaseOwner" ${LEASE_EXPIRED} ORDER BY t."leaseExpiresAt" LIMIT ${BATCH}`,
    [now],
  );
  return eachItem(expired, { sweep: "reclaim expired leases", id: (run) => run.id, log }, (run) => {
    const error = { code: "LEASE_EXPIRED", message: `worker ${run.leaseOwner} stopped renewing its lease`, recoverable: true };
    return finishRun({ sql, workerId: run.leaseOwner, clock: () => now, random, expiredBefore: now }, run, { kind: "failed", status: "FAILED", error, messages: [] }, {});
  });
}

/**
 * Allocations past their expiresAt (a requirement's durationMs, a client's lease) are released even
 * though their holder still runs; a task's release goes on its execution's timeline.
 */
export async function expireAllocations(sql: Sql, now: Date, log: SweepLog): Promise<ExecutionUpdate[]> {
  // Clients' leases first, on their own: a failure there is logged and never stops the tasks' part.
  await sql
    .tx((c) => releaseAllocations(c, { holder: "client", expiredBy: now, limit: BATCH }, "lease expired", now))
    .catch((err: Error) => log.error({ err: err.message, sweep: "expire client leases" }, "client leases not expired; the tasks' allocations went on, and it is tried again next round"));
  const due = await sql.query<{ executionId: string }>(
    `SELECT DISTINCT "executionId" FROM "ResourceAllocation" WHERE "expiresAt" <= $1 AND "releasedAt" IS NULL AND "taskRunId" IS NOT NULL LIMIT ${BATCH}`,
    [now],
  );
  // One transaction per execution: store/resources.ts lock order (execution, then its pools).
  return eachItem(due, { sweep: "expire resource allocations", id: (d) => d.executionId, log }, ({ executionId }) =>
    sql.tx(async (c) => {
      const exec = await lockExecution(c, executionId);
      return exec ? releaseForExecution(c, exec, { holder: "task", expiredBy: now }, "duration elapsed", now) : [];
    }),
  );
}

/**
 * A PERIODIC checkpoint of each RUNNING execution whose plan sets checkpointIntervalMs, once that long
 * has passed since its last checkpoint of any kind (or since it started).
 */
export async function takePeriodicCheckpoints(sql: Sql, now: Date, log: SweepLog): Promise<ExecutionUpdate[]> {
  return sql.tx(async (c) => {
    const due = await c.query<{ id: string }>(
      `SELECT e.id ${CHECKPOINTS_DUE}
        ORDER BY ${CHECKPOINT_DUE} LIMIT ${BATCH} FOR UPDATE OF e SKIP LOCKED`,
      [now],
    );
    return eachItem(due, { sweep: "take periodic checkpoints", id: (d) => d.id, log, c }, async ({ id }) =>
      (await takeCheckpoint(c, (await lockExecution(c, id))!, now, "PERIODIC")).updates);
  });
}
