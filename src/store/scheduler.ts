import type { SqlClient } from "../infra/sql.ts";
import type { Db } from "../infra/db.ts";
import type { Logger } from "../infra/logger.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";
import { insertExecution, readPlan, type PlanForRun } from "./executions.ts";
import type { Priority } from "../domain/status.ts";
import { dueTimes, nextRunAfter, type ScheduleSpec } from "../domain/schedule/spec.ts";
import {
  DAILY_CAP_WINDOW_MS, DEFAULT_MISFIRE_GRACE_MS, MAX_CATCH_UP, failureSafety, misfireDecision, overlapDecision, underDailyCap,
  type MisfirePolicy, type OverlapPolicy,
} from "../domain/schedule/policy.ts";
import { endExecution } from "./lifecycle.ts";
import { lockExecution } from "./outbox.ts";
import { eachItem } from "./sweep.ts";
import { SCHEDULES_DUE } from "./due.ts";

// The schedule sweep every worker runs with its timers. Due schedules are locked FOR UPDATE SKIP
// LOCKED (one worker handles a schedule at a time), and each due time inserts its ScheduleFiring first:
// the unique (scheduleId, dueAt) key makes a due time fire at most once, whatever the workers, and the
// execution is created in the same transaction, so a firing and its execution commit together.

const BATCH = 20;
const OPEN = `('SCHEDULED', 'PENDING', 'RUNNING', 'PAUSED')`;

export interface ScheduleRow extends ScheduleSpec {
  id: string;
  planId: string;
  params: unknown;
  priority: Priority;
  misfirePolicy: MisfirePolicy;
  overlapPolicy: OverlapPolicy;
  maxConsecutiveFailures: number;
  maxExecutionsPerDay: number | null;
  nextRunAt: Date | null;
  updatedAt: Date;
}

/** Firing outcomes: STARTED and QUEUED count towards the daily cap; TRIGGERED (triggerSchedule, run now) does not. */
export type FiringOutcome = "STARTED" | "QUEUED" | "TRIGGERED" | "SKIPPED_OVERLAP" | "SKIPPED_DAILY_CAP";

/** Locks one schedule (triggerSchedule fires it under this lock); null when there is none. */
export async function lockSchedule(c: SqlClient, id: string): Promise<ScheduleRow | null> {
  const [s] = await c.query<ScheduleRow>(`SELECT * FROM "Schedule" WHERE id = $1 FOR UPDATE`, [id]);
  return s ?? null;
}

/** Records a firing and starts its execution, in the caller's transaction; null when this due time already fired. */
export async function fire(
  c: SqlClient, s: ScheduleRow, plan: PlanForRun, dueAt: Date, now: Date, manual = false,
): Promise<{ outcome: FiringOutcome; executionId: string | null; updates: ExecutionUpdate[] } | null> {
  const [firing] = await c.query<{ id: string }>(
    `INSERT INTO "ScheduleFiring" (id, "scheduleId", "dueAt", outcome, "firedAt") VALUES (gen_random_uuid(), $1, $2, 'PENDING', $3)
     ON CONFLICT ("scheduleId", "dueAt") DO NOTHING RETURNING id`,
    [s.id, dueAt, now],
  );
  if (!firing) return null;
  const result = manual ? { outcome: "TRIGGERED" as const, dependsOn: [], updates: [] } : await decide(c, s, now);
  let executionId: string | null = null;
  if (result.outcome === "STARTED" || result.outcome === "QUEUED" || result.outcome === "TRIGGERED") {
    const created = await insertExecution(c, plan, { planId: s.planId, params: s.params, priority: s.priority, dependsOn: result.dependsOn, scheduleId: s.id }, now);
    executionId = created!.id;
    result.updates.push(...created!.updates);
  }
  await c.query(`UPDATE "ScheduleFiring" SET outcome = $2, "executionId" = $3 WHERE id = $1`, [firing.id, result.outcome, executionId]);
  return { outcome: result.outcome, executionId, updates: result.updates };
}

