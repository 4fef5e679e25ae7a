import { describe, expect, it } from "vitest";
import { ValidationError } from "./errors.ts";
import { decideRecovery, findRule, RECOVERY_ACTIONS, validateRecoveryRules, type RecoveryRule, type TaskFailure } from "./recovery.ts";
import type { RetryPolicy } from "./retry.ts";

const retrying: RetryPolicy = { strategy: "EXPONENTIAL_BACKOFF", maxRetries: 3, delayMs: 1000, maxDelayMs: 60_000, jitter: 0 };
const noRetry: RetryPolicy = { ...retrying, strategy: "NONE" };
const fail = (code: string, recoverable = true): TaskFailure => ({ code, message: `boom ${code}`, recoverable });
const random = () => 0.5;

const decide = (failure: TaskFailure, attempt: number, rules: RecoveryRule[] = [], policy: RetryPolicy = retrying) =>
  decideRecovery({ failure, attempt, policy, rules, random });

describe("findRule", () => {
  const rules: RecoveryRule[] = [
    { on: "*", action: "ABORT" },
    { on: "E_RATE", action: "SKIP" },
    { on: "E_RATE", action: "ABORT" },
    { on: "*", action: "SKIP" },
  ];
  it("prefers an exact code over an earlier *", () => expect(findRule(rules, "E_RATE")).toBe(rules[1]));
  it("takes the first * for other codes", () => expect(findRule(rules, "E_OTHER")).toBe(rules[0]));
  it("returns null without a match", () => expect(findRule([{ on: "A", action: "SKIP" }], "B")).toBeNull());
});

describe("decideRecovery: default (no rule) → retry policy", () => {
  it("retries a recoverable failure with the policy's delay", () => {
    expect(decide(fail("E"), 1)).toEqual({ action: "RETRY", retryNumber: 1, delayMs: 1000, rule: null, reason: "no rule matches → RETRY (retry policy): retry 1 of 3 in 1000 ms" });
    expect(decide(fail("E"), 3)).toMatchObject({ action: "RETRY", retryNumber: 3, delayMs: 4000 });
  });

  it("applies jitter from the random source", () => {
    const d = decideRecovery({ failure: fail("E"), attempt: 2, policy: { ...retrying, jitter: 0.5 }, rules: [], random: () => 0 });
    expect(d).toMatchObject({ action: "RETRY", delayMs: 1000 }); // 2000 × 0.5
  });

  it("aborts once retries are exhausted", () => {
    expect(decide(fail("E"), 4)).toEqual({ action: "ABORT", rule: null, reason: "no rule matches → RETRY (retry policy), but retries exhausted: 3 of 3" });
  });

  it("aborts with maxRetries 0 on the first failure", () => {
    expect(decide(fail("E"), 1, [], { ...retrying, maxRetries: 0 })).toMatchObject({ action: "ABORT", reason: expect.stringContaining("retries exhausted: 0 of 0") });
  });

  it("aborts a non-recoverable failure even with retries left", () => {
    expect(decide(fail("E_AUTH", false), 1)).toEqual({ action: "ABORT", rule: null, reason: "no rule matches → RETRY (retry policy), but error E_AUTH is not recoverable" });
  });

  it("aborts under strategy NONE", () => {
    expect(decide(fail("E"), 1, [], noRetry)).toEqual({ action: "ABORT", rule: null, reason: "no rule matches → RETRY (retry policy), but no retry policy" });
  });

  it("reports non-recoverable before NONE and exhaustion", () => {
    expect(decide(fail("E", false), 9, [], noRetry).reason).toMatch(/error E is not recoverable$/);
  });

  it("rejects attempt < 1", () => {
    expect(() => decide(fail("E"), 0)).toThrow(RangeError);
  });
});

describe("decideRecovery: rules", () => {
  it("SKIP applies even when the failure is not recoverable", () => {
    const rule: RecoveryRule = { on: "E_RATE", action: "SKIP" };
    expect(decide(fail("E_RATE", false), 1, [rule])).toEqual({ action: "SKIP", rule, reason: 'rule on "E_RATE" → SKIP' });
  });

  it("FALLBACK names the fallback task", () => {
    const rule: RecoveryRule = { on: "*", action: "FALLBACK", fallbackTask: "cheap" };
    expect(decide(fail("E_X", false), 1, [rule], noRetry)).toEqual({ action: "FALLBACK", fallbackTask: "cheap", rule, reason: 'rule on "*" → FALLBACK "cheap"' });
  });

  it("FALLBACK without fallbackTask (unvalidated data) aborts", () => {
    const rule: RecoveryRule = { on: "*", action: "FALLBACK", fallbackTask: null };
    expect(decide(fail("E"), 1, [rule])).toEqual({ action: "ABORT", rule, reason: 'rule on "*" → FALLBACK, but the rule names no fallbackTask' });
  });

  it("ABORT applies even with retries left", () => {
    const rule: RecoveryRule = { on: "E_FATAL", action: "ABORT" };
    expect(decide(fail("E_FATAL"), 1, [rule])).toEqual({ action: "ABORT", rule, reason: 'rule on "E_FATAL" → ABORT' });
  });

  it("a RETRY rule uses the policy and names the rule", () => {
    const rule: RecoveryRule = { on: "E_NET", action: "RETRY" };
    expect(decide(fail("E_NET"), 2, [rule])).toEqual({ action: "RETRY", retryNumber: 2, delayMs: 2000, rule, reason: 'rule on "E_NET" → RETRY: retry 2 of 3 in 2000 ms' });
    expect(decide(fail("E_NET"), 4, [rule])).toEqual({ action: "ABORT", rule, reason: 'rule on "E_NET" → RETRY, but retries exhausted: 3 of 3' });
    expect(decide(fail("E_NET", false), 1, [rule]).action).toBe("ABORT");
  });

  it("an exact rule wins over *; other codes take *", () => {
    const rules: RecoveryRule[] = [{ on: "*", action: "ABORT" }, { on: "E_RATE", action: "SKIP" }];
    expect(decide(fail("E_RATE"), 1, rules).action).toBe("SKIP");
    expect(decide(fail("E_OTHER"), 1, rules)).toMatchObject({ action: "ABORT", rule: rules[0] });
  });

  it("codes match exactly (case-sensitive)", () => {
    expect(decide(fail("e_rate"), 1, [{ on: "E_RATE", action: "SKIP" }]).action).toBe("RETRY");
  });

  it("CHECKPOINT_RESTORE applies whether or not the failure is recoverable, even with retries left", () => {
    const rule: RecoveryRule = { on: "*", action: "CHECKPOINT_RESTORE" };
    expect(decide(fail("E"), 1, [rule])).toEqual({ action: "CHECKPOINT_RESTORE", rule, reason: 'rule on "*" → CHECKPOINT_RESTORE' });
    expect(decide(fail("E", false), 9, [rule], noRetry)).toMatchObject({ action: "CHECKPOINT_RESTORE" });
  });
});

