/**
 * Edge-triggered evaluation of `metric operator threshold [for durationMs]`, shared by metric triggers
 * and alert rules: pure, the sample's timestamp is the clock (replaying a stream gives the same firings).
 *
 * armed ─(condition held durationMs, cooldown over)→ fire, disarmed ─(condition stops holding)→ armed
 *
 * Samples older than the newest one seen are ignored (they cannot reorder what already fired).
 */
export const COMPARISON_OPERATORS = ["GT", "GTE", "LT", "LTE", "EQ"] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export interface Condition {
  operator: ComparisonOperator;
  threshold: number;
  /** The condition must hold continuously this long (in sample time) before it fires; 0: at once. */
  durationMs: number;
  /** No firing within this long after the previous one. */
  cooldownMs: number;
}

export interface ConditionState {
  /** Timestamp of the first sample of the current run of samples satisfying the condition. */
  holdingSince: Date | null;
  /** True until it fires; re-armed when the condition stops holding. */
  armed: boolean;
  lastFiredAt: Date | null;
  /** Newest sample seen (null: unknown). */
  lastSampleAt: Date | null;
}

export interface Observation {
  value: number;
  timestamp: Date;
}

export const initialConditionState = (): ConditionState => ({ holdingSince: null, armed: true, lastFiredAt: null, lastSampleAt: null });

export function satisfies(operator: ComparisonOperator, value: number, threshold: number): boolean {
  switch (operator) {
    case "GT":
      return value > threshold;
    case "GTE":
      return value >= threshold;
    case "LT":
      return value < threshold;
    case "LTE":
      return value <= threshold;
    case "EQ":
      return value === threshold;
  }
}

/** One step of the state machine: the next state, and whether this sample fires. */
export function evaluateCondition(condition: Condition, state: ConditionState, sample: Observation): { state: ConditionState; fire: boolean } {
  const at = sample.timestamp;
  if (state.lastSampleAt && at.getTime() < state.lastSampleAt.getTime()) return { state, fire: false };
  if (!satisfies(condition.operator, sample.value, condition.threshold)) {
    return { state: { ...state, holdingSince: null, armed: true, lastSampleAt: at }, fire: false };
  }
  const holdingSince = state.holdingSince ?? at;
  const held = at.getTime() - holdingSince.getTime() >= condition.durationMs;
  const cooled = state.lastFiredAt === null || at.getTime() - state.lastFiredAt.getTime() >= condition.cooldownMs;
  if (state.armed && held && cooled) return { state: { holdingSince, armed: false, lastFiredAt: at, lastSampleAt: at }, fire: true };
  return { state: { ...state, holdingSince, lastSampleAt: at }, fire: false };
}
