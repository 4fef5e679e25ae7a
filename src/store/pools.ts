import { CLAIMABLE_EXECUTION_STATUSES, type Priority } from "../domain/status.ts";
import type { ResourceRequirement } from "../domain/resources/requirements.ts";
import type { SqlClient } from "../infra/sql.ts";
import { notifyReady } from "./lifecycle.ts";

// Resource pools as the API changes them (services/resources.ts), and what a client's hold is decided
// against: the task runs waiting for the same types, and the allocations a release names. Each runs in
// the caller's transaction. Allocating and releasing are resources.ts.

/** Most waiting task runs a client request is ranked against. */
const WAITING_WINDOW = 64;

export interface PoolFields {
  name: string;
  type: string;
  capacity: number;
  costPerUnitSecond: number;
  attributes: unknown;
}

/** Inserts a pool; null when the name is taken. */
export async function insertPool(c: SqlClient, pool: PoolFields): Promise<string | null> {
  const [row] = await c.query<{ id: string }>(
    `INSERT INTO "Resource" (id, name, type, capacity, "costPerUnitSecond", attributes) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (name) DO NOTHING RETURNING id`,
    [pool.name, pool.type, pool.capacity, pool.costPerUnitSecond, JSON.stringify(pool.attributes)],
  );
  return row?.id ?? null;
}

/** Locks a pool for a change; null when there is none. */
export async function lockPool(c: SqlClient, id: string): Promise<{ allocated: number } | null> {
  const [pool] = await c.query<{ allocated: number }>(`SELECT allocated FROM "Resource" WHERE id = $1 FOR UPDATE`, [id]);
  return pool ?? null;
}

/** Whether another pool has this name. */
export async function poolNameTaken(c: SqlClient, name: string, id: string): Promise<boolean> {
  return (await c.query(`SELECT 1 FROM "Resource" WHERE name = $1 AND id <> $2`, [name, id])).length > 0;
}

/** Changes the given fields of a pool (null: unchanged); a name taken meanwhile fails with unique_violation (23505). */
export async function updatePool(c: SqlClient, id: string, fields: { [K in Exclude<keyof PoolFields, "type">]: PoolFields[K] | null }): Promise<void> {
  await c.query(
    `UPDATE "Resource" SET name = coalesce($2, name), capacity = coalesce($3, capacity), "costPerUnitSecond" = coalesce($4, "costPerUnitSecond"),
            attributes = coalesce($5::jsonb, attributes), "updatedAt" = now() WHERE id = $1`,
    [id, fields.name, fields.capacity, fields.costPerUnitSecond, fields.attributes == null ? null : JSON.stringify(fields.attributes)],
  );
}

/** Runs no pool could serve may fit now: they rejoin the claims, and the workers are woken. */
export async function poolsChanged(c: SqlClient, resourceId: string): Promise<void> {
  // Only claimable runs carry a meaningful flag (the status index finds them); retry and restore clear it too.
  await c.query(`UPDATE "TaskRun" SET unsatisfiable = false WHERE status IN ('READY', 'RETRYING') AND unsatisfiable`);
  await notifyReady(c, resourceId);
}

/** The claimable task runs waiting for any of these types, best first, at most WAITING_WINDOW. */
export function waitingRuns(c: SqlClient, types: readonly string[], now: Date) {
  return c.query<{ id: string; priority: Priority; resources: ResourceRequirement[]; since: Date | null }>(
    `SELECT t.id, t.priority, t.resources, coalesce(t."nextAttemptAt", t."readyAt") AS since FROM "TaskRun" t JOIN "Execution" e ON e.id = t."executionId"
      WHERE (t.status = 'READY' OR (t.status = 'RETRYING' AND t."nextAttemptAt" <= $3)) AND t."waitingFor" IS NOT NULL AND t."waitingOn" && $1::text[]
        AND NOT t.unsatisfiable AND e.status = ANY($2::text[]::"ExecutionStatus"[]) AND NOT e."pauseRequested"
      ORDER BY least(t.priority, t."resourcePriority"), coalesce(t."nextAttemptAt", t."readyAt") LIMIT ${WAITING_WINDOW}`,
    [types, CLAIMABLE_EXECUTION_STATUSES, now],
  );
}

/** Who holds these allocations (a task run, or a client when taskRunId is null); unknown ids are absent. */
export function allocationHolders(c: SqlClient, ids: readonly string[]) {
  return c.query<{ id: string; taskRunId: string | null; taskKey: string | null }>(`SELECT id, "taskRunId", "taskKey" FROM "ResourceAllocation" WHERE id = ANY($1::uuid[])`, [ids]);
}
