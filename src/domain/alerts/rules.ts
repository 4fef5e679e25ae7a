/**
 * Alert rules, Prometheus-like, per scope (one execution, or "global" for samples outside executions):
 *
 *   inactive ─(condition holds)→ PENDING since t ─(held durationMs)→ FIRING ─(value back past resolveThreshold)→ inactive (RESOLVED)
 *
 * The condition is the shared comparison of src/domain/metrics/condition.ts. Hysteresis: once firing, the
 * alert resolves only when the value no longer satisfies `operator resolveThreshold` (default: threshold),
 * so a value hovering at the threshold does not flap. One alert per rule and scope per firing period.
 * Pure: the sample's timestamp is the clock; samples older than the newest one seen are ignored.
 */
import { satisfies, type ComparisonOperator } from "../metrics/condition.ts";

export interface AlertCondition {
  metric: string;
  operator: ComparisonOperator;
  threshold: number;
  durationMs: number;
  resolveThreshold: number | null;
}

export interface AlertRuleSpec extends AlertCondition {
  id: string;
  executionId: string | null;
  planId: string | null;
  labels: Record<string, string> | null;
}

/** The evaluation state of one scope, as stored in AlertRule.state[scopeKey] (JSON: ISO strings). */
export interface ScopeState {
  pendingSince: string | null;
  firingAlertId: string | null;
  lastValue: number | null;
  lastAt: string | null;
}

export type Transition = { kind: "fire"; at: Date; value: number } | { kind: "resolve"; at: Date; value: number } | null;

export const GLOBAL_SCOPE = "global";
export const initialScopeState = (): ScopeState => ({ pendingSince: null, firingAlertId: null, lastValue: null, lastAt: null });

/** Once firing, whether the value is back past the resolve threshold. */
export function resolves(c: AlertCondition, value: number): boolean {
  return !satisfies(c.operator, value, c.resolveThreshold ?? c.threshold);
}

/**
 * One sample through the state machine. On "fire" the caller creates the alert and sets firingAlertId;
 * on "resolve" it resolves the alert firingAlertId names (cleared here).
 */
export function stepAlert(c: AlertCondition, state: ScopeState, sample: { value: number; timestamp: Date }): { state: ScopeState; transition: Transition } {
  const t = sample.timestamp;
  if (state.lastAt && t.getTime() < Date.parse(state.lastAt)) return { state, transition: null };
  const seen = { lastValue: sample.value, lastAt: t.toISOString() };
  if (state.firingAlertId) {
    if (resolves(c, sample.value)) return { state: { ...state, ...seen, pendingSince: null, firingAlertId: null }, transition: { kind: "resolve", at: t, value: sample.value } };
    return { state: { ...state, ...seen }, transition: null };
  }
  if (!satisfies(c.operator, sample.value, c.threshold)) return { state: { ...state, ...seen, pendingSince: null }, transition: null };
  const pendingSince = state.pendingSince ?? t.toISOString();
  const next = { ...state, ...seen, pendingSince };
  return { state: next, transition: t.getTime() - Date.parse(pendingSince) >= c.durationMs ? { kind: "fire", at: t, value: sample.value } : null };
}

/**
 * Without a new sample: a PENDING scope whose last value still holds fires once durationMs has passed
 * (a steady condition fires at its duration even when samples stop arriving).
 */
export function tickAlert(c: AlertCondition, state: ScopeState, now: Date): Transition {
  if (state.firingAlertId || !state.pendingSince || state.lastValue === null) return null;
  if (!satisfies(c.operator, state.lastValue, c.threshold)) return null;
  const due = Date.parse(state.pendingSince) + c.durationMs;
  return now.getTime() >= due ? { kind: "fire", at: new Date(Math.max(due, Date.parse(state.lastAt ?? state.pendingSince))), value: state.lastValue } : null;
}

/** When a PENDING scope is due to fire (null: it is not pending). */
export function pendingDueAt(c: AlertCondition, state: ScopeState): Date | null {
  return !state.firingAlertId && state.pendingSince ? new Date(Date.parse(state.pendingSince) + c.durationMs) : null;
}

export interface SampleContext {
  metric: string;
  labels: Record<string, string> | null;
  /** The execution that reported it and its plan (null: outside any execution). */
  executionId: string | null;
  planId: string | null;
}

/** Whether every label of the rule is on the sample with the same value. */
export function labelsMatch(rule: Pick<AlertRuleSpec, "labels">, labels: Record<string, string> | null): boolean {
  if (!rule.labels) return true;
  for (const [k, v] of Object.entries(rule.labels)) if (labels?.[k] !== v) return false;
  return true;
}

/** Whether the rule's scope covers the sample: its execution, an execution of its plan, or (no scope) all samples. */
export function scopeMatches(rule: Pick<AlertRuleSpec, "executionId" | "planId">, s: Pick<SampleContext, "executionId" | "planId">): boolean {
  if (rule.executionId !== null && rule.executionId !== s.executionId) return false;
  if (rule.planId !== null && rule.planId !== s.planId) return false;
  return true;
}

/** The state key a sample moves: per execution when it comes from one, else the global scope. */
export const scopeKey = (s: Pick<SampleContext, "executionId">): string => s.executionId ?? GLOBAL_SCOPE;

export function matches(rule: AlertRuleSpec, s: SampleContext): boolean {
  return rule.metric === s.metric && scopeMatches(rule, s) && labelsMatch(rule, s.labels);
}

/** Rules by metric name: a sample is checked against the rules of its metric only. */
export class RuleIndex<R extends AlertRuleSpec = AlertRuleSpec> {
  private readonly byMetric = new Map<string, R[]>();
  constructor(rules: Iterable<R> = []) {
    for (const r of rules) this.add(r);
  }
  add(rule: R): void {
    const list = this.byMetric.get(rule.metric);
    if (list) list.push(rule);
    else this.byMetric.set(rule.metric, [rule]);
  }
  /** Candidates: the rules on this metric (scope and labels not yet checked). */
  candidates(metric: string): readonly R[] {
    return this.byMetric.get(metric) ?? [];
  }
  match(s: SampleContext): R[] {
    return this.candidates(s.metric).filter((r) => scopeMatches(r, s) && labelsMatch(r, s.labels));
  }
  get metrics(): string[] {
    return [...this.byMetric.keys()];
  }
}

/** Reads the stored state JSON, keeping only well-formed scope entries. */
export function parseRuleState(json: unknown): Record<string, ScopeState> {
  const out: Record<string, ScopeState> = {};
  if (typeof json !== "object" || json === null || Array.isArray(json)) return out;
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    if (typeof v !== "object" || v === null) continue;
    const s = v as Partial<ScopeState>;
    out[k] = {
      pendingSince: typeof s.pendingSince === "string" ? s.pendingSince : null,
      firingAlertId: typeof s.firingAlertId === "string" ? s.firingAlertId : null,
      lastValue: typeof s.lastValue === "number" ? s.lastValue : null,
      lastAt: typeof s.lastAt === "string" ? s.lastAt : null,
    };
  }
  return out;
}
