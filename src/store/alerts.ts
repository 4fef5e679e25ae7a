import { randomUUID } from "node:crypto";
import type { ValidSample } from "../domain/metrics/samples.ts";
import { GLOBAL_SCOPE, RuleIndex, parseRuleState, scopeKey, stepAlert, tickAlert, type AlertRuleSpec, type ScopeState, type Transition } from "../domain/alerts/rules.ts";
import { ALERT_DELIVERY, retryDelayMs } from "../domain/alerts/delivery.ts";
import type { AlertMessage, AlertSeverity } from "../domain/alerts/message.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";
import type { Sql, SqlClient } from "../infra/sql.ts";
import { appendEvents, lockExecution } from "./outbox.ts";
import { eachItem, type SweepLog } from "./sweep.ts";
import { ALERTS_PENDING_DUE, DELIVERIES_DUE } from "./due.ts";

// Alert rules and alerts in SQL: evaluating rules on samples, firing pending scopes, and the webhook
// deliveries' attempts. Rules are locked by id (FOR UPDATE) while their state moves; what fired is
// returned for the caller to publish after commit (services/alerts.ts).

export interface RuleRow extends AlertRuleSpec {
  severity: AlertSeverity;
  webhookUrl: string | null;
  state: unknown;
}

export const RULE_COLUMNS = `id, metric, operator, threshold, "durationMs", "resolveThreshold", "executionId", "planId", labels, "webhookUrl", severity, state`;

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
  const planId = executionId ? await planOf(c, executionId) : null;
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
  for (const id of changed) await saveRuleState(c, id, states.get(id)!);
  return out;
}

export async function applyTransition(
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


/** The plan of an execution (null: gone). */
async function planOf(c: SqlClient, executionId: string): Promise<string | null> {
  return (await c.query<{ planId: string }>(`SELECT "planId" FROM "Execution" WHERE id = $1`, [executionId]))[0]?.planId ?? null;
}

/** Rewrites a rule's state (every scope) after its evaluation. */
export async function saveRuleState(c: SqlClient, ruleId: string, state: Record<string, ScopeState>): Promise<void> {
  await c.query(`UPDATE "AlertRule" SET state = $2::jsonb WHERE id = $1`, [ruleId, JSON.stringify(state)]);
}

const SWEEP_BATCH = 50;

/**
 * Fires PENDING scopes whose condition has held durationMs by now on their last value, for rules
 * whose samples stopped arriving. Only rules with a pending scope are read; SKIP LOCKED spreads them over workers.
 */
export async function firePendingScopes(sql: Sql, now: Date, log: SweepLog): Promise<AlertOutcome> {
  return sql.tx(async (c) => {
    const rules = await c.query<RuleRow>(
      `SELECT ${RULE_COLUMNS} ${ALERTS_PENDING_DUE}
        ORDER BY id LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED`,
      [now],
    );
    // Each rule's outcome is kept only if its writes are: a rule that fails is rolled back alone (sweep.ts).
    const outcomes = await eachItem(rules, { sweep: "fire pending alerts", id: (rule) => rule.id, log, c }, async (rule) => {
      const out: AlertOutcome = { triggered: [], updates: [] };
      const all = parseRuleState(rule.state);
      let changed = false;
      for (const [key, state] of Object.entries(all)) {
        const transition = tickAlert(rule, state, now);
        if (!transition) continue;
        const planId = key === GLOBAL_SCOPE ? null : await planOf(c, key);
        all[key] = await applyTransition(c, rule, key, planId, state, state, transition, now, out);
        changed = true;
      }
      if (changed) await saveRuleState(c, rule.id, all);
      return [out];
    });
    return { triggered: outcomes.flatMap((o) => o.triggered), updates: outcomes.flatMap((o) => o.updates) };
  });
}

export interface DueDelivery {
  id: string;
  alertId: string;
  kind: string;
  attempt: number;
  webhookUrl: string;
}

/**
 * Claims due delivery attempts (SKIP LOCKED; the claim pushes nextAttemptAt a lease ahead, so an
 * attempt whose worker died is retried after it).
 */
export function claimDueDeliveries(sql: Sql, now: Date): Promise<DueDelivery[]> {
  return sql.tx((c) =>
    c.query<DueDelivery>(
      `UPDATE "AlertDelivery" d SET "nextAttemptAt" = $2 FROM "Alert" a JOIN "AlertRule" r ON r.id = a."ruleId"
        WHERE d.id IN (SELECT id ${DELIVERIES_DUE} ORDER BY "nextAttemptAt" LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED)
          AND a.id = d."alertId"
       RETURNING d.id, d."alertId", d.kind, d.attempt, r."webhookUrl"`,
      [now, new Date(now.getTime() + ALERT_DELIVERY.leaseMs)],
    ),
  );
}

/** Records an attempt's result (each attempt is one AlertDelivery row); a failed one schedules the next, if any is left. */
export async function recordDelivery(sql: Sql, d: DueDelivery, result: { status: number | null; error: string | null }, now: Date): Promise<void> {
  const { status, error } = result;
  await sql.tx(async (c) => {
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
