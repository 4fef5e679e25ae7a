import { ValidationError } from "./errors.ts";

// Retry policies: how often a failed task run is tried again and how long to wait in between.
// Pure: the random source is passed in so delays are reproducible in tests.

export const RETRY_STRATEGIES = ["NONE", "IMMEDIATE", "FIXED_DELAY", "EXPONENTIAL_BACKOFF", "FIBONACCI_BACKOFF"] as const;
export type RetryStrategy = (typeof RETRY_STRATEGIES)[number];

export interface RetryPolicy {
  strategy: RetryStrategy;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Base delay in ms (the first retry's delay for FIXED/EXPONENTIAL/FIBONACCI). */
  delayMs: number;
  /** No delay, jittered or not, exceeds this. */
  maxDelayMs: number;
  /** 0..1: each delay is scaled by a random factor in [1 − jitter, 1 + jitter]. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ strategy: "NONE", maxRetries: 0, delayMs: 1000, maxDelayMs: 300_000, jitter: 0 });

/** Largest allowed value of each field (all minimums are 0), so a policy can neither retry forever nor park a run for more than a day. */
export const RETRY_LIMITS = { maxRetries: 100, delayMs: 3_600_000, maxDelayMs: 86_400_000, jitter: 1 } as const;

/** Input as it arrives from GraphQL or stored JSON: any field may be missing or null (= inherit). */
export type RetryPolicyInput = { [K in keyof RetryPolicy]?: RetryPolicy[K] | null };

function integerIn(value: number, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    throw new ValidationError(field, `must be an integer between ${min} and ${max}`);
  return value;
}

/**
 * Fills unset fields from `base` (a task's policy inherits the plan's, field by field; the plan's
 * inherits DEFAULT_RETRY_POLICY) and validates the result. Returns a fresh object with exactly the
 * five policy fields, so extra keys in stored JSON do not leak through.
 */
export function normalizeRetryPolicy(input: RetryPolicyInput | null | undefined, field: string, base: RetryPolicy = DEFAULT_RETRY_POLICY): RetryPolicy {
  const pick = <K extends keyof RetryPolicy>(k: K): RetryPolicy[K] => (input?.[k] ?? base[k]) as RetryPolicy[K];
  const strategy = pick("strategy");
  if (!(RETRY_STRATEGIES as readonly string[]).includes(strategy))
    throw new ValidationError(`${field}.strategy`, `unknown strategy "${String(strategy)}" (known: ${RETRY_STRATEGIES.join(", ")})`);
  const maxRetries = integerIn(pick("maxRetries"), `${field}.maxRetries`, 0, RETRY_LIMITS.maxRetries);
  const delayMs = integerIn(pick("delayMs"), `${field}.delayMs`, 0, RETRY_LIMITS.delayMs);
  const maxDelayMs = integerIn(pick("maxDelayMs"), `${field}.maxDelayMs`, 0, RETRY_LIMITS.maxDelayMs);
  if (maxDelayMs < delayMs) {
    // Blame the field the caller set: a task raising delayMs above an inherited maxDelayMs is told so.
    if (input?.maxDelayMs == null) throw new ValidationError(`${field}.delayMs`, `must be at most maxDelayMs (${maxDelayMs})`);
    throw new ValidationError(`${field}.maxDelayMs`, `must be at least delayMs (${delayMs})`);
  }
  const jitter = pick("jitter");
  if (typeof jitter !== "number" || !Number.isFinite(jitter) || jitter < 0 || jitter > RETRY_LIMITS.jitter)
    throw new ValidationError(`${field}.jitter`, "must be a number between 0 and 1");
  return { strategy, maxRetries, delayMs, maxDelayMs, jitter };
}

/** delayMs·fib(n), fib(1) = fib(2) = 1, stopping as soon as the cap is reached (no overflow, O(min(n, ~45))). */
function fibonacciDelay(delayMs: number, n: number, cap: number): number {
  if (delayMs <= 0) return 0;
  let a = 1;
  let b = 1; // b = fib(i)
  for (let i = 2; i < n; i++) {
    if (delayMs * b >= cap) return cap;
    [a, b] = [b, a + b];
  }
  return Math.min(cap, delayMs * b);
}

/**
 * Delay in ms before retry number n (n = failed attempts so far, ≥ 1). The strategy's base delay is
 * capped at maxDelayMs, then jittered by a factor in [1 − jitter, 1 + jitter] and clamped to
 * [0, maxDelayMs]; the result is an integer. `random` returns [0, 1) and is called only when jitter > 0.
 */
export function retryDelayMs(policy: RetryPolicy, n: number, random: () => number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`retry number must be an integer ≥ 1, got ${n}`);
  const { delayMs, maxDelayMs: cap, jitter } = policy;
  let base: number;
  switch (policy.strategy) {
    case "NONE":
      throw new RangeError("retry strategy NONE never retries: there is no delay to compute");
    case "IMMEDIATE":
      base = 0;
      break;
    case "FIXED_DELAY":
      base = Math.min(cap, delayMs);
      break;
    case "EXPONENTIAL_BACKOFF":
      // 2^(n−1) is bounded before multiplying: beyond 2^52 every non-zero delay is far past any cap.
      base = Math.min(cap, delayMs * 2 ** Math.min(n - 1, 52));
      break;
    case "FIBONACCI_BACKOFF":
      base = fibonacciDelay(delayMs, n, cap);
      break;
  }
  if (jitter > 0 && base > 0) base = Math.min(cap, Math.max(0, base * (1 - jitter + 2 * jitter * random())));
  return Math.round(base);
}