describe("validateRecoveryRules", () => {
  const fallbacks = new Set(["fb", "fb2"]);
  const check = (rules: RecoveryRule[], taskKey = "main") => validateRecoveryRules(rules, "tasks[2].recovery", taskKey, fallbacks);
  const rejects = (rules: RecoveryRule[], field: string, reason: string | RegExp, taskKey = "main") => {
    let error: unknown;
    try {
      check(rules, taskKey);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect((error as ValidationError).reason).toMatch(reason);
  };

  it("lists the actions", () => expect(RECOVERY_ACTIONS).toEqual(["RETRY", "SKIP", "FALLBACK", "ABORT", "CHECKPOINT_RESTORE"]));

  it("accepts valid rules", () => {
    expect(() =>
      check([
        { on: "E_RATE", action: "RETRY" },
        { on: "E_BAD", action: "SKIP", fallbackTask: null },
        { on: "E_DOWN", action: "FALLBACK", fallbackTask: "fb" },
        { on: "*", action: "ABORT" },
      ]),
    ).not.toThrow();
    expect(() => check([])).not.toThrow();
  });

  it("accepts 20 rules and rejects 21", () => {
    const rules = (n: number) => Array.from({ length: n }, (_, i): RecoveryRule => ({ on: `E${i}`, action: "SKIP" }));
    expect(() => check(rules(20))).not.toThrow();
    rejects(rules(21), "tasks[2].recovery", "may hold at most 20 rules");
  });

  it("checks the length of on", () => {
    expect(() => check([{ on: "x".repeat(100), action: "SKIP" }])).not.toThrow();
    rejects([{ on: "x".repeat(101), action: "SKIP" }], "tasks[2].recovery[0].on", 'must be an error code or "*", 1-100 characters');
    rejects([{ on: "A", action: "SKIP" }, { on: "", action: "SKIP" }], "tasks[2].recovery[1].on", /1-100 characters/);
    rejects([{ on: "   ", action: "SKIP" }], "tasks[2].recovery[0].on", /1-100 characters/);
  });

  it("rejects duplicate on values", () => {
    rejects([{ on: "*", action: "SKIP" }, { on: "E", action: "SKIP" }, { on: "*", action: "ABORT" }], "tasks[2].recovery[2].on", '"*" already has a rule (tasks[2].recovery[0]); only the first would ever apply');
  });

  it("rejects unknown actions", () => {
    rejects([{ on: "E", action: "IGNORE" as never }], "tasks[2].recovery[0].action", /^unknown action "IGNORE"/);
  });

  it("accepts CHECKPOINT_RESTORE, without a fallbackTask", () => {
    expect(() => check([{ on: "E", action: "SKIP" }, { on: "F", action: "CHECKPOINT_RESTORE" }])).not.toThrow();
    rejects([{ on: "F", action: "CHECKPOINT_RESTORE", fallbackTask: "fb" }], "tasks[2].recovery[0].fallbackTask", "only a FALLBACK rule names a fallbackTask (this rule is CHECKPOINT_RESTORE)");
  });

  it("FALLBACK needs a fallbackTask", () => {
    rejects([{ on: "E", action: "FALLBACK" }], "tasks[2].recovery[0].fallbackTask", "a FALLBACK rule must name the fallback task to run");
    rejects([{ on: "E", action: "FALLBACK", fallbackTask: "" }], "tasks[2].recovery[0].fallbackTask", /must name the fallback task/);
  });

  it("FALLBACK must name a fallback task of the plan", () => {
    rejects([{ on: "E", action: "FALLBACK", fallbackTask: "other" }], "tasks[2].recovery[0].fallbackTask", '"other" is not a task of this plan marked fallback');
  });

  it("a task cannot be its own fallback", () => {
    rejects([{ on: "E", action: "FALLBACK", fallbackTask: "fb" }], "tasks[2].recovery[0].fallbackTask", 'task "fb" cannot be its own fallback', "fb");
    expect(() => check([{ on: "E", action: "FALLBACK", fallbackTask: "fb2" }], "fb")).not.toThrow();
  });

  it("fallbackTask only with FALLBACK", () => {
    rejects([{ on: "E", action: "SKIP", fallbackTask: "fb" }], "tasks[2].recovery[0].fallbackTask", "only a FALLBACK rule names a fallbackTask (this rule is SKIP)");
  });
});
