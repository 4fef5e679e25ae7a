import { ACTIVE_EXECUTION_STATUSES } from "../domain/stats.ts";
import type { SqlClient } from "../infra/sql.ts";

// When each timer sweep has work: one `FROM … WHERE …` per sweep, `$1` the time (and `$2` the active
// execution statuses, as text[]), shared by the sweep that selects the work and by the gate below, which
// asks all of them at once so that a round with nothing due costs one statement, not one per sweep.

/**
 * SCHEDULED executions that can move now: due (runAt passed) with every dependency completed, or with
 * one that failed, was cancelled or no longer exists. Those still waiting on a dependency that runs are
 * left out: they would fill every batch and starve the ones due by runAt behind them.
 */
export const PROMOTABLE = `FROM "Execution" e WHERE e.status = 'SCHEDULED' AND (e."runAt" IS NULL OR e."runAt" <= $1)
  AND (NOT EXISTS (SELECT 1 FROM "Execution" d WHERE d.id = ANY(e."dependsOn") AND d.status = ANY($2::text[]::"ExecutionStatus"[]))
       OR EXISTS (SELECT 1 FROM "Execution" d WHERE d.id = ANY(e."dependsOn") AND d.status IN ('FAILED', 'CANCELLED'))
       OR (SELECT count(*) FROM "Execution" d WHERE d.id = ANY(e."dependsOn")) < cardinality(e."dependsOn"))`;

/** Executions past their deadline (the condition alone: expireDeadlines checks it again under the row lock). */
export const DEADLINE_PASSED = `status IN ('PENDING', 'RUNNING') AND "deadlineAt" <= $1`;

/** Runs whose lease expired: their worker died or hung. */
export const LEASE_EXPIRED = `FROM "TaskRun" t WHERE t.status = 'RUNNING' AND t."leaseExpiresAt" < $1`;

/** When a RUNNING execution of a plan with checkpointIntervalMs is due its next PERIODIC checkpoint. */
export const CHECKPOINT_DUE = `greatest(e."lastCheckpointAt", e."startedAt") + make_interval(secs => p."checkpointIntervalMs" / 1000.0)`;
const CHECKPOINTED = `FROM "Execution" e JOIN "Plan" p ON p.id = e."planId" WHERE e.status = 'RUNNING' AND p."checkpointIntervalMs" IS NOT NULL`;
export const CHECKPOINTS_DUE = `${CHECKPOINTED} AND ${CHECKPOINT_DUE} <= $1`;

/** Allocations past their expiresAt, a task's or a client's (expiresAt is cleared on release). */
const ALLOCATIONS_EXPIRED = `FROM "ResourceAllocation" WHERE "expiresAt" <= $1 AND "releasedAt" IS NULL`;

export const SCHEDULES_DUE = `FROM "Schedule" WHERE enabled AND "nextRunAt" <= $1`;

/** When a PENDING alert scope (`s`, of rule `r`) has held its condition for the rule's durationMs. */
const PENDING_SCOPE_DUE = `(s.value->>'pendingSince')::timestamptz + make_interval(secs => r."durationMs" / 1000.0)`;
const PENDING_SCOPES = `FROM "AlertRule" r, jsonb_each(r.state) s WHERE r.enabled AND s.value->>'firingAlertId' IS NULL AND s.value->>'pendingSince' IS NOT NULL`;
/** Enabled rules (`r`) with a pending scope whose duration has passed. */
export const ALERTS_PENDING_DUE = `FROM "AlertRule" r WHERE enabled AND EXISTS (SELECT 1 FROM jsonb_each(r.state) s WHERE s.value->>'firingAlertId' IS NULL AND ${PENDING_SCOPE_DUE} <= $1)`;

// An alert's RESOLVED delivery waits while its TRIGGERED one is still being tried: a receiver sees an alert's
// transitions in the order they happened, whatever the retries.
export const DELIVERIES_DUE = `FROM "AlertDelivery" dd WHERE dd."deliveredAt" IS NULL AND dd."nextAttemptAt" <= $1
  AND NOT (dd.kind = 'RESOLVED' AND EXISTS (SELECT 1 FROM "AlertDelivery" t WHERE t."alertId" = dd."alertId" AND t.kind = 'TRIGGERED' AND t."deliveredAt" IS NULL AND t."nextAttemptAt" IS NOT NULL))`;

