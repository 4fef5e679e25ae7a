import { randomUUID } from "node:crypto";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import { COMPARISON_OPERATORS, type ComparisonOperator } from "../domain/metrics/condition.ts";
import { METRIC_LIMITS, validateMetricName, type ValidSample } from "../domain/metrics/samples.ts";
import {
  GLOBAL_SCOPE,
  RuleIndex,
  parseRuleState,
  scopeKey,
  stepAlert,
  tickAlert,
  type AlertRuleSpec,
  type ScopeState,
  type Transition,
} from "../domain/alerts/rules.ts";
import { ALERT_DELIVERY, retryDelayMs } from "../domain/alerts/delivery.ts";
import type { SqlClient } from "../infra/sql.ts";
import { appendEvents, lockExecution, publishUpdates } from "../store/outbox.ts";
import type { ExecutionUpdate } from "./updates.ts";
import type { Services } from "./context.ts";

export type AlertSeverity = "INFO" | "WARNING" | "CRITICAL";
export type AlertState = "FIRING" | "RESOLVED";

/** An alert as published on the `alertTriggered` topic (the Alert row). */
export interface AlertMessage {
  id: string;
  ruleId: string;
  executionId: string | null;
  planId: string | null;
  state: AlertState;
  value: number;
  message: string;
  severity: AlertSeverity;
  triggeredAt: Date;
  resolvedAt: Date | null;
  acknowledgedAt: Date | null;
}

export const encodeAlert = (a: AlertMessage): string => JSON.stringify(a);
export function decodeAlert(raw: string): AlertMessage {
  const a = JSON.parse(raw) as AlertMessage & Record<string, unknown>;
  const date = (v: unknown) => (typeof v === "string" ? new Date(v) : null);
  return { ...a, triggeredAt: date(a.triggeredAt)!, resolvedAt: date(a.resolvedAt), acknowledgedAt: date(a.acknowledgedAt) };
}

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
// Evaluation

interface RuleRow extends AlertRuleSpec {
  severity: AlertSeverity;
  webhookUrl: string | null;
  state: unknown;
}

const RULE_COLUMNS = `id, metric, operator, threshold, "durationMs", "resolveThreshold", "executionId", "planId", labels, "webhookUrl", severity, state`;

export interface AlertOutcome {
  triggered: AlertMessage[];
  updates: ExecutionUpdate[];
}

/**
 * Evaluates the enabled alert rules on a batch of samples (sorted by time), inside the caller's
 * transaction: the matching rules are locked (FOR UPDATE, by id) so concurrent reports move each
 * rule's state once; alerts and their timeline events are written here; the caller publishes after commit.
 */
