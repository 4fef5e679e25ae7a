import { jsonBytes } from "../domain/dag.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import { initialStats } from "../domain/progress.ts";
import type { Priority } from "../domain/status.ts";
import { bestPriority } from "../domain/resources/rank.ts";
import { requirementsOf } from "../domain/resources/requirements.ts";
import { validateLimit } from "../domain/plan.ts";
import type { Services } from "./context.ts";
import { notifyReady } from "../store/lifecycle.ts";
import { appendEvents, lockExecution, publishUpdates } from "../store/outbox.ts";
import type { SqlClient } from "../infra/sql.ts";
import type { ExecutionUpdate } from "./updates.ts";

export const MAX_PARAMS_BYTES = 64 * 1024;

export interface ScheduleInput {
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

export const SCHEDULE_LIMITS = { maxDependsOn: 50, maxIdempotencyKeyLength: 200, maxTimeoutMs: 7 * 24 * 3_600_000 } as const;

function validate(input: ScheduleInput): void {
  if (jsonBytes(input.params) > MAX_PARAMS_BYTES) throw new ValidationError("params", `must be at most ${MAX_PARAMS_BYTES} bytes of JSON`);
  validateLimit(input.maxParallelism, "maxParallelism");
  if (input.timeoutMs != null && (!Number.isInteger(input.timeoutMs) || input.timeoutMs < 1 || input.timeoutMs > SCHEDULE_LIMITS.maxTimeoutMs))
    throw new ValidationError("timeoutMs", `must be an integer between 1 and ${SCHEDULE_LIMITS.maxTimeoutMs}`);
  if ((input.dependsOn?.length ?? 0) > SCHEDULE_LIMITS.maxDependsOn) throw new ValidationError("dependsOn", `may name at most ${SCHEDULE_LIMITS.maxDependsOn} executions`);
  const key = input.idempotencyKey;
  if (key != null && (key.length === 0 || key.length > SCHEDULE_LIMITS.maxIdempotencyKeyLength))
    throw new ValidationError("idempotencyKey", `must be 1-${SCHEDULE_LIMITS.maxIdempotencyKeyLength} characters`);
}

const findPlan = (db: Services["db"], planId: string) =>
  db.prisma.plan.findUnique({ where: { id: planId }, include: { tasks: { orderBy: { position: "asc" } } } });
export type PlanWithTasks = NonNullable<Awaited<ReturnType<typeof findPlan>>>;

/** Validates `input` and loads its plan (NotFoundError when there is none). */
export async function loadPlanFor(db: Services["db"], input: ScheduleInput): Promise<PlanWithTasks> {
  validate(input);
  const plan = await findPlan(db, input.planId);
  if (!plan) throw new NotFoundError("Plan", input.planId);
  return plan;
}

/**
 * Creates an execution and its task runs, marks the roots READY and records EXECUTION_SCHEDULED, all
 * in one transaction; then wakes the workers and publishes the first update.
 */
export async function scheduleExecution({ db, bus, log, clock }: Services, input: ScheduleInput): Promise<string> {
  const plan = await loadPlanFor(db, input);
  if (input.idempotencyKey) {
    const existing = await db.prisma.execution.findUnique({ where: { planId_idempotencyKey: { planId: plan.id, idempotencyKey: input.idempotencyKey } }, select: { id: true } });
    if (existing) return existing.id;
  }
  const dependsOn = [...new Set(input.dependsOn ?? [])];
  if (dependsOn.length) {
    const found = new Set((await db.prisma.execution.findMany({ where: { id: { in: dependsOn } }, select: { id: true } })).map((e) => e.id));
    const missing = dependsOn.findIndex((id) => !found.has(id));
    if (missing >= 0) throw new NotFoundError("Execution", dependsOn[missing]!);
  }
  const result = await db.sql.tx((c) => insertExecution(c, plan, { ...input, dependsOn }, clock()));
  if (!result) return (await db.prisma.execution.findUniqueOrThrow({ where: { planId_idempotencyKey: { planId: plan.id, idempotencyKey: input.idempotencyKey! } }, select: { id: true } })).id;
  await publishUpdates(bus, result.updates, log);
  return result.id;
}

/** The inserting half of scheduleExecution, inside the caller's transaction: null when the idempotency key was taken. */
export async function insertExecution(c: SqlClient, plan: PlanWithTasks, input: ScheduleInput, now: Date): Promise<{ id: string; updates: ExecutionUpdate[] } | null> {
  const dependsOn = [...new Set(input.dependsOn ?? [])];
  const priority = input.priority ?? "NORMAL";
  const scheduled = dependsOn.length > 0 || (input.runAt != null && input.runAt.getTime() > now.getTime());
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
    resources: t.resources,
    needsResources: requirementsOf(t.resources).length > 0,
    resourcePriority: bestPriority(requirementsOf(t.resources).map((r) => r.priority)),
  }));
  // ON CONFLICT: a concurrent call with the same idempotency key won; return its execution.
  const [row] = await c.query<{ id: string }>(
    `INSERT INTO "Execution" (id, "planId", status, priority, params, "createdAt", stats, "runAt", "dependsOn", "idempotencyKey", "maxParallelism", "timeoutMs", "scheduleId", "triggerId", "usesResources")
     VALUES (gen_random_uuid(), $1, $6::"ExecutionStatus", $2::"Priority", $3::jsonb, $4, $5::jsonb, $7, $8::uuid[], $9, $10, $11, $12, $13, $14)
     ON CONFLICT ("planId", "idempotencyKey") DO NOTHING RETURNING id`,
    [plan.id, priority, JSON.stringify(input.params ?? {}), now, JSON.stringify(initialStats(runs.length, now)), scheduled ? "SCHEDULED" : "PENDING",
      input.runAt ?? null, dependsOn, input.idempotencyKey ?? null, input.maxParallelism ?? plan.maxParallelism, input.timeoutMs ?? null, input.scheduleId ?? null, input.triggerId ?? null, runs.some((r) => r.needsResources)],
  );
  if (!row) return null;
  await c.query(
    `INSERT INTO "TaskRun" (id, "executionId", position, key, name, handler, input, "dependsOn", priority, "timeoutMs", status, "readyAt",
                            "retryPolicy", recovery, fallback, resources, "needsResources", "resourcePriority")
     SELECT gen_random_uuid(), $1, r.position, r.key, r.name, r.handler, coalesce(r.input, 'null'::jsonb), r."dependsOn", r.priority::"Priority",
            r."timeoutMs", r.status::"TaskStatus", r."readyAt", r."retryPolicy", r.recovery, r.fallback, r.resources, r."needsResources", r."resourcePriority"::"Priority"
       FROM jsonb_to_recordset($2::jsonb) AS r(position int, key text, name text, handler text, input jsonb,
            "dependsOn" text[], priority text, "timeoutMs" int, status text, "readyAt" timestamptz, "retryPolicy" jsonb, recovery jsonb, fallback boolean,
            resources jsonb, "needsResources" boolean, "resourcePriority" text)`,
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
