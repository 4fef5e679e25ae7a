import { jsonBytes } from "../domain/dag.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import { validateLimit } from "../domain/plan.ts";
import type { Services } from "./context.ts";
import { publishUpdates } from "../store/outbox.ts";
import { insertExecution, readPlan, type NewExecution, type PlanForRun } from "../store/executions.ts";
import type { SqlClient } from "../infra/sql.ts";

export const MAX_PARAMS_BYTES = 64 * 1024;

export type ScheduleInput = NewExecution;

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

/**
 * Validates `input` and loads its plan (NotFoundError when there is none), through `c`: inside a
 * transaction, the transaction's own client.
 */
export async function loadPlanFor(c: SqlClient, input: ScheduleInput): Promise<PlanForRun> {
  validate(input);
  const plan = await readPlan(c, input.planId);
  if (!plan) throw new NotFoundError("Plan", input.planId);
  return plan;
}

/**
 * Creates an execution and its task runs, marks the roots READY and records EXECUTION_SCHEDULED, all
 * in one transaction; then wakes the workers and publishes the first update.
 */
export async function scheduleExecution({ db, bus, log, clock }: Services, input: ScheduleInput): Promise<string> {
  const plan = await loadPlanFor(db.sql, input);
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

