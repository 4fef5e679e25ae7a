import type { SqlClient } from "../infra/sql.ts";
import { CLAIMABLE_EXECUTION_STATUSES, type Priority, type TaskStatus } from "../domain/status.ts";
import { appendEvents, lockExecution, type NewEvent } from "../services/outbox.ts";
import type { ExecutionUpdate } from "../services/updates.ts";
import type { Sql } from "../infra/sql.ts";

export interface ClaimedRun {
  id: string;
  executionId: string;
  key: string;
  name: string;
  handler: string;
  input: unknown;
  dependsOn: string[];
  priority: Priority;
  timeoutMs: number | null;
  status: TaskStatus;
  attempt: number;
}

/**
 * Claims up to `limit` READY task runs of claimable executions, highest priority first, then oldest
 * readiness. SKIP LOCKED on both the run and its execution: concurrent workers never wait on each other
 * and never take the same run; the execution lock also orders the TASK_STARTED events.
 */
export async function claimRuns(
  sql: Sql,
  opts: { workerId: string; limit: number; leaseMs: number; now: Date },
): Promise<{ runs: ClaimedRun[]; updates: ExecutionUpdate[] }> {
  return sql.tx(async (c) => {
    const runs = await c.query<ClaimedRun>(
      `WITH picked AS (
         SELECT t.id FROM "TaskRun" t JOIN "Execution" e ON e.id = t."executionId"
          WHERE t.status = 'READY' AND e.status = ANY($5::text[]::"ExecutionStatus"[])
          ORDER BY t.priority, t."readyAt", t.position
          LIMIT $1
          FOR UPDATE OF t, e SKIP LOCKED)
       UPDATE "TaskRun" t
          SET status = 'RUNNING', attempt = t.attempt + 1, "startedAt" = $2, "finishedAt" = NULL,
              "leaseOwner" = $3, "leaseExpiresAt" = $4
         FROM picked WHERE t.id = picked.id
       RETURNING t.id, t."executionId", t.key, t.name, t.handler, t.input, t."dependsOn", t.priority, t."timeoutMs", t.status, t.attempt`,
      [opts.limit, opts.now, opts.workerId, new Date(opts.now.getTime() + opts.leaseMs), CLAIMABLE_EXECUTION_STATUSES],
    );
    const updates: ExecutionUpdate[] = [];
    for (const executionId of new Set(runs.map((r) => r.executionId))) {
      const exec = (await lockExecution(c, executionId))!;
      const events: NewEvent[] = [];
      const first = exec.status === "PENDING";
      if (first) events.push({ type: "EXECUTION_STARTED", status: "RUNNING", message: "execution started" });
      for (const r of runs.filter((r) => r.executionId === executionId))
        events.push({ type: "TASK_STARTED", taskKey: r.key, message: `task ${r.key} started (attempt ${r.attempt})`, data: { attempt: r.attempt, worker: opts.workerId } });
      updates.push(...(await appendEvents(c, exec, events, opts.now, first ? { startedAt: opts.now } : {})));
    }
    return { runs, updates };
  });
}

/** Extends the leases this worker holds; returns the ids it no longer holds (cancelled or taken over). */
export async function renewLeases(sql: Sql, opts: { workerId: string; ids: string[]; leaseMs: number; now: Date }): Promise<string[]> {
  if (opts.ids.length === 0) return [];
  const held = await sql.query<{ id: string }>(
    `UPDATE "TaskRun" SET "leaseExpiresAt" = $3
      WHERE id = ANY($1::uuid[]) AND "leaseOwner" = $2 AND status = 'RUNNING' RETURNING id`,
    [opts.ids, opts.workerId, new Date(opts.now.getTime() + opts.leaseMs)],
  );
  const kept = new Set(held.map((r) => r.id));
  return opts.ids.filter((id) => !kept.has(id));
}

/** Outputs of a run's dependencies and the execution's params: what the handler's context exposes. */
export async function loadRunContext(c: SqlClient, run: ClaimedRun): Promise<{ params: unknown; dependencies: Record<string, unknown> }> {
  const [exec] = await c.query<{ params: unknown }>(`SELECT params FROM "Execution" WHERE id = $1`, [run.executionId]);
  const deps = run.dependsOn.length
    ? await c.query<{ key: string; output: unknown }>(`SELECT key, output FROM "TaskRun" WHERE "executionId" = $1 AND key = ANY($2::text[])`, [run.executionId, run.dependsOn])
    : [];
  return { params: exec?.params ?? null, dependencies: Object.fromEntries(deps.map((d) => [d.key, d.output])) };
}