/** Daily cap first, then the overlap policy against the schedule's newest open execution. */
async function decide(c: SqlClient, s: ScheduleRow, now: Date): Promise<{ outcome: FiringOutcome; dependsOn: string[]; updates: ExecutionUpdate[] }> {
  if (s.maxExecutionsPerDay != null) {
    const [{ n }] = (await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "ScheduleFiring" WHERE "scheduleId" = $1 AND outcome IN ('STARTED', 'QUEUED') AND "firedAt" > $2`,
      [s.id, new Date(now.getTime() - DAILY_CAP_WINDOW_MS)],
    )) as [{ n: number }];
    if (!underDailyCap(s.maxExecutionsPerDay, n)) return { outcome: "SKIPPED_DAILY_CAP", dependsOn: [], updates: [] };
  }
  const [previous] = await c.query<{ id: string }>(
    `SELECT id FROM "Execution" WHERE "scheduleId" = $1 AND status IN ${OPEN} ORDER BY "createdAt" DESC, id DESC LIMIT 1`,
    [s.id],
  );
  const overlap = overlapDecision(s.overlapPolicy, previous?.id ?? null);
  switch (overlap.action) {
    case "START":
      return { outcome: "STARTED", dependsOn: [], updates: [] };
    case "SKIP":
      return { outcome: "SKIPPED_OVERLAP", dependsOn: [], updates: [] };
    case "QUEUE":
      return { outcome: "QUEUED", dependsOn: [overlap.after], updates: [] };
    case "CANCEL_PREVIOUS": {
      // Every open execution of the schedule, not only the newest (QUEUE may have chained several before a policy change).
      const open = await c.query<{ id: string }>(`SELECT id FROM "Execution" WHERE "scheduleId" = $1 AND status IN ${OPEN} ORDER BY "createdAt"`, [s.id]);
      const updates: ExecutionUpdate[] = [];
      for (const { id } of open) {
        const exec = await lockExecution(c, id);
        if (!exec || !["SCHEDULED", "PENDING", "RUNNING", "PAUSED"].includes(exec.status)) continue;
        const message = `execution cancelled: schedule ${s.id} fired again (overlapPolicy CANCEL_PREVIOUS)`;
        updates.push(...(await endExecution(c, exec, now, { status: "CANCELLED", type: "EXECUTION_CANCELLED", message, error: { code: "CANCELLED", message } })));
      }
      return { outcome: "STARTED", dependsOn: [], updates };
    }
  }
}

/**
 * Failed executions of the schedule since its last COMPLETED one (and since the schedule was last
 * edited or re-enabled: updatedAt), newest first: the consecutive-failure streak.
 */
async function failureStreak(c: SqlClient, s: ScheduleRow): Promise<{ count: number; latest: string | null }> {
  const rows = await c.query<{ id: string }>(
    `SELECT id FROM "Execution" WHERE "scheduleId" = $1 AND status = 'FAILED'
        AND "completedAt" > greatest($2, coalesce((SELECT max("completedAt") FROM "Execution" WHERE "scheduleId" = $1 AND status = 'COMPLETED'), $2))
      ORDER BY "completedAt" DESC LIMIT $3`,
    [s.id, s.updatedAt, s.maxConsecutiveFailures],
  );
  return { count: rows.length, latest: rows[0]?.id ?? null };
}

/**
 * Disables the schedule when its failure streak reached maxConsecutiveFailures: disabledReason says
 * why, and so does an ERROR message on the latest failed execution (its messages). Returns the reason.
 */
async function applySafety(c: SqlClient, s: ScheduleRow, log: Logger): Promise<string | null> {
  const streak = await failureStreak(c, s);
  const reason = failureSafety(streak.count, s.maxConsecutiveFailures);
  await c.query(`UPDATE "Schedule" SET "consecutiveFailures" = $2 WHERE id = $1`, [s.id, streak.count]);
  if (!reason) return null;
  await c.query(`UPDATE "Schedule" SET enabled = false, "disabledReason" = $2, "nextRunAt" = NULL WHERE id = $1`, [s.id, reason]);
  await c.query(
    `INSERT INTO "ExecutionMessage" (id, "executionId", seq, level, message, context, timestamp)
     SELECT gen_random_uuid(), id, "lastSeq", 'ERROR', $2, $3::jsonb, now() FROM "Execution" WHERE id = $1`,
    [streak.latest, `schedule ${s.id} ${reason}`, JSON.stringify({ scheduleId: s.id, consecutiveFailures: streak.count })],
  );
  log.warn({ scheduleId: s.id, consecutiveFailures: streak.count }, `schedule ${reason}`);
  return reason;
}

/** Fires every due time of the due schedules (misfire policy when far behind), then moves nextRunAt past now. */
export async function fireDueSchedules({ db, log }: { db: Db; log: Logger }, now: Date, graceMs = DEFAULT_MISFIRE_GRACE_MS): Promise<ExecutionUpdate[]> {
  return db.sql.tx(async (c) => {
    const due = await c.query<ScheduleRow>(
      `SELECT * ${SCHEDULES_DUE} ORDER BY "nextRunAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      [now],
    );
    return eachItem(due, { sweep: "fire due schedules", id: (s) => s.id, log, c }, async (s) => {
      if (await applySafety(c, s, log)) return [];
      const times = dueTimes(s, s.nextRunAt!, now, MAX_CATCH_UP);
      const plan = await readPlan(c, s.planId);
      if (!plan) return []; // deleted with its plan meanwhile (the schedule goes with it)
      const updates: ExecutionUpdate[] = [];
      let fired = false;
      for (const dueAt of misfireDecision(s.misfirePolicy, times, now, graceMs)) {
        const result = await fire(c, s, plan, dueAt, now);
        if (result) updates.push(...result.updates);
        fired ||= result?.executionId != null;
      }
      const next = nextRunAfter(s, times.at(-1) ?? s.nextRunAt!, now);
      await c.query(`UPDATE "Schedule" SET "nextRunAt" = $2, "lastRunAt" = CASE WHEN $3 THEN $4 ELSE "lastRunAt" END WHERE id = $1`, [s.id, next, fired, now]);
      return updates;
    });
  });
}
