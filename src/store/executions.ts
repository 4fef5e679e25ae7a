import { isUuid } from "../domain/ids.ts";
import { initialStats } from "../domain/progress.ts";
import { downstreamLengths } from "../domain/eta.ts";
import { dependantsOf } from "../domain/dag.ts";
import type { Priority } from "../domain/status.ts";
import { bestPriority } from "../domain/resources/rank.ts";
import { requirementsOf } from "../domain/resources/requirements.ts";
import type { SqlClient } from "../infra/sql.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";
import { notifyReady } from "./lifecycle.ts";
import { appendEvents, lockExecution } from "./outbox.ts";

/** A plan as an execution copies it: its own limits and every task, in position order. */
export interface PlanForRun {
  id: string;
  name: string;
  maxParallelism: number | null;
  maxConcurrentExecutions: number | null;
  tasks: {
    position: number; key: string; name: string; handler: string; input: unknown; dependsOn: string[]; priority: Priority | null;
    timeoutMs: number | null; retryPolicy: unknown; recovery: unknown; fallback: boolean; resources: unknown;
  }[];
}

/** What an execution starts with (validated by the caller). */
export interface NewExecution {
  planId: string;
  params?: unknown;
  priority?: Priority | null;
  /** SCHEDULED until then. */
  runAt?: Date | null;
  /** Executions that must COMPLETE first. */
  dependsOn?: readonly string[] | null;
  /** The same key (per plan) returns the execution it first created. */
  idempotencyKey?: string | null;
  maxParallelism?: number | null;
  timeoutMs?: number | null;
  /** The schedule that started it. */
  scheduleId?: string | null;
  /** The trigger (metric condition or webhook) that started it. */
  triggerId?: string | null;
}


/** One statement, on the caller's connection (inside a transaction too); null when there is no such plan. */
export async function readPlan(c: SqlClient, planId: string): Promise<PlanForRun | null> {
  if (!isUuid(planId)) return null;
  const [plan] = await c.query<PlanForRun>(
    `SELECT p.id, p.name, p."maxParallelism", p."maxConcurrentExecutions",
            coalesce((SELECT json_agg(json_build_object(
                'position', t.position, 'key', t.key, 'name', t.name, 'handler', t.handler, 'input', t.input, 'dependsOn', t."dependsOn",
                'priority', t.priority, 'timeoutMs', t."timeoutMs", 'retryPolicy', t."retryPolicy", 'recovery', t.recovery,
                'fallback', t.fallback, 'resources', t.resources) ORDER BY t.position)
              FROM "PlanTask" t WHERE t."planId" = p.id), '[]'::json) AS tasks
       FROM "Plan" p WHERE p.id = $1`,
    [planId],
  );
  return plan ?? null;
}

