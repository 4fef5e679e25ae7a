import { NotFoundError, ValidationError } from "../domain/errors.ts";
import { COMPARISON_OPERATORS, type ComparisonOperator } from "../domain/metrics/condition.ts";
import { METRIC_LIMITS, validateMetricName } from "../domain/metrics/samples.ts";
import { ALERT_DELIVERY } from "../domain/alerts/delivery.ts";
import type { AlertMessage, AlertSeverity } from "../domain/alerts/message.ts";
import { publishUpdates } from "../store/outbox.ts";
import { claimDueDeliveries, firePendingScopes, recordDelivery, type AlertOutcome, type DueDelivery } from "../store/alerts.ts";
import type { Services } from "./context.ts";

/** Bus keys of an alert: every subscriber filter it satisfies (all alerts, its execution, its plan). */
export const ALERT_ALL_KEY = "*";
export const alertKeys = (a: Pick<AlertMessage, "executionId" | "planId">): string[] => [
  ALERT_ALL_KEY,
  ...(a.executionId ? [`execution:${a.executionId}`] : []),
  ...(a.planId ? [`plan:${a.planId}`] : []),
];

// ---------------------------------------------------------------------------------------------------
// Rules

export interface SetAlertInput {
  condition: { metric: string; operator: ComparisonOperator; threshold: number; duration?: number | null; resolveThreshold?: number | null };
  executionId?: string | null;
  planId?: string | null;
  labels?: unknown;
  webhookUrl?: string | null;
  severity?: AlertSeverity | null;
}

export const ALERT_LIMITS = { maxDurationMs: 86_400_000, maxWebhookUrlLength: 2000 } as const;

function validateAlert(input: SetAlertInput): Record<string, string> | null {
  const c = input.condition;
  validateMetricName("input.condition.metric", c.metric);
  if (!COMPARISON_OPERATORS.includes(c.operator)) throw new ValidationError("input.condition.operator", `must be one of ${COMPARISON_OPERATORS.join(", ")}`);
  if (!Number.isFinite(c.threshold)) throw new ValidationError("input.condition.threshold", "must be a finite number");
  if (c.duration != null && (!Number.isInteger(c.duration) || c.duration < 0 || c.duration > ALERT_LIMITS.maxDurationMs))
    throw new ValidationError("input.condition.duration", `must be an integer number of ms between 0 and ${ALERT_LIMITS.maxDurationMs} (1 day)`);
  if (c.resolveThreshold != null) {
    if (!Number.isFinite(c.resolveThreshold)) throw new ValidationError("input.condition.resolveThreshold", "must be a finite number");
    // Past the threshold on the resolving side: GT 90 may resolve at 80, not at 95.
    const wrongSide = c.operator === "EQ" ? false : c.operator.startsWith("G") ? c.resolveThreshold > c.threshold : c.resolveThreshold < c.threshold;
    if (wrongSide) throw new ValidationError("input.condition.resolveThreshold", `must be on the resolving side of the threshold (${c.operator.startsWith("G") ? "≤" : "≥"} ${c.threshold})`);
  }
  if (input.webhookUrl != null) {
    let url: URL | null = null;
    try {
      url = new URL(input.webhookUrl);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || input.webhookUrl.length > ALERT_LIMITS.maxWebhookUrlLength)
      throw new ValidationError("input.webhookUrl", `must be an http(s) URL of at most ${ALERT_LIMITS.maxWebhookUrlLength} characters`);
  }
  if (input.labels == null) return null;
  if (typeof input.labels !== "object" || Array.isArray(input.labels)) throw new ValidationError("input.labels", "must be a JSON object of strings");
  const entries = Object.entries(input.labels as Record<string, unknown>);
  if (entries.length > METRIC_LIMITS.maxLabels) throw new ValidationError("input.labels", `at most ${METRIC_LIMITS.maxLabels} labels`);
  for (const [k, v] of entries)
    if (typeof v !== "string" || k.length === 0 || k.length > METRIC_LIMITS.maxLabelLength || v.length > METRIC_LIMITS.maxLabelLength)
      throw new ValidationError(`input.labels.${k.slice(0, 80)}`, `must be a string of at most ${METRIC_LIMITS.maxLabelLength} characters`);
  return entries.length ? (Object.fromEntries(entries) as Record<string, string>) : null;
}

