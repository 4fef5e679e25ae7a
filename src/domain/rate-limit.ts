import { ValidationError } from "./errors.ts";

// Named rate limits of the shared HTTP resource: at most `requests` requests per fixed window of
// `windowMs`, counted by every worker together (src/store/rate-limit.ts). Windows are aligned to the Unix
// epoch: window k covers [k·windowMs, (k+1)·windowMs).

export const RATE_LIMIT_LIMITS = {
  /** Also the handler input's pattern for `rateLimit`. */
  name: /^[A-Za-z0-9_.:-]{1,100}$/,
  maxRequests: 1_000_000,
  minWindowMs: 100,
  maxWindowMs: 86_400_000,
  /** rateLimits lists at most this many. */
  maxListed: 1000,
} as const;

export interface RateLimitSpec {
  name: string;
  requests: number;
  windowMs: number;
}

export function validateRateLimitName(field: string, name: unknown): string {
  if (typeof name !== "string" || !RATE_LIMIT_LIMITS.name.test(name))
    throw new ValidationError(field, "must be 1 to 100 characters of letters, digits, _ . : -");
  return name;
}

const intIn = (field: string, v: unknown, min: number, max: number): number => {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw new ValidationError(field, `must be an integer between ${min} and ${max}`);
  return v;
};

/** Checks setRateLimit's input; the error names the field (`input.requests`). */
export function validateRateLimit(input: { name: unknown; requests: unknown; windowMs: unknown }, prefix = "input"): RateLimitSpec {
  return {
    name: validateRateLimitName(`${prefix}.name`, input.name),
    requests: intIn(`${prefix}.requests`, input.requests, 1, RATE_LIMIT_LIMITS.maxRequests),
    windowMs: intIn(`${prefix}.windowMs`, input.windowMs, RATE_LIMIT_LIMITS.minWindowMs, RATE_LIMIT_LIMITS.maxWindowMs),
  };
}

/** Start of the window holding nowMs (the SQL in src/store/rate-limit.ts computes the same on the database clock). */
export const windowStartMs = (nowMs: number, windowMs: number): number => Math.floor(nowMs / windowMs) * windowMs;

/**
 * How long to sleep before asking for a slot again when the window is full: until it ends, plus a little
 * jitter (≤ 5% of the window, ≤ 25 ms; `random` in [0, 1)) so waiting workers do not all ask at once.
 */
export const slotRetryDelayMs = (untilWindowEndMs: number, windowMs: number, random: number): number =>
  Math.max(1, Math.ceil(untilWindowEndMs)) + Math.floor(random * Math.min(25, windowMs * 0.05));