export const SWEEPS = ["promote", "deadlines", "leases", "checkpoints", "allocations", "schedules", "pendingAlerts", "deliveries"] as const;
export type Sweep = (typeof SWEEPS)[number];

const HAS_WORK: Record<Sweep, string> = {
  promote: PROMOTABLE,
  deadlines: `FROM "Execution" WHERE ${DEADLINE_PASSED}`,
  leases: LEASE_EXPIRED,
  checkpoints: CHECKPOINTS_DUE,
  allocations: ALLOCATIONS_EXPIRED,
  schedules: SCHEDULES_DUE,
  pendingAlerts: ALERTS_PENDING_DUE,
  deliveries: DELIVERIES_DUE,
};

export interface TimersDue {
  /** The sweeps that have work now. */
  due: Set<Sweep>;
  /**
   * The earliest timer after now (runAt, retry, deadline, lease expiry, schedule, periodic checkpoint,
   * allocation expiry, pending alert, alert delivery). Timers already due are left out: they are swept
   * now, or blocked (a retry behind maxParallelism or a pause, an execution waiting on its dependencies)
   * until an event wakes the worker, and counting them would make it spin.
   */
  next: Date | null;
  /** Whether `workerId` is the sweeps' leader: the longest-running worker that heartbeats (see timersDue). */
  leader: boolean;
}

/**
 * The gate of a sweep round, in one statement: which sweeps have work, when the next timer fires, and
 * whether this worker leads. The leader is the oldest worker (by start) whose heartbeat is younger than
 * `aliveMs`, or this one when none is: every worker reads the same answer from the registry, with no lock
 * and no session to hold on a pooled connection. Leadership only spares duplicate work; it is never what
 * makes a sweep correct (each locks its rows FOR UPDATE SKIP LOCKED, or fences them), so the moments when
 * two workers both think they lead, or a dead leader's heartbeat has not aged yet (at most `aliveMs`), are safe.
 */
export async function timersDue(c: SqlClient, opts: { now: Date; workerId: string; aliveMs: number }): Promise<TimersDue> {
  const [row] = await c.query<Record<Sweep, boolean> & { next: Date | null; leader: boolean }>(
    `SELECT ${SWEEPS.map((s) => `EXISTS (SELECT 1 ${HAS_WORK[s]}) AS "${s}"`).join(", ")},
            coalesce((SELECT id FROM "Worker" WHERE "stoppedAt" IS NULL AND "lastHeartbeatAt" > $3 ORDER BY "startedAt", id LIMIT 1) = $4, true) AS leader,
            least((SELECT min("runAt") FROM "Execution" WHERE status = 'SCHEDULED' AND "runAt" > $1),
                  (SELECT min("nextAttemptAt") FROM "TaskRun" WHERE status = 'RETRYING' AND "nextAttemptAt" > $1),
                  (SELECT min("deadlineAt") FROM "Execution" WHERE status IN ('PENDING', 'RUNNING') AND "deadlineAt" > $1),
                  (SELECT min("leaseExpiresAt") FROM "TaskRun" WHERE status = 'RUNNING' AND "leaseExpiresAt" >= $1),
                  (SELECT min("nextRunAt") FROM "Schedule" WHERE enabled AND "nextRunAt" > $1),
                  (SELECT min(${CHECKPOINT_DUE}) ${CHECKPOINTED} AND ${CHECKPOINT_DUE} > $1),
                  (SELECT min("expiresAt") FROM "ResourceAllocation" WHERE "expiresAt" > $1),
                  (SELECT min(${PENDING_SCOPE_DUE}) ${PENDING_SCOPES} AND ${PENDING_SCOPE_DUE} > $1),
                  (SELECT min("nextAttemptAt") FROM "AlertDelivery" WHERE "deliveredAt" IS NULL AND "nextAttemptAt" > $1)) AS next`,
    [opts.now, [...ACTIVE_EXECUTION_STATUSES], new Date(opts.now.getTime() - opts.aliveMs), opts.workerId],
  );
  return { due: new Set(SWEEPS.filter((s) => row![s])), next: row!.next, leader: row!.leader };
}