/** Stores an alert rule; scope: an execution, every execution of a plan, or (neither) global. */
export async function setAlert({ db }: Services, input: SetAlertInput): Promise<string> {
  const labels = validateAlert(input);
  if (input.executionId && !(await db.prisma.execution.findUnique({ where: { id: input.executionId }, select: { id: true } }))) throw new NotFoundError("Execution", input.executionId);
  if (input.planId && !(await db.prisma.plan.findUnique({ where: { id: input.planId }, select: { id: true } }))) throw new NotFoundError("Plan", input.planId);
  const c = input.condition;
  const { id } = await db.prisma.alertRule.create({
    data: {
      metric: c.metric,
      operator: c.operator,
      threshold: c.threshold,
      durationMs: c.duration ?? 0,
      resolveThreshold: c.resolveThreshold ?? null,
      executionId: input.executionId ?? null,
      planId: input.planId ?? null,
      labels: labels ?? undefined,
      webhookUrl: input.webhookUrl ?? null,
      severity: input.severity ?? "WARNING",
    },
    select: { id: true },
  });
  return id;
}

/** Deletes a rule with its alerts and their delivery attempts. */
export async function removeAlert({ db }: Services, id: string): Promise<void> {
  const { count } = await db.prisma.alertRule.deleteMany({ where: { id } });
  if (count === 0) throw new NotFoundError("AlertRule", id);
}

/** Marks an alert acknowledged (once: a second call keeps the first time). */
export async function acknowledgeAlert({ db, clock }: Services, id: string): Promise<void> {
  const { count } = await db.prisma.alert.updateMany({ where: { id, acknowledgedAt: null }, data: { acknowledgedAt: clock() } });
  if (count === 0 && !(await db.prisma.alert.findUnique({ where: { id }, select: { id: true } }))) throw new NotFoundError("Alert", id);
}

// ---------------------------------------------------------------------------------------------------
// Evaluation (store/alerts.ts writes, these publish after commit)

/** After commit: timeline updates and the live `alertTriggered` stream (best effort; the rows are the record). */
export async function publishAlerts(services: Pick<Services, "bus" | "log">, outcome: AlertOutcome): Promise<void> {
  await publishUpdates(services.bus, outcome.updates, services.log);
  for (const alert of outcome.triggered)
    for (const key of alertKeys(alert))
      await services.bus.publish("alertTriggered", key, alert).catch((err: Error) => services.log.warn({ err: err.message, alert: alert.id }, "alert not published"));
}

/** Fires the pending scopes that are due (store/alerts.ts), then publishes what fired. */
export async function firePendingAlerts(services: Services, now: Date): Promise<void> {
  await publishAlerts(services, await firePendingScopes(services.db.sql, now, services.log));
}

// ---------------------------------------------------------------------------------------------------
// Webhook delivery

let delivering = 0;

/**
 * Claims due delivery attempts (store/alerts.ts) and POSTs them in the background: the worker loop
 * does not wait for receivers. Each attempt is one AlertDelivery row; a failed one schedules the next.
 */
export async function deliverDueAlerts(services: Services, now: Date): Promise<void> {
  if (delivering > 0) return; // this process still posts the previous batch
  const due = await claimDueDeliveries(services.db.sql, now);
  if (due.length === 0) return;
  delivering += due.length;
  for (const d of due)
    void deliverOne(services, d)
      .catch((err: Error) => services.log.warn({ err: err.message, delivery: d.id }, "alert delivery not recorded"))
      .finally(() => (delivering -= 1));
}

/** Waits for this process's in-flight POSTs (tests, shutdown). */
export async function alertDeliveriesIdle(timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (delivering > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

async function deliverOne(services: Services, d: DueDelivery): Promise<void> {
  const { db, clock } = services;
  const alert = await db.prisma.alert.findUnique({ where: { id: d.alertId }, include: { rule: true } });
  if (!alert) return; // its rule was removed meanwhile (cascade)
  const { rule, ...row } = alert;
  const body = JSON.stringify({
    alert: row,
    rule: { id: rule.id, metric: rule.metric, operator: rule.operator, threshold: rule.threshold, durationMs: rule.durationMs, resolveThreshold: rule.resolveThreshold, executionId: rule.executionId, planId: rule.planId, labels: rule.labels, severity: rule.severity },
    state: d.kind === "RESOLVED" ? "RESOLVED" : "FIRING",
  });
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(d.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-alert-id": alert.id, "x-alert-delivery": d.id },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(ALERT_DELIVERY.timeoutMs),
    });
    status = res.status;
    const text = (await res.text().catch(() => "")).slice(0, ALERT_DELIVERY.maxErrorChars);
    if (!res.ok) error = `HTTP ${res.status}${text ? `: ${text}` : ""}`;
  } catch (err) {
    error = ((err as Error).name === "TimeoutError" ? `timed out after ${ALERT_DELIVERY.timeoutMs} ms` : (err as Error).message).slice(0, ALERT_DELIVERY.maxErrorChars);
  }
  const now = clock();
  await recordDelivery(db.sql, d, { status, error }, now);
}
