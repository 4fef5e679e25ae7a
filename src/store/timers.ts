import type { Sql } from "../infra/sql.ts";
import { appendEvents, lockExecution } from "./outbox.ts";
import { endExecution, notifyReady } from "./lifecycle.ts";
import { releaseAllocations, releaseForExecution } from "./resources.ts";
import { takeCheckpoint } from "../services/checkpoints.ts";
import type { ExecutionUpdate } from "../services/updates.ts";
import { RUN_COLUMNS, type ClaimedRun } from "./claim.ts";
import { finishRun } from "./finish.ts";
import { ALERT_DELIVERY_DUE_SQL, PENDING_ALERT_DUE_SQL } from "../services/alerts.ts";

// Time-driven transitions the worker applies on each round: SCHEDULED executions that are due (runAt
// passed, dependencies completed) start; executions past their deadline fail. SKIP LOCKED lets any
// number of workers do this without doing it twice.

const BATCH = 50;

/** SCHEDULED → PENDING when due and every dependency COMPLETED; → FAILED when a dependency failed or was cancelled. */
export async function promoteDue(sql: Sql, now: Date): Promise<ExecutionUpdate[]> {
  return sql.tx(async (c) => {
    const due = await c.query<{ id: string; dependsOn: string[] }>(
      `SELECT id, "dependsOn" FROM "Execution" WHERE status = 'SCHEDULED' AND ("runAt" IS NULL OR "runAt" <= $1)
        ORDER BY "runAt" NULLS FIRST, "createdAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      [now],
    );
    const updates: ExecutionUpdate[] = [];
    for (const { id, dependsOn } of due) {
      const deps = dependsOn.length
        ? await c.query<{ id: string; status: string }>(`SELECT id, status FROM "Execution" WHERE id = ANY($1::uuid[])`, [dependsOn])
        : [];
      const exec = (await lockExecution(c, id))!;
      const broken = deps.find((d) => d.status === "FAILED" || d.status === "CANCELLED");
      if (broken) {
        updates.push(...(await endExecution(c, exec, now, {
          status: "FAILED",
          type: "EXECUTION_FAILED",
          message: `execution failed: it depends on execution ${broken.id}, which ended ${broken.status}`,
          error: { code: "DEPENDENCY_FAILED", message: `dependency ${broken.id} ended ${broken.status}`, context: { dependency: broken.id, status: broken.status } },
        })));
      } else if (deps.every((d) => d.status === "COMPLETED")) {
        await c.query(`UPDATE "TaskRun" SET "readyAt" = $2 WHERE "executionId" = $1 AND status = 'READY'`, [id, now]);
        await notifyReady(c, id);
        updates.push(...(await appendEvents(c, exec, [{ type: "EXECUTION_QUEUED", status: "PENDING", message: "execution is due: queued for workers" }], now)));
      }
    }
    return updates;
  });
}

/**
 * Executions whose deadline (timeoutMs since start, paused time excluded) has passed fail, cancelling
 * what is left: one transaction each, since ending one releases its resources (store/resources.ts lock order).
 */
export async function expireDeadlines(sql: Sql, now: Date): Promise<ExecutionUpdate[]> {
  const expired = `status IN ('PENDING', 'RUNNING') AND "deadlineAt" <= $1`;
  const due = await sql.query<{ id: string }>(`SELECT id FROM "Execution" WHERE ${expired} ORDER BY "deadlineAt" LIMIT ${BATCH}`, [now]);
  const updates: ExecutionUpdate[] = [];
  for (const { id } of due)
    updates.push(...(await sql.tx(async (c) => {
      const [row] = await c.query<{ timeoutMs: number }>(`SELECT "timeoutMs" FROM "Execution" WHERE id = $2 AND ${expired} FOR UPDATE SKIP LOCKED`, [now, id]);
      if (!row) return [];
      return endExecution(c, (await lockExecution(c, id))!, now, {
        status: "FAILED",
        type: "EXECUTION_FAILED",
        message: `execution timed out after ${row.timeoutMs} ms`,
        error: { code: "EXECUTION_TIMEOUT", message: `execution exceeded its timeout of ${row.timeoutMs} ms`, recoverable: false },
      });
    })));
  return updates;
}

/**
 * Runs whose lease expired belong to a worker that died (or hung): each ends as a failed attempt with
 * LEASE_EXPIRED, recorded for that worker, and its retry policy decides what follows. The holder's
 * own late completion is then rejected, since it no longer holds the lease.
 */
export async function reclaimExpired(sql: Sql, now: Date, random: () => number): Promise<ExecutionUpdate[]> {
  const expired = await sql.query<ClaimedRun & { leaseOwner: string }>(
    `SELECT ${RUN_COLUMNS}, t."leaseOwner"
       FROM "TaskRun" t WHERE t.status = 'RUNNING' AND t."leaseExpiresAt" < $1 ORDER BY t."leaseExpiresAt" LIMIT ${BATCH}`,
    [now],
  );
  const updates: ExecutionUpdate[] = [];
  for (const run of expired) {
    const error = { code: "LEASE_EXPIRED", message: `worker ${run.leaseOwner} stopped renewing its lease`, recoverable: true };
    updates.push(...(await finishRun({ sql, workerId: run.leaseOwner, now, random, expiredBefore: now }, run, { kind: "failed", status: "FAILED", error, messages: [] }, {})));
  }
  return updates;
}

/**
 * Allocations past their expiresAt (a requirement's durationMs, a client's lease) are released even
 * though their holder still runs; a task's release goes on its execution's timeline.
 */
export async function expireAllocations(sql: Sql, now: Date): Promise<ExecutionUpdate[]> {
  await sql.tx((c) => releaseAllocations(c, { holder: "client", expiredBy: now, limit: BATCH }, "lease expired", now));
  const due = await sql.query<{ executionId: string }>(
    `SELECT DISTINCT "executionId" FROM "ResourceAllocation" WHERE "expiresAt" <= $1 AND "releasedAt" IS NULL AND "taskRunId" IS NOT NULL LIMIT ${BATCH}`,
    [now],
  );
  const updates: ExecutionUpdate[] = [];
  // One transaction per execution: store/resources.ts lock order (execution, then its pools).
  for (const { executionId } of due)
    updates.push(...(await sql.tx(async (c) => {
      const exec = await lockExecution(c, executionId);
      return exec ? releaseForExecution(c, exec, { holder: "task", expiredBy: now }, "duration elapsed", now) : [];
    })));
  return updates;
}

/** When a RUNNING execution of a plan with checkpointIntervalMs is due its next PERIODIC checkpoint. */
const CHECKPOINT_DUE = `greatest(e."lastCheckpointAt", e."startedAt") + make_interval(secs => p."checkpointIntervalMs" / 1000.0)`;

/**
 * A PERIODIC checkpoint of each RUNNING execution whose plan sets checkpointIntervalMs, once that long
 * has passed since its last checkpoint of any kind (or since it started).
 */
export async function takePeriodicCheckpoints(sql: Sql, now: Date): Promise<ExecutionUpdate[]> {
  return sql.tx(async (c) => {
    const due = await c.query<{ id: string }>(
      `SELECT e.id FROM "Execution" e JOIN "Plan" p ON p.id = e."planId"
        WHERE e.status = 'RUNNING' AND p."checkpointIntervalMs" IS NOT NULL AND ${CHECKPOINT_DUE} <= $1
        ORDER BY ${CHECKPOINT_DUE} LIMIT ${BATCH} FOR UPDATE OF e SKIP LOCKED`,
      [now],
    );
    const updates: ExecutionUpdate[] = [];
    for (const { id } of due) updates.push(...(await takeCheckpoint(c, (await lockExecution(c, id))!, now, "PERIODIC")).updates);
    return updates;
  });
}

/** The earliest future moment a timer fires (runAt, retry, deadline, lease expiry, schedule, periodic checkpoint, allocation expiry, pending alert, alert delivery): the worker sleeps no longer than that. */
export async function nextTimerAt(sql: Sql): Promise<Date | null> {
  const [row] = await sql.query<{ at: Date | null }>(
    `SELECT least((SELECT min("runAt") FROM "Execution" WHERE status = 'SCHEDULED'),
                  (SELECT min("nextAttemptAt") FROM "TaskRun" WHERE status = 'RETRYING'),
                  (SELECT min("deadlineAt") FROM "Execution" WHERE status IN ('PENDING', 'RUNNING')),
                  (SELECT min("leaseExpiresAt") FROM "TaskRun" WHERE status = 'RUNNING'),
                  (SELECT min("nextRunAt") FROM "Schedule" WHERE enabled),
                  (SELECT min(${CHECKPOINT_DUE}) FROM "Execution" e JOIN "Plan" p ON p.id = e."planId"
                    WHERE e.status = 'RUNNING' AND p."checkpointIntervalMs" IS NOT NULL),
                  (SELECT min("expiresAt") FROM "ResourceAllocation"),
                  ${PENDING_ALERT_DUE_SQL}, ${ALERT_DELIVERY_DUE_SQL}) AS at`,
  );
  return row?.at ?? null;
}
