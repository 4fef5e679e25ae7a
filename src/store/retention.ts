import type { SqlClient } from "../infra/sql.ts";
import { FINISHED_EXECUTION_STATUSES } from "../domain/stats.ts";

// Retention: executions that ended long ago leave with everything that belongs to them. Deleting the
// Execution row cascades (prisma/schema.prisma: onDelete: Cascade) to its task runs and their attempts,
// events, messages, checkpoints and resource allocations; metric samples, alerts and execution-scoped
// alert rules name the execution without a foreign key and are deleted here explicitly.

/** pg_try_advisory_xact_lock key of the retention sweep: one worker deletes at a time. */
export const RETENTION_LOCK = 72707372;

/**
 * Deletes up to `limit` executions that ended (COMPLETED, FAILED, CANCELLED) before `endedBefore`, oldest
 * first, with their rows; returns their ids. Left alone: an execution a SCHEDULED one still depends on
 * (its outcome decides the dependant's), and one still holding a resource allocation.
 */
export async function deleteEndedExecutions(c: SqlClient, endedBefore: Date, limit: number): Promise<string[]> {
  const doomed = await c.query<{ id: string }>(
    `SELECT e.id FROM "Execution" e
      WHERE e."completedAt" < $1 AND e.status = ANY($2::text[]::"ExecutionStatus"[])
        AND NOT EXISTS (SELECT 1 FROM "Execution" w WHERE w.status = 'SCHEDULED' AND e.id = ANY(w."dependsOn"))
        AND NOT EXISTS (SELECT 1 FROM "ResourceAllocation" a WHERE a."executionId" = e.id AND a."releasedAt" IS NULL)
      ORDER BY e."completedAt" LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [endedBefore, [...FINISHED_EXECUTION_STATUSES], limit],
  );
  const ids = doomed.map((d) => d.id);
  if (ids.length === 0) return ids;
  await c.query(`DELETE FROM "MetricSample" WHERE "executionId" = ANY($1::uuid[])`, [ids]);
  await c.query(`DELETE FROM "Alert" WHERE "executionId" = ANY($1::uuid[])`, [ids]);
  await c.query(`DELETE FROM "AlertRule" WHERE "executionId" = ANY($1::uuid[])`, [ids]);
  await c.query(`DELETE FROM "Execution" WHERE id = ANY($1::uuid[])`, [ids]);
  return ids;
}