/** The inserting half of scheduleExecution, inside the caller's transaction: null when the idempotency key was taken. */
export async function insertExecution(c: SqlClient, plan: PlanForRun, input: NewExecution, now: Date): Promise<{ id: string; updates: ExecutionUpdate[] } | null> {
  const dependsOn = [...new Set(input.dependsOn ?? [])];
  const priority = input.priority ?? "NORMAL";
  const scheduled = dependsOn.length > 0 || (input.runAt != null && input.runAt.getTime() > now.getTime());
  const maxParallelism = input.maxParallelism ?? plan.maxParallelism;
  // Limits never change after this (plans are immutable): whether a run is claimed on the limited path is decided once.
  const limited = maxParallelism !== null || plan.maxConcurrentExecutions !== null;
  const downstream = downstreamLengths(plan.tasks);
  const dependants = dependantsOf(plan.tasks);
  const runs = plan.tasks.map((t) => ({
    position: t.position,
    key: t.key,
    name: t.name,
    handler: t.handler,
    input: t.input,
    dependsOn: t.dependsOn,
    priority: t.priority ?? priority,
    timeoutMs: t.timeoutMs,
    status: t.dependsOn.length === 0 && !t.fallback ? "READY" : "WAITING",
    readyAt: t.dependsOn.length === 0 && !t.fallback ? now.toISOString() : null,
    retryPolicy: t.retryPolicy,
    recovery: t.recovery,
    fallback: t.fallback,
    downstream: downstream.get(t.key)!,
    dependants: dependants.get(t.key)!,
    pendingDeps: new Set(t.dependsOn).size, // nothing is satisfied yet
    resources: t.resources,
    needsResources: requirementsOf(t.resources).length > 0,
    limited: limited || requirementsOf(t.resources).length > 0,
    resourcePriority: bestPriority(requirementsOf(t.resources).map((r) => r.priority)),
  }));
  // ON CONFLICT: a concurrent call with the same idempotency key won; return its execution.
  const [row] = await c.query<{ id: string }>(
    `INSERT INTO "Execution" (id, "planId", status, priority, params, "createdAt", stats, "runAt", "dependsOn", "idempotencyKey", "maxParallelism", "timeoutMs", "scheduleId", "triggerId", "usesResources")
     VALUES (gen_random_uuid(), $1, $6::"ExecutionStatus", $2::"Priority", $3::jsonb, $4, $5::jsonb, $7, $8::uuid[], $9, $10, $11, $12, $13, $14)
     ON CONFLICT ("planId", "idempotencyKey") DO NOTHING RETURNING id`,
    [plan.id, priority, JSON.stringify(input.params ?? {}), now, JSON.stringify(initialStats(runs.length, now)), scheduled ? "SCHEDULED" : "PENDING",
      input.runAt ?? null, dependsOn, input.idempotencyKey ?? null, maxParallelism, input.timeoutMs ?? null, input.scheduleId ?? null, input.triggerId ?? null, runs.some((r) => r.needsResources)],
  );
  if (!row) return null;
  // Their ends wake the workers, which then promote (or fail) this one.
  if (dependsOn.length) await c.query(`UPDATE "Execution" SET "hasDependants" = true WHERE id = ANY($1::uuid[]) AND NOT "hasDependants"`, [dependsOn]);
  await c.query(
    `INSERT INTO "TaskRun" (id, "executionId", position, key, name, handler, input, "dependsOn", priority, "timeoutMs", status, "readyAt",
                            "retryPolicy", recovery, fallback, downstream, dependants, "pendingDeps", resources, "needsResources", limited, "resourcePriority")
     SELECT gen_random_uuid(), $1, r.position, r.key, r.name, r.handler, coalesce(r.input, 'null'::jsonb), r."dependsOn", r.priority::"Priority",
            r."timeoutMs", r.status::"TaskStatus", r."readyAt", r."retryPolicy", r.recovery, r.fallback, r.downstream, r.dependants, r."pendingDeps", r.resources, r."needsResources", r.limited, r."resourcePriority"::"Priority"
       FROM jsonb_to_recordset($2::jsonb) AS r(position int, key text, name text, handler text, input jsonb,
            "dependsOn" text[], priority text, "timeoutMs" int, status text, "readyAt" timestamptz, "retryPolicy" jsonb, recovery jsonb, fallback boolean, downstream int, dependants text[], "pendingDeps" int,
            resources jsonb, "needsResources" boolean, limited boolean, "resourcePriority" text)`,
    [row.id, JSON.stringify(runs)],
  );
  const exec = (await lockExecution(c, row.id))!;
  const when = scheduled ? ` (waits for ${[input.runAt && input.runAt > now ? input.runAt.toISOString() : null, dependsOn.length ? `${dependsOn.length} execution(s)` : null].filter(Boolean).join(" and ")})` : "";
  const updates = await appendEvents(c, exec, [
    { type: "EXECUTION_SCHEDULED", message: `execution of plan "${plan.name}" scheduled with ${runs.length} tasks${when}`, data: { priority, runAt: input.runAt ?? null, dependsOn } },
  ], now);
  await notifyReady(c, row.id);
  return { id: row.id, updates };
}
