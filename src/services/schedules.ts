import { NotFoundError, ValidationError } from "../domain/errors.ts";
import type { Priority } from "../domain/status.ts";
import { firstRun, validateSpec } from "../domain/schedule/spec.ts";
import type { MisfirePolicy, OverlapPolicy } from "../domain/schedule/policy.ts";
import type { Services } from "./context.ts";
import { loadPlanFor } from "./executions.ts";
import { fire, lockSchedule } from "../store/scheduler.ts";
import { publishUpdates } from "../store/outbox.ts";

// Schedules start executions of a plan by cron (in a time zone), every intervalMs, or once at runAt.
// The worker sweep (store/scheduler.ts) fires them; these are the API's changes.

export interface ScheduleFields {
  cron?: string | null;
  timezone?: string | null;
  intervalMs?: number | null;
  runAt?: Date | null;
  name?: string | null;
  params?: unknown;
  priority?: Priority | null;
  misfirePolicy?: MisfirePolicy | null;
  overlapPolicy?: OverlapPolicy | null;
  maxConsecutiveFailures?: number | null;
  maxExecutionsPerDay?: number | null;
}

export interface CreateScheduleInput extends ScheduleFields {
  planId: string;
}

const LIMITS = { maxConsecutiveFailures: 1000, maxExecutionsPerDay: 100_000, maxNameLength: 200 } as const;

function validateLimits(f: ScheduleFields): void {
  const int = (v: number | null | undefined, field: string, max: number) => {
    if (v != null && (!Number.isInteger(v) || v < 1 || v > max)) throw new ValidationError(field, `must be an integer between 1 and ${max}`);
  };
  int(f.maxConsecutiveFailures, "maxConsecutiveFailures", LIMITS.maxConsecutiveFailures);
  int(f.maxExecutionsPerDay, "maxExecutionsPerDay", LIMITS.maxExecutionsPerDay);
  if (f.name != null && f.name.length > LIMITS.maxNameLength) throw new ValidationError("name", `must be at most ${LIMITS.maxNameLength} characters`);
}

/** The columns to store: undefined leaves a column as is (update), null clears it. */
const columns = (f: ScheduleFields) => ({
  cron: f.cron,
  timezone: f.timezone ?? undefined,
  intervalMs: f.intervalMs,
  runAt: f.runAt,
  name: f.name,
  params: f.params === undefined ? undefined : ((f.params ?? {}) as object),
  priority: f.priority ?? undefined,
  misfirePolicy: f.misfirePolicy ?? undefined,
  overlapPolicy: f.overlapPolicy ?? undefined,
  maxConsecutiveFailures: f.maxConsecutiveFailures ?? undefined,
  maxExecutionsPerDay: f.maxExecutionsPerDay,
});

export async function createSchedule(services: Services, input: CreateScheduleInput) {
  const spec = { cron: input.cron, timezone: input.timezone ?? "UTC", intervalMs: input.intervalMs, runAt: input.runAt };
  validateSpec(spec);
  validateLimits(input);
  await loadPlanFor(services.db.sql, { planId: input.planId, params: input.params });
  return services.db.prisma.schedule.create({
    data: { ...columns(input), planId: input.planId, params: (input.params ?? {}) as object, nextRunAt: firstRun(spec, services.clock()) },
  });
}

async function find(services: Services, id: string) {
  const s = await services.db.prisma.schedule.findUnique({ where: { id } });
  if (!s) throw new NotFoundError("Schedule", id);
  return s;
}

/** Changes the given fields; a changed timing (cron, timezone, intervalMs, runAt) recomputes nextRunAt from now. */
export async function updateSchedule(services: Services, id: string, input: ScheduleFields) {
  const s = await find(services, id);
  const timing = input.cron !== undefined || input.intervalMs !== undefined || input.runAt !== undefined || input.timezone != null;
  const spec = {
    cron: input.cron !== undefined ? input.cron : s.cron,
    timezone: input.timezone ?? s.timezone,
    intervalMs: input.intervalMs !== undefined ? input.intervalMs : s.intervalMs,
    runAt: input.runAt !== undefined ? input.runAt : s.runAt,
  };
  validateSpec(spec);
  validateLimits(input);
  if (input.params !== undefined) await loadPlanFor(services.db.sql, { planId: s.planId, params: input.params });
  const nextRunAt = timing && s.enabled ? { nextRunAt: firstRun(spec, services.clock()) } : {};
  return services.db.prisma.schedule.update({ where: { id }, data: { ...columns(input), ...nextRunAt } });
}

/** Enabling clears disabledReason and the failure streak and plans the next run from now; disabling stops firing. */
export async function setScheduleEnabled(services: Services, id: string, enabled: boolean) {
  const s = await find(services, id);
  const spec = { cron: s.cron, timezone: s.timezone, intervalMs: s.intervalMs, runAt: s.runAt };
  const data = enabled
    ? { enabled, disabledReason: null, consecutiveFailures: 0, nextRunAt: s.enabled ? s.nextRunAt : firstRun(spec, services.clock()) }
    : { enabled, nextRunAt: null };
  return services.db.prisma.schedule.update({ where: { id }, data });
}

/** Deletes the schedule and its firings (returning it as it was); its executions stay. */
export async function deleteSchedule(services: Services, id: string) {
  await find(services, id);
  return services.db.prisma.schedule.delete({ where: { id } });
}

/**
 * Runs the schedule now, enabled or not: one execution with its params and priority, recorded as a
 * TRIGGERED firing (neither overlap policy nor daily cap apply to a manual run). Returns the execution id.
 */
export async function triggerSchedule(services: Services, id: string): Promise<string> {
  await find(services, id);
  const now = services.clock();
  const result = await services.db.sql.tx(async (c) => {
    const s = await lockSchedule(c, id);
    if (!s) throw new NotFoundError("Schedule", id);
    const plan = await loadPlanFor(c, { planId: s.planId });
    // Its due time is now; a firing already at this millisecond (a second click) takes the next one.
    for (let at = now.getTime(); ; at++) {
      const fired = await fire(c, s, plan, new Date(at), now, true);
      if (fired) return fired;
    }
  });
  await publishUpdates(services.bus, result.updates, services.log);
  return result.executionId!;
}
