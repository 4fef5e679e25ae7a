import type { SqlClient } from "../infra/sql.ts";
import { ACTIVE_EXECUTION_STATUSES, FINISHED_EXECUTION_STATUSES, FINISHED_TASK_STATUSES, type StatusGroup, type TaskGroup } from "../domain/stats.ts";

// The aggregate statements behind engineStats, plan { stats health } and /metrics: each one grouped
// statement, whatever the number of rows or plans asked about. Rates and averages: domain/stats.ts.
// Status filters compare the enum column to enum values (never status::text): a cast column loses its index.

const ms = (a: string, b: string) => `EXTRACT(EPOCH FROM (${a} - ${b})) * 1000`;

interface RawStatusRow { status: string; count: number; sum: number | null; n: number }

const toStatusGroup = (r: RawStatusRow): StatusGroup => ({ status: r.status, count: Number(r.count), durationSumMs: Number(r.sum ?? 0), durationCount: Number(r.n) });

/**
 * Executions by status: every active one (SCHEDULED, PENDING, RUNNING, PAUSED, whatever its age) and the
 * finished ones whose completedAt is at or after `since`, with their summed durations.
 */
export async function executionStatusGroups(c: SqlClient, since: Date): Promise<StatusGroup[]> {
  const rows = await c.query<RawStatusRow>(
    `SELECT status::text AS status, count(*)::int AS count,
            sum(${ms('"completedAt"', '"startedAt"')})::float8 AS sum,
            count("startedAt")::int AS n
       FROM "Execution"
      WHERE status = ANY($2::text[]::"ExecutionStatus"[])
         OR (status = ANY($3::text[]::"ExecutionStatus"[]) AND "completedAt" >= $1)
      GROUP BY status`,
    [since, [...ACTIVE_EXECUTION_STATUSES], [...FINISHED_EXECUTION_STATUSES]],
  );
  return rows.map(toStatusGroup);
}

/** Finished executions of each plan whose completedAt is at or after `since`, grouped by plan and status. */
export async function planStatusGroups(c: SqlClient, planIds: string[], since: Date): Promise<Map<string, StatusGroup[]>> {
  const rows = await c.query<RawStatusRow & { planId: string }>(
    `SELECT "planId"::text AS "planId", status::text AS status, count(*)::int AS count,
            sum(${ms('"completedAt"', '"startedAt"')})::float8 AS sum,
            count("startedAt")::int AS n
       FROM "Execution"
      WHERE "planId" = ANY($1::uuid[]) AND status = ANY($3::text[]::"ExecutionStatus"[]) AND "completedAt" >= $2
      GROUP BY "planId", status`,
    [planIds, since, [...FINISHED_EXECUTION_STATUSES]],
  );
  const out = new Map<string, StatusGroup[]>(planIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.planId)?.push(toStatusGroup(r));
  return out;
}

/** Finished task runs of each plan's executions whose finishedAt is at or after `since`, grouped by plan, task key and status. */
export async function planTaskGroups(c: SqlClient, planIds: string[], since: Date): Promise<Map<string, TaskGroup[]>> {
  const rows = await c.query<RawStatusRow & { planId: string; key: string }>(
    `SELECT e."planId"::text AS "planId", t.key, t.status::text AS status, count(*)::int AS count,
            sum(${ms('t."finishedAt"', 't."startedAt"')})::float8 AS sum,
            count(t."startedAt")::int AS n
       FROM "TaskRun" t JOIN "Execution" e ON e.id = t."executionId"
      WHERE e."planId" = ANY($1::uuid[]) AND t.status = ANY($3::text[]::"TaskStatus"[]) AND t."finishedAt" >= $2
      GROUP BY e."planId", t.key, t.status`,
    [planIds, since, [...FINISHED_TASK_STATUSES]],
  );
  const out = new Map<string, TaskGroup[]>(planIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.planId)?.push({ key: r.key, ...toStatusGroup(r) });
  return out;
}

export interface QueueCounts {
  /** READY runs plus RETRYING runs whose next attempt is due */
  queueDepth: number;
  running: number;
  /** RETRYING runs still waiting for their next attempt time */
  retryingLater: number;
}

/** Queue depth and running task runs: one statement on the (status, …) index. */
export async function queueCounts(c: SqlClient, now: Date): Promise<QueueCounts> {
  const [row] = await c.query<{ ready: number; due: number; later: number; running: number }>(
    `SELECT count(*) FILTER (WHERE status = 'READY')::int AS ready,
            count(*) FILTER (WHERE status = 'RETRYING' AND "nextAttemptAt" <= $1)::int AS due,
            count(*) FILTER (WHERE status = 'RETRYING' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" > $1))::int AS later,
            count(*) FILTER (WHERE status = 'RUNNING')::int AS running
       FROM "TaskRun" WHERE status IN ('READY', 'RETRYING', 'RUNNING')`,
    [now],
  );
  return { queueDepth: Number(row?.ready ?? 0) + Number(row?.due ?? 0), running: Number(row?.running ?? 0), retryingLater: Number(row?.later ?? 0) };
}

/** Sum and count of (startedAt − readyAt) over task runs claimed at or after `since`: the wait in the queue. */
export async function queueWait(c: SqlClient, since: Date): Promise<{ sumMs: number; count: number }> {
  const [row] = await c.query<{ sum: number | null; n: number }>(
    `SELECT sum(${ms('"startedAt"', '"readyAt"')})::float8 AS sum, count(*)::int AS n
       FROM "TaskRun" WHERE "startedAt" >= $1 AND "readyAt" IS NOT NULL AND "startedAt" >= "readyAt"`,
    [since],
  );
  return { sumMs: Number(row?.sum ?? 0), count: Number(row?.n ?? 0) };
}

/** Workers not stopped whose last heartbeat is at or after `aliveSince`. */
export async function aliveWorkers(c: SqlClient, aliveSince: Date): Promise<number> {
  const [row] = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Worker" WHERE "stoppedAt" IS NULL AND "lastHeartbeatAt" >= $1`, [aliveSince]);
  return Number(row?.n ?? 0);
}
