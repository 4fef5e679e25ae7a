import type { ComparisonOperator, ConditionState } from "../domain/metrics/condition.ts";
import type { Priority } from "../domain/status.ts";
import type { SqlClient } from "../infra/sql.ts";

// Triggers in SQL: the METRIC triggers' condition state (services/metrics.ts evaluates it) and the
// WEBHOOK triggers' deliveries (services/webhooks.ts).

export interface TriggerRow {
  id: string;
  planId: string;
  metric: string;
  operator: ComparisonOperator;
  threshold: number;
  durationMs: number;
  cooldownMs: number;
  params: unknown;
  priority: Priority;
  holdingSince: Date | null;
  armed: boolean;
  lastFiredAt: Date | null;
}

/** Locks the enabled METRIC triggers on these metrics (by id), so concurrent reports move each one's state once. */
export function lockMetricTriggers(c: SqlClient, metrics: readonly string[]): Promise<TriggerRow[]> {
  return c.query<TriggerRow>(
    `SELECT id, "planId", metric, operator, threshold, "durationMs", "cooldownMs", params, priority, "holdingSince", armed, "lastFiredAt"
       FROM "Trigger" WHERE kind = 'METRIC' AND enabled AND metric = ANY($1::text[]) ORDER BY id FOR UPDATE`,
    [metrics],
  );
}

export async function saveTriggerState(c: SqlClient, id: string, state: Pick<ConditionState, "holdingSince" | "armed" | "lastFiredAt">): Promise<void> {
  await c.query(`UPDATE "Trigger" SET "holdingSince" = $2, armed = $3, "lastFiredAt" = $4 WHERE id = $1`, [id, state.holdingSince, state.armed, state.lastFiredAt]);
}

/** Records a webhook delivery id once: false when the trigger has seen it before (a replay). */
export async function claimWebhookDelivery(c: SqlClient, triggerId: string, deliveryId: string): Promise<boolean> {
  const [claimed] = await c.query<{ deliveryId: string }>(
    `INSERT INTO "WebhookDelivery" ("triggerId", "deliveryId") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING "deliveryId"`,
    [triggerId, deliveryId],
  );
  return claimed !== undefined;
}

/** Links a claimed delivery to the execution it started. */
export async function recordWebhookExecution(c: SqlClient, triggerId: string, deliveryId: string, executionId: string): Promise<void> {
  await c.query(`UPDATE "WebhookDelivery" SET "executionId" = $3 WHERE "triggerId" = $1 AND "deliveryId" = $2`, [triggerId, deliveryId, executionId]);
}
