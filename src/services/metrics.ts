import { evaluateCondition, type ConditionState } from "../domain/metrics/condition.ts";
import { validateSamples, type MetricSampleInput, type ValidSample } from "../domain/metrics/samples.ts";
import type { Services } from "./context.ts";
import { scheduleExecution } from "./executions.ts";
import { publishAlerts } from "./alerts.ts";
import { evaluateAlerts } from "../store/alerts.ts";
import { insertSamples, newestSampleTimes } from "../store/metric-samples.ts";
import { lockMetricTriggers, saveTriggerState, type TriggerRow } from "../store/triggers.ts";

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
    const triggers = await lockMetricTriggers(c, [...new Set(samples.map((s) => s.metric))]);
    // The newest sample stored before this batch, per metric: older samples in the batch are ignored.
    const newest = await newestSampleTimes(c, [...new Set(triggers.map((t) => t.metric))]);
    await insertSamples(c, samples.map((s) => ({ ...s, executionId })));
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
        await saveTriggerState(c, trigger.id, state);
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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