export async function evaluateAlerts(c: SqlClient, samples: readonly ValidSample[], executionId: string | null, now: Date): Promise<AlertOutcome> {
  const out: AlertOutcome = { triggered: [], updates: [] };
  const metrics = [...new Set(samples.map((s) => s.metric))];
  if (metrics.length === 0) return out;
  const planId = executionId ? ((await c.query<{ planId: string }>(`SELECT "planId" FROM "Execution" WHERE id = $1`, [executionId]))[0]?.planId ?? null) : null;
  const rules = await c.query<RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM "AlertRule"
      WHERE enabled AND metric = ANY($1::text[]) AND ("executionId" IS NULL OR "executionId" = $2::uuid) AND ("planId" IS NULL OR "planId" = $3::uuid)
      ORDER BY id FOR UPDATE`,
    [metrics, executionId, planId],
  );
  if (rules.length === 0) return out;
  const index = new RuleIndex(rules);
  const states = new Map(rules.map((r) => [r.id, parseRuleState(r.state)]));
  const changed = new Set<string>();
  const key = scopeKey({ executionId });
  for (const sample of samples) {
    for (const rule of index.match({ metric: sample.metric, labels: sample.labels, executionId, planId })) {
      const all = states.get(rule.id)!;
      const before = all[key] ?? { pendingSince: null, firingAlertId: null, lastValue: null, lastAt: null };
      const step = stepAlert(rule, before, sample);
      if (step.state === before) continue;
      all[key] = await applyTransition(c, rule, key, planId, step.state, before, step.transition, now, out);
      changed.add(rule.id);
    }
  }
  for (const id of changed) await c.query(`UPDATE "AlertRule" SET state = $2::jsonb WHERE id = $1`, [id, JSON.stringify(states.get(id))]);
  return out;
}

async function applyTransition(
  c: SqlClient,
  rule: RuleRow,
  key: string,
  planId: string | null,
  state: ScopeState,
  before: ScopeState,
  transition: Transition,
  now: Date,
  out: AlertOutcome,
): Promise<ScopeState> {
  if (!transition) return state;
  const executionId = key === GLOBAL_SCOPE ? null : key;
  if (transition.kind === "fire") {
    const message = `${rule.metric} ${rule.operator} ${rule.threshold}${rule.durationMs ? ` for ${rule.durationMs} ms` : ""}: value ${transition.value}`;
    const [alert] = await c.query<AlertMessage>(
      `INSERT INTO "Alert" (id, "ruleId", "executionId", "planId", state, value, message, severity, "triggeredAt")
       VALUES ($1, $2, $3, $4, 'FIRING', $5, $6, $7::"AlertSeverity", $8) RETURNING id, "ruleId", "executionId", "planId", state, value, message, severity, "triggeredAt", "resolvedAt", "acknowledgedAt"`,
      [randomUUID(), rule.id, executionId, rule.planId ?? planId, transition.value, message, rule.severity, transition.at],
    );
    await recordTransition(c, rule, alert!, "TRIGGERED", now, out);
    out.triggered.push(alert!);
    return { ...state, firingAlertId: alert!.id };
  }
  const [alert] = await c.query<AlertMessage>(
    `UPDATE "Alert" SET state = 'RESOLVED', "resolvedAt" = $2 WHERE id = $1 AND state = 'FIRING'
     RETURNING id, "ruleId", "executionId", "planId", state, value, message, severity, "triggeredAt", "resolvedAt", "acknowledgedAt"`,
    [before.firingAlertId, transition.at],
  );
  if (alert) await recordTransition(c, rule, { ...alert, value: transition.value }, "RESOLVED", now, out);
  return state;
}

/** The webhook delivery (first attempt due now) and the event on the execution's timeline. */
async function recordTransition(c: SqlClient, rule: RuleRow, alert: AlertMessage, kind: "TRIGGERED" | "RESOLVED", now: Date, out: AlertOutcome): Promise<void> {
  if (rule.webhookUrl)
    await c.query(`INSERT INTO "AlertDelivery" (id, "alertId", kind, attempt, "nextAttemptAt", "createdAt") VALUES (gen_random_uuid(), $1, $2, 1, $3, $3)`, [alert.id, kind, now]);
  if (!alert.executionId) return;
  const exec = await lockExecution(c, alert.executionId);
  if (!exec) return;
  const message = kind === "TRIGGERED" ? `alert triggered (${alert.severity}): ${alert.message}` : `alert resolved: ${rule.metric} value ${alert.value}`;
  out.updates.push(
    ...(await appendEvents(c, exec, [{ type: kind === "TRIGGERED" ? "ALERT_TRIGGERED" : "ALERT_RESOLVED", message, data: { alertId: alert.id, ruleId: rule.id, metric: rule.metric, value: alert.value, severity: alert.severity } }], now)),
  );
}

/** After commit: timeline updates and the live `alertTriggered` stream (best effort; the rows are the record). */
export async function publishAlerts(services: Pick<Services, "bus" | "log">, outcome: AlertOutcome): Promise<void> {
  await publishUpdates(services.bus, outcome.updates, services.log);
  for (const alert of outcome.triggered)
    for (const key of alertKeys(alert))
      await services.bus.publish("alertTriggered", key, alert).catch((err: Error) => services.log.warn({ err: err.message, alert: alert.id }, "alert not published"));
}

const SWEEP_BATCH = 50;

/**
 * Fires PENDING scopes whose condition has held durationMs by now on their last value, for rules
 * whose samples stopped arriving. Only rules with a pending scope are read; SKIP LOCKED spreads them over workers.
 */
export async function firePendingAlerts(services: Services, now: Date): Promise<void> {
  const outcome = await services.db.sql.tx(async (c) => {
    const out: AlertOutcome = { triggered: [], updates: [] };
    const rules = await c.query<RuleRow>(
      `SELECT ${RULE_COLUMNS} FROM "AlertRule" r
        WHERE enabled AND EXISTS (SELECT 1 FROM jsonb_each(r.state) s WHERE s.value->>'firingAlertId' IS NULL
                                  AND (s.value->>'pendingSince')::timestamptz + make_interval(secs => r."durationMs" / 1000.0) <= $1)
        ORDER BY id LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED`,
      [now],
    );
    for (const rule of rules) {
      const all = parseRuleState(rule.state);
      let changed = false;
      for (const [key, state] of Object.entries(all)) {
        const transition = tickAlert(rule, state, now);
        if (!transition) continue;
        const planId = key === GLOBAL_SCOPE ? null : ((await c.query<{ planId: string }>(`SELECT "planId" FROM "Execution" WHERE id = $1`, [key]))[0]?.planId ?? null);
        all[key] = await applyTransition(c, rule, key, planId, state, state, transition, now, out);
        changed = true;
      }
      if (changed) await c.query(`UPDATE "AlertRule" SET state = $2::jsonb WHERE id = $1`, [rule.id, JSON.stringify(all)]);
    }
    return out;
  });
  await publishAlerts(services, outcome);
}

/** The earliest moment a pending rule is due to fire (for the worker's sleep). */
export const PENDING_ALERT_DUE_SQL = `(SELECT min((s.value->>'pendingSince')::timestamptz + make_interval(secs => r."durationMs" / 1000.0))
   FROM "AlertRule" r, jsonb_each(r.state) s WHERE r.enabled AND s.value->>'firingAlertId' IS NULL AND s.value->>'pendingSince' IS NOT NULL)`;
export const ALERT_DELIVERY_DUE_SQL = `(SELECT min("nextAttemptAt") FROM "AlertDelivery" WHERE "deliveredAt" IS NULL)`;

// ---------------------------------------------------------------------------------------------------
// Webhook delivery

interface DueDelivery {
  id: string;
  alertId: string;
  kind: string;
  attempt: number;
  webhookUrl: string;
}

let delivering = 0;

/**
 * Claims due delivery attempts (SKIP LOCKED; the claim pushes nextAttemptAt a lease ahead, so an
 * attempt whose worker died is retried after it) and POSTs them in the background: the worker loop
 * does not wait for receivers. Each attempt is one AlertDelivery row; a failed one schedules the next.
 */
export async function deliverDueAlerts(services: Services, now: Date): Promise<void> {
  if (delivering > 0) return; // this process still posts the previous batch
  const due = await services.db.sql.tx((c) =>
    c.query<DueDelivery>(
      `UPDATE "AlertDelivery" d SET "nextAttemptAt" = $2 FROM "Alert" a JOIN "AlertRule" r ON r.id = a."ruleId"
        WHERE d.id IN (SELECT id FROM "AlertDelivery" WHERE "deliveredAt" IS NULL AND "nextAttemptAt" <= $1 ORDER BY "nextAttemptAt" LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED)
          AND a.id = d."alertId"
       RETURNING d.id, d."alertId", d.kind, d.attempt, r."webhookUrl"`,
      [now, new Date(now.getTime() + ALERT_DELIVERY.leaseMs)],
    ),
  );
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
  await db.sql.tx(async (c) => {
    await c.query(`UPDATE "AlertDelivery" SET status = $2, error = $3, "deliveredAt" = $4, "nextAttemptAt" = NULL WHERE id = $1`, [d.id, status, error, error ? null : now]);
    const delay = error ? retryDelayMs(d.attempt) : null;
    if (delay !== null)
      await c.query(`INSERT INTO "AlertDelivery" (id, "alertId", kind, attempt, "nextAttemptAt", "createdAt") VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)`, [
        d.alertId,
        d.kind,
        d.attempt + 1,
        new Date(now.getTime() + delay),
        now,
      ]);
  });
}
