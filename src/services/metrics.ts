import { evaluateCondition, type ComparisonOperator, type ConditionState } from "../domain/metrics/condition.ts";
import { METRIC_NAME, validateSamples, type MetricSampleInput, type ValidSample } from "../domain/metrics/samples.ts";
import type { Priority } from "../domain/status.ts";
import type { Services } from "./context.ts";
import { scheduleExecution } from "./executions.ts";
import { evaluateAlerts, publishAlerts } from "./alerts.ts";

interface TriggerRow {
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

interface Firing {
  trigger: TriggerRow;
  sample: ValidSample;
}

/**
 * Stores samples and evaluates the enabled METRIC triggers on their metrics (matched by name; labels
 * are stored, not matched). The trigger rows are locked (FOR UPDATE) while their state moves, so
 * concurrent reports fire a crossing once; each firing then starts an execution whose idempotency
 * key is the trigger and the sample time (a retry cannot start it twice).
 */
export async function reportMetrics(services: Services, input: readonly MetricSampleInput[], executionId: string | null = null): Promise<{ accepted: number; executionIds: string[] }> {
  const samples = validateSamples(input, services.clock()).sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  if (samples.length === 0) return { accepted: 0, executionIds: [] };
  const { fired: firings, alerts } = await services.db.sql.tx(async (c) => {
    const triggers = await c.query<TriggerRow>(
      `SELECT id, "planId", metric, operator, threshold, "durationMs", "cooldownMs", params, priority, "holdingSince", armed, "lastFiredAt"
         FROM "Trigger" WHERE kind = 'METRIC' AND enabled AND metric = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [[...new Set(samples.map((s) => s.metric))]],
    );
    // The newest sample stored before this batch, per metric: older samples in the batch are ignored.
    const watched = [...new Set(triggers.map((t) => t.metric))];
    const newest = new Map<string, Date | null>();
    if (watched.length)
      for (const row of await c.query<{ metric: string; at: Date | null }>(`SELECT m AS metric, (SELECT max(timestamp) FROM "MetricSample" WHERE metric = m) AS at FROM unnest($1::text[]) AS m`, [watched]))
        newest.set(row.metric, row.at);
    await c.query(
      `INSERT INTO "MetricSample" (id, metric, value, timestamp, labels, "executionId")
       SELECT gen_random_uuid(), r.metric, r.value, r.timestamp, r.labels, $2 FROM jsonb_to_recordset($1::jsonb) AS r(metric text, value float8, timestamp timestamptz, labels jsonb)`,
      [JSON.stringify(samples), executionId],
    );
    const fired: Firing[] = [];
    for (const trigger of triggers) {
      let state: ConditionState = { holdingSince: trigger.holdingSince, armed: trigger.armed, lastFiredAt: trigger.lastFiredAt, lastSampleAt: newest.get(trigger.metric) ?? null };
      for (const sample of samples) {
        if (sample.metric !== trigger.metric) continue;
        const step = evaluateCondition(trigger, state, sample);
        state = step.state;
        if (step.fire) fired.push({ trigger, sample });
      }
      if (state.holdingSince?.getTime() !== trigger.holdingSince?.getTime() || state.armed !== trigger.armed || state.lastFiredAt?.getTime() !== trigger.lastFiredAt?.getTime())
        await c.query(`UPDATE "Trigger" SET "holdingSince" = $2, armed = $3, "lastFiredAt" = $4 WHERE id = $1`, [trigger.id, state.holdingSince, state.armed, state.lastFiredAt]);
    }
    // Alert rules on the same samples, in the same transaction (their rows locked after the triggers').
    const alerts = await evaluateAlerts(c, samples, executionId, services.clock());
    return { fired, alerts };
  });
  await publishAlerts(services, alerts);
  const executionIds: string[] = [];
  for (const { trigger, sample } of firings) {
    const params = { ...(isObject(trigger.params) ? trigger.params : {}), metric: sample.metric, value: sample.value, timestamp: sample.timestamp.toISOString() };
    try {
      executionIds.push(
        await scheduleExecution(services, { planId: trigger.planId, params, priority: trigger.priority, triggerId: trigger.id, idempotencyKey: `trigger:${trigger.id}:${sample.timestamp.toISOString()}` }),
      );
    } catch (err) {
      services.log.error({ err: (err as Error).message, trigger: trigger.id }, "a metric trigger fired but its execution could not be started");
    }
  }
  return { accepted: samples.length, executionIds };
}

/** The metrics a handler recorded with ctx.metric, as samples at the end of its run (invalid names are left out). */
export async function reportRunMetrics(services: Services, executionId: string, metrics: Record<string, number>): Promise<void> {
  const timestamp = services.clock();
  const samples = Object.entries(metrics)
    .filter(([metric, value]) => METRIC_NAME.test(metric) && Number.isFinite(value))
    .map(([metric, value]) => ({ metric, value, timestamp }));
  if (samples.length) await reportMetrics(services, samples, executionId);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
