import { randomBytes } from "node:crypto";
import { jsonBytes } from "../domain/dag.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import type { ComparisonOperator } from "../domain/metrics/condition.ts";
import { validateMetricName } from "../domain/metrics/samples.ts";
import type { Priority } from "../domain/status.ts";
import type { Services } from "./context.ts";
import { MAX_PARAMS_BYTES } from "./executions.ts";

export interface CreateTriggerInput {
  planId: string;
  kind: "METRIC" | "WEBHOOK";
  name?: string | null;
  metric?: string | null;
  operator?: ComparisonOperator | null;
  threshold?: number | null;
  durationMs?: number | null;
  cooldownMs?: number | null;
  params?: unknown;
  priority?: Priority | null;
}

export const TRIGGER_LIMITS = { maxNameLength: 200, maxDurationMs: 7 * 24 * 3_600_000 } as const;

function validate(input: CreateTriggerInput): void {
  if (input.name != null && (input.name.trim().length === 0 || input.name.length > TRIGGER_LIMITS.maxNameLength))
    throw new ValidationError("input.name", `must be 1-${TRIGGER_LIMITS.maxNameLength} characters`);
  for (const field of ["durationMs", "cooldownMs"] as const) {
    const v = input[field];
    if (v != null && (!Number.isInteger(v) || v < 0 || v > TRIGGER_LIMITS.maxDurationMs)) throw new ValidationError(`input.${field}`, `must be an integer between 0 and ${TRIGGER_LIMITS.maxDurationMs}`);
  }
  if (input.params != null && (typeof input.params !== "object" || Array.isArray(input.params))) throw new ValidationError("input.params", "must be a JSON object");
  if (jsonBytes(input.params) > MAX_PARAMS_BYTES) throw new ValidationError("input.params", `must be at most ${MAX_PARAMS_BYTES} bytes of JSON`);
  if (input.kind === "METRIC") {
    if (input.metric == null) throw new ValidationError("input.metric", "is required for a METRIC trigger");
    validateMetricName("input.metric", input.metric);
    if (input.operator == null) throw new ValidationError("input.operator", "is required for a METRIC trigger");
    if (input.threshold == null || !Number.isFinite(input.threshold)) throw new ValidationError("input.threshold", "a finite number is required for a METRIC trigger");
  } else {
    for (const field of ["metric", "operator", "threshold", "durationMs", "cooldownMs"] as const)
      if (input[field] != null) throw new ValidationError(`input.${field}`, "only applies to METRIC triggers");
  }
}

/** Stores a trigger; a WEBHOOK trigger gets a random secret, returned here only. */
export async function createTrigger({ db }: Services, input: CreateTriggerInput): Promise<{ id: string; secret: string | null }> {
  validate(input);
  if (!(await db.prisma.plan.findUnique({ where: { id: input.planId }, select: { id: true } }))) throw new NotFoundError("Plan", input.planId);
  const secret = input.kind === "WEBHOOK" ? randomBytes(32).toString("hex") : null;
  const { id } = await db.prisma.trigger.create({
    data: {
      planId: input.planId,
      kind: input.kind,
      name: input.name?.trim() ?? null,
      metric: input.metric ?? null,
      operator: input.operator ?? null,
      threshold: input.threshold ?? null,
      durationMs: input.durationMs ?? 0,
      cooldownMs: input.cooldownMs ?? 0,
      params: (input.params ?? {}) as object,
      priority: input.priority ?? "NORMAL",
      secret,
    },
    select: { id: true },
  });
  return { id, secret };
}

/** Enabling (re-)arms a metric trigger and forgets how long its condition held. */
export async function setTriggerEnabled({ db }: Services, id: string, enabled: boolean): Promise<void> {
  const { count } = await db.prisma.trigger.updateMany({ where: { id }, data: enabled ? { enabled, armed: true, holdingSince: null } : { enabled } });
  if (count === 0) throw new NotFoundError("Trigger", id);
}

/** Its executions stay (their triggerId names a trigger that no longer exists). */
export async function deleteTrigger({ db }: Services, id: string): Promise<void> {
  const { count } = await db.prisma.trigger.deleteMany({ where: { id } });
  if (count === 0) throw new NotFoundError("Trigger", id);
}
