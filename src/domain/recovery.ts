import { ValidationError } from "./errors.ts";
import { retryDelayMs, type RetryPolicy } from "./retry.ts";

// Recovery rules: what happens when a task run fails. A task's rules map error codes to actions;
// failures no rule names fall back to the retry policy. The decision is pure; store/finish.ts applies it.

export const RECOVERY_ACTIONS = ["RETRY", "SKIP", "FALLBACK", "ABORT", "CHECKPOINT_RESTORE"] as const;
export type RecoveryAction = (typeof RECOVERY_ACTIONS)[number];

export interface RecoveryRule {
  /** An error code, or "*" for any code no other rule names. */
  on: string;
  action: RecoveryAction;
  /** FALLBACK only: key of a task of the plan marked fallback. */
  fallbackTask?: string | null;
}

export interface TaskFailure {
  code: string;
  message: string;
  recoverable: boolean;
}

export type RecoveryDecision =
  | { action: "RETRY"; retryNumber: number; delayMs: number; reason: string; rule: RecoveryRule | null }
  | { action: "SKIP"; reason: string; rule: RecoveryRule }
  | { action: "FALLBACK"; fallbackTask: string; reason: string; rule: RecoveryRule }
  | { action: "ABORT"; reason: string; rule: RecoveryRule | null }
  /** Rewind the execution to its newest checkpoint (store/finish.ts; it aborts when there is none). */
  | { action: "CHECKPOINT_RESTORE"; reason: string; rule: RecoveryRule };

export const RECOVERY_LIMITS = { maxRules: 20, maxOnLength: 100 } as const;

export const WILDCARD = "*";

/** The rule for a code: an exact match wins over "*" wherever it sits in the list; first of each kind. */
export function findRule(rules: readonly RecoveryRule[], code: string): RecoveryRule | null {
  return rules.find((r) => r.on === code) ?? rules.find((r) => r.on === WILDCARD) ?? null;
}

const describeRule = (rule: RecoveryRule | null, action: RecoveryAction) =>
  rule ? `rule on "${rule.on}" → ${action}` : `no rule matches → ${action} (retry policy)`;

/**
 * Decides what to do with a failed attempt. `attempt` counts the attempts made so far (≥ 1), so it
 * is also the number of the retry that would come next. RETRY happens only for a recoverable failure
 * under a policy that retries and has retries left; otherwise the decision is ABORT with the reason.
 * SKIP, FALLBACK, ABORT and CHECKPOINT_RESTORE rules apply whether or not the failure is recoverable.
 */
export function decideRecovery(input: { failure: TaskFailure; attempt: number; policy: RetryPolicy; rules: readonly RecoveryRule[]; random: () => number }): RecoveryDecision {
  const { failure, attempt, policy } = input;
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer ≥ 1, got ${attempt}`);
  const rule = findRule(input.rules, failure.code);
  const action = rule?.action ?? "RETRY";
  const said = describeRule(rule, action);
  switch (action) {
    case "RETRY": {
      const abort = (why: string): RecoveryDecision => ({ action: "ABORT", reason: `${said}, but ${why}`, rule });
      if (!failure.recoverable) return abort(`error ${failure.code} is not recoverable`);
      if (policy.strategy === "NONE") return abort("no retry policy");
      if (attempt > policy.maxRetries) return abort(`retries exhausted: ${attempt - 1} of ${policy.maxRetries}`);
      const delayMs = retryDelayMs(policy, attempt, input.random);
      return { action: "RETRY", retryNumber: attempt, delayMs, reason: `${said}: retry ${attempt} of ${policy.maxRetries} in ${delayMs} ms`, rule };
    }
    case "SKIP":
      return { action: "SKIP", reason: said, rule: rule! };
    case "FALLBACK":
      // Validation guarantees fallbackTask; stored data that lacks it fails the execution rather than the worker.
      if (!rule!.fallbackTask) return { action: "ABORT", reason: `${said}, but the rule names no fallbackTask`, rule };
      return { action: "FALLBACK", fallbackTask: rule!.fallbackTask, reason: `${said} "${rule!.fallbackTask}"`, rule: rule! };
    case "ABORT":
      return { action: "ABORT", reason: said, rule };
    case "CHECKPOINT_RESTORE":
      return { action: "CHECKPOINT_RESTORE", reason: said, rule: rule! };
  }
}

/**
 * Validates one task's rules. `fallbackKeys` holds the plan's tasks marked fallback. Throws a
 * ValidationError naming the rule (`${field}[i].on`) and the reason.
 */
export function validateRecoveryRules(rules: readonly RecoveryRule[], field: string, taskKey: string, fallbackKeys: ReadonlySet<string>): void {
  if (rules.length > RECOVERY_LIMITS.maxRules) throw new ValidationError(field, `may hold at most ${RECOVERY_LIMITS.maxRules} rules`);
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const at = `${field}[${i}]`;
    if (typeof rule.on !== "string" || rule.on.trim().length === 0 || rule.on.length > RECOVERY_LIMITS.maxOnLength)
      throw new ValidationError(`${at}.on`, `must be an error code or "*", 1-${RECOVERY_LIMITS.maxOnLength} characters`);
    const earlier = seen.get(rule.on);
    if (earlier !== undefined) throw new ValidationError(`${at}.on`, `"${rule.on}" already has a rule (${field}[${earlier}]); only the first would ever apply`);
    seen.set(rule.on, i);
    if (!(RECOVERY_ACTIONS as readonly string[]).includes(rule.action))
      throw new ValidationError(`${at}.action`, `unknown action "${String(rule.action)}" (known: ${RECOVERY_ACTIONS.join(", ")})`);
    const fallback = rule.fallbackTask;
    if (rule.action !== "FALLBACK") {
      if (fallback != null) throw new ValidationError(`${at}.fallbackTask`, `only a FALLBACK rule names a fallbackTask (this rule is ${rule.action})`);
      return;
    }
    if (fallback == null || fallback.length === 0) throw new ValidationError(`${at}.fallbackTask`, "a FALLBACK rule must name the fallback task to run");
    if (fallback === taskKey) throw new ValidationError(`${at}.fallbackTask`, `task "${taskKey}" cannot be its own fallback`);
    if (!fallbackKeys.has(fallback))
      throw new ValidationError(`${at}.fallbackTask`, `"${fallback}" is not a task of this plan marked fallback`);
  });
}
