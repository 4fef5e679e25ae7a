import type { SqlClient } from "../infra/sql.ts";
import type { Pool } from "../domain/resources/allocate.ts";
import { allocationCost, totalUsageSql, type UsageTotals } from "../domain/resources/usage.ts";
import type { Priority } from "../domain/status.ts";
import { TASK_READY_CHANNEL } from "./channels.ts";
import { appendEvents, type LockedExecution, type NewEvent } from "./outbox.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";

// Resource pools in SQL. Lock order: an execution (and its task runs), then its allocation rows, then
// "Resource" rows by id; a transaction that releases for several executions takes one transaction per
// execution. The claim locks pools first, but it takes runs and executions with SKIP LOCKED, so it never
// waits for them while holding pools. A pool's `allocated` is recomputed from its active allocations
// under its row lock (no drift), and a CHECK keeps it ≤ capacity.

export interface NewAllocation {
  resourceId: string;
  amount: number;
  priority: Priority;
  executionId?: string | null;
  taskRunId?: string | null;
  taskKey?: string | null;
  attempt?: number | null;
  label?: string | null;
  releaseOnPause?: boolean;
  expiresAt?: Date | null;
}

export interface AllocationRow {
  id: string;
  resourceId: string;
  resourceName: string;
  type: string;
  amount: number;
  attributes: Record<string, unknown>;
  executionId: string | null;
  taskRunId: string | null;
  taskKey: string | null;
  attempt: number | null;
  label: string | null;
  expiresAt: Date | null;
}

const POOL_COLUMNS = `id, name, type, capacity, allocated, "costPerUnitSecond", attributes`;

/** Locks the pools of these types (by id, for the lock order) and returns them. */
export async function lockPools(c: SqlClient, types: readonly string[]): Promise<Pool[]> {
  if (types.length === 0) return [];
  return c.query<Pool>(`SELECT ${POOL_COLUMNS} FROM "Resource" WHERE type = ANY($1::text[]) ORDER BY id FOR UPDATE`, [[...new Set(types)]]);
}

async function refreshAllocated(c: SqlClient, resourceIds: readonly string[], now: Date): Promise<void> {
  await c.query(
    `UPDATE "Resource" r SET allocated = (SELECT coalesce(sum(a.amount), 0) FROM "ResourceAllocation" a WHERE a."resourceId" = r.id AND a."releasedAt" IS NULL), "updatedAt" = $2
      WHERE r.id = ANY($1::uuid[])`,
    [[...new Set(resourceIds)], now],
  );
}

/** Inserts allocations on pools the caller locked; the price is the pool's at this moment. */
export async function insertAllocations(c: SqlClient, rows: readonly NewAllocation[], now: Date): Promise<AllocationRow[]> {
  if (rows.length === 0) return [];
  const inserted = await c.query<AllocationRow>(
    `WITH ins AS (
       INSERT INTO "ResourceAllocation" (id, "resourceId", amount, "costPerUnitSecond", priority, "executionId", "taskRunId", "taskKey", attempt, label, "releaseOnPause", "allocatedAt", "expiresAt")
       SELECT gen_random_uuid(), n."resourceId", n.amount, p."costPerUnitSecond", n.priority::"Priority", n."executionId", n."taskRunId", n."taskKey", n.attempt, n.label,
              coalesce(n."releaseOnPause", false), $2, n."expiresAt"
         FROM jsonb_to_recordset($1::jsonb) AS n("resourceId" uuid, amount float8, priority text, "executionId" uuid, "taskRunId" uuid, "taskKey" text,
              attempt int, label text, "releaseOnPause" boolean, "expiresAt" timestamptz)
         JOIN "Resource" p ON p.id = n."resourceId"
       RETURNING *)
     SELECT ins.id, ins."resourceId", p.name AS "resourceName", p.type, ins.amount, p.attributes, ins."executionId", ins."taskRunId", ins."taskKey", ins.attempt, ins.label, ins."expiresAt"
       FROM ins JOIN "Resource" p ON p.id = ins."resourceId"`,
    [JSON.stringify(rows), now],
  );
  await refreshAllocated(c, rows.map((r) => r.resourceId), now);
  return inserted;
}

export interface ReleaseFilter {
  ids?: readonly string[];
  taskRunIds?: readonly string[];
  executionId?: string;
  /** Only those whose requirement releases on pause. */
  onPause?: boolean;
  /** Only those whose expiresAt passed. */
  expiredBy?: Date;
  /** Only clients' holds (allocateResources), or only tasks'. */
  holder?: "client" | "task";
  limit?: number;
}

export interface Released {
  id: string;
  resourceId: string;
  resourceName: string;
  amount: number;
  cost: number;
  executionId: string | null;
  taskKey: string | null;
}

/**
 * Locks, in id order, every pool these runs hold allocations of: a transaction that then releases them
 * run by run (a batch of ends) takes no pool out of order, which would deadlock with a claim's lockPools.
 */
export async function lockPoolsHeldBy(c: SqlClient, taskRunIds: readonly string[]): Promise<void> {
  await c.query(
    `SELECT id FROM "Resource" WHERE id IN (SELECT "resourceId" FROM "ResourceAllocation" WHERE "taskRunId" = ANY($1::uuid[]) AND "releasedAt" IS NULL) ORDER BY id FOR UPDATE`,
    [taskRunIds],
  );
}

