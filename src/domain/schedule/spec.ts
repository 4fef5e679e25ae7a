import { CronExpressionParser } from "cron-parser";
import { ValidationError } from "../errors.ts";

// When a schedule is due. The one module that imports cron-parser: cron expressions (5 fields, or 6
// with seconds first) are evaluated in an IANA time zone, so daylight-saving changes are handled by
// the zone rules (a 02:30 job runs once on a spring-forward day, at the first 02:30 on a fall-back day).

export interface ScheduleSpec {
  cron?: string | null;
  timezone: string;
  intervalMs?: number | null;
  /** One-shot: a single due time. */
  runAt?: Date | null;
}

export const SCHEDULE_SPEC_LIMITS = { minIntervalMs: 1000, maxIntervalMs: 366 * 24 * 3_600_000, maxCronLength: 200, maxPreview: 100 } as const;

/** Throws ValidationError(`timezone`) unless `zone` is an IANA time zone this runtime knows. */
export function validateTimezone(zone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new ValidationError("timezone", `"${zone.slice(0, 80)}" is not an IANA time zone`);
  }
}

/** Throws ValidationError(`cron`) quoting the problem unless `expr` has 5 or 6 valid fields. */
export function validateCron(expr: string): void {
  const fields = expr.trim().split(/\s+/);
  if (expr.length > SCHEDULE_SPEC_LIMITS.maxCronLength) throw new ValidationError("cron", `must be at most ${SCHEDULE_SPEC_LIMITS.maxCronLength} characters`);
  if (fields.length !== 5 && fields.length !== 6) throw new ValidationError("cron", `"${expr}" has ${fields.length} fields; expected 5 (minute hour day month weekday) or 6 (seconds first)`);
  try {
    CronExpressionParser.parse(expr, { strict: false });
  } catch (err) {
    throw new ValidationError("cron", `"${expr}" is invalid: ${(err as Error).message}`);
  }
}

/** Exactly one of cron, intervalMs and runAt, each valid; the zone always. */
export function validateSpec(spec: ScheduleSpec): void {
  validateTimezone(spec.timezone);
  const kinds = [spec.cron != null, spec.intervalMs != null, spec.runAt != null].filter(Boolean).length;
  if (kinds !== 1) throw new ValidationError("cron", "give exactly one of cron, intervalMs and runAt");
  if (spec.cron != null) validateCron(spec.cron);
  const { minIntervalMs, maxIntervalMs } = SCHEDULE_SPEC_LIMITS;
  if (spec.intervalMs != null && (!Number.isInteger(spec.intervalMs) || spec.intervalMs < minIntervalMs || spec.intervalMs > maxIntervalMs))
    throw new ValidationError("intervalMs", `must be an integer between ${minIntervalMs} and ${maxIntervalMs}`);
}

/** Up to `count` due times strictly after `after`, earliest first. */
export function nextRuns(spec: ScheduleSpec, after: Date, count: number): Date[] {
  if (count <= 0) return [];
  if (spec.runAt) return spec.runAt.getTime() > after.getTime() ? [spec.runAt] : [];
  if (spec.intervalMs) return Array.from({ length: count }, (_, i) => new Date(after.getTime() + (i + 1) * spec.intervalMs!));
  const it = CronExpressionParser.parse(spec.cron!, { currentDate: after, tz: spec.timezone });
  const out: Date[] = [];
  while (out.length < count && it.hasNext()) out.push(it.next().toDate());
  return out;
}

/** The first due time strictly after `now`, continuing from `from` (a due time): for intervals, on the same grid. */
export function nextRunAfter(spec: ScheduleSpec, from: Date, now: Date): Date | null {
  if (spec.intervalMs && from.getTime() <= now.getTime()) {
    const steps = Math.floor((now.getTime() - from.getTime()) / spec.intervalMs) + 1;
    return new Date(from.getTime() + steps * spec.intervalMs);
  }
  return nextRuns(spec, from.getTime() > now.getTime() ? new Date(from.getTime() - 1) : now, 1)[0] ?? null;
}

/** The first due time of a new (or re-enabled) schedule: runAt itself for a one-shot. */
export function firstRun(spec: ScheduleSpec, now: Date): Date | null {
  if (spec.runAt) return spec.runAt;
  return nextRuns(spec, now, 1)[0] ?? null;
}

/** Due times from `first` (included) up to `now`, at most `limit` (the latest ones when there are more). */
export function dueTimes(spec: ScheduleSpec, first: Date, now: Date, limit: number): Date[] {
  if (first.getTime() > now.getTime()) return [];
  if (spec.intervalMs) {
    const n = Math.floor((now.getTime() - first.getTime()) / spec.intervalMs) + 1;
    const skip = Math.max(0, n - limit);
    return Array.from({ length: n - skip }, (_, i) => new Date(first.getTime() + (skip + i) * spec.intervalMs!));
  }
  const out = [first];
  if (spec.runAt) return out;
  const it = CronExpressionParser.parse(spec.cron!, { currentDate: first, tz: spec.timezone, endDate: now });
  // Bounded walk: keep the latest `limit` (a cron every second, down a day, is 86 400 steps; cap the walk too).
  for (let i = 0; i < 100_000 && it.hasNext(); i++) {
    out.push(it.next().toDate());
    if (out.length > limit) out.shift();
  }
  return out;
}