/**
 * Ends the active allocations matching the filter (at most `limit`); returns what it released. It waits
 * for rows another transaction holds (a reportUsage, say), so a run's end never leaves one behind; only
 * the expiry sweep skips them (their holder is releasing them anyway).
 */
export async function releaseAllocations(c: SqlClient, filter: ReleaseFilter, reason: string, now: Date): Promise<Released[]> {
  const conds = [`a."releasedAt" IS NULL`];
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  if (filter.ids) conds.push(`a.id = ANY(${param(filter.ids)}::uuid[])`);
  if (filter.taskRunIds) conds.push(`a."taskRunId" = ANY(${param(filter.taskRunIds)}::uuid[])`);
  if (filter.executionId) conds.push(`a."executionId" = ${param(filter.executionId)}::uuid`);
  if (filter.onPause) conds.push(`a."releaseOnPause"`);
  if (filter.expiredBy) conds.push(`a."expiresAt" <= ${param(filter.expiredBy)}::timestamptz`);
  if (filter.holder) conds.push(`a."taskRunId" IS ${filter.holder === "client" ? "" : "NOT "}NULL`);
  const rows = await c.query<Released & { amountUsed: number | null; costPerUnitSecond: number; allocatedAt: Date }>(
    `SELECT a.id, a."resourceId", p.name AS "resourceName", a.amount, a."amountUsed", a."costPerUnitSecond", a."allocatedAt", a."executionId", a."taskKey"
       FROM "ResourceAllocation" a JOIN "Resource" p ON p.id = a."resourceId"
      WHERE ${conds.join(" AND ")} ORDER BY a.id ${filter.limit ? `LIMIT ${Math.trunc(filter.limit)}` : ""} FOR UPDATE OF a${filter.expiredBy ? " SKIP LOCKED" : ""}`,
    params,
  );
  if (rows.length === 0) return [];
  await c.query(`SELECT id FROM "Resource" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [[...new Set(rows.map((r) => r.resourceId))]]);
  const released = rows.map((r) => ({ ...r, cost: allocationCost({ ...r, releasedAt: now }, now) }));
  await c.query(
    // expiresAt is cleared so that its index holds only active deadlines (the sweeps' gate, store/due.ts, reads the minimum).
    `UPDATE "ResourceAllocation" a SET "releasedAt" = $2, "releaseReason" = $3, cost = r.cost, "expiresAt" = NULL
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, cost float8) WHERE a.id = r.id`,
    [JSON.stringify(released.map((r) => ({ id: r.id, cost: r.cost }))), now, reason],
  );
  await refreshAllocated(c, rows.map((r) => r.resourceId), now);
  // Capacity came free: wake the workers so waiting runs are claimed.
  await c.query(`SELECT pg_notify($1, 'resources')`, [TASK_READY_CHANNEL]);
  return released.map(({ id, resourceId, resourceName, amount, cost, executionId, taskKey }) => ({ id, resourceId, resourceName, amount, cost, executionId, taskKey }));
}

/**
 * Releases the execution's task allocations matching the filter; returns one RESOURCE_RELEASED event
 * per task, for the caller to append with its own events. The caller holds the execution's lock.
 */
export async function releaseEvents(c: SqlClient, exec: LockedExecution, filter: Omit<ReleaseFilter, "executionId">, reason: string, now: Date): Promise<NewEvent[]> {
  if (!exec.usesResources) return [];
  const released = await releaseAllocations(c, { ...filter, executionId: exec.id }, reason, now);
  const byTask = new Map<string | null, Released[]>();
  for (const r of released) byTask.set(r.taskKey, [...(byTask.get(r.taskKey) ?? []), r]);
  return [...byTask].map(([taskKey, rs]) => ({
    type: "RESOURCE_RELEASED" as const,
    taskKey,
    message: `${taskKey ?? "execution"} released ${rs.map((r) => `${r.amount} of ${r.resourceName}`).join(", ")} (${reason})`,
    data: { reason, allocations: rs.map((r) => ({ id: r.id, resourceId: r.resourceId, amount: r.amount, cost: r.cost })) },
  }));
}

/** releaseEvents, appended to the execution's timeline at once. */
export async function releaseForExecution(c: SqlClient, exec: LockedExecution, filter: Omit<ReleaseFilter, "executionId">, reason: string, now: Date): Promise<ExecutionUpdate[]> {
  const events = await releaseEvents(c, exec, filter, reason, now);
  return events.length ? appendEvents(c, exec, events, now) : [];
}

/** Cost and use of every allocation the execution's tasks held, to `now` for those still held. */
export async function usageOfExecution(c: SqlClient, executionId: string, now: Date): Promise<UsageTotals> {
  const [row] = await c.query<UsageTotals>(`SELECT ${totalUsageSql("$2::timestamptz")} FROM "ResourceAllocation" a WHERE a."executionId" = $1`, [executionId, now]);
  return row ?? { cost: 0, unitMs: 0, usedUnitMs: 0 };
}

/** A holder's report of the peak amount it used (already clamped to [0, amount]); ignored once released. */
export async function reportUsage(c: SqlClient, allocationId: string, amount: number): Promise<void> {
  await c.query(
    `UPDATE "ResourceAllocation" SET "amountUsed" = greatest(coalesce("amountUsed", 0), $2) WHERE id = $1 AND "releasedAt" IS NULL`,
    [allocationId, amount],
  );
}
