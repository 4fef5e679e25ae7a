import { describe, expect, it, vi } from "vitest";
import { ValidationError } from "./errors.ts";
import { DEFAULT_RETRY_POLICY, normalizeRetryPolicy, RETRY_LIMITS, RETRY_STRATEGIES, retryDelayMs, type RetryPolicy } from "./retry.ts";

const policy = (p: Partial<RetryPolicy>): RetryPolicy => ({ strategy: "FIXED_DELAY", maxRetries: 5, delayMs: 1000, maxDelayMs: 300_000, jitter: 0, ...p });
const never = () => {
  throw new Error("random must not be called");
};

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error("expected a ValidationError");
}

describe("constants", () => {
  it("lists the strategies and the defaults", () => {
    expect(RETRY_STRATEGIES).toEqual(["NONE", "IMMEDIATE", "FIXED_DELAY", "EXPONENTIAL_BACKOFF", "FIBONACCI_BACKOFF"]);
    expect(DEFAULT_RETRY_POLICY).toEqual({ strategy: "NONE", maxRetries: 0, delayMs: 1000, maxDelayMs: 300_000, jitter: 0 });
    expect(RETRY_LIMITS).toEqual({ maxRetries: 100, delayMs: 3_600_000, maxDelayMs: 86_400_000, jitter: 1 });
  });
});

describe("normalizeRetryPolicy", () => {
  it("fills every field from the defaults for null, undefined and {}", () => {
    for (const input of [null, undefined, {}]) expect(normalizeRetryPolicy(input, "retryPolicy")).toEqual(DEFAULT_RETRY_POLICY);
  });

  it("returns a fresh object, not the default itself", () => {
    const p = normalizeRetryPolicy(null, "retryPolicy");
    expect(p).not.toBe(DEFAULT_RETRY_POLICY);
  });

  it("keeps given fields and drops unknown keys", () => {
    const input = { strategy: "EXPONENTIAL_BACKOFF", maxRetries: 3, extra: 1 } as unknown as Partial<RetryPolicy>;
    expect(normalizeRetryPolicy(input, "retryPolicy")).toEqual({ strategy: "EXPONENTIAL_BACKOFF", maxRetries: 3, delayMs: 1000, maxDelayMs: 300_000, jitter: 0 });
  });

  it("overrides the base field by field; null means inherit", () => {
    const plan = normalizeRetryPolicy({ strategy: "FIXED_DELAY", maxRetries: 4, delayMs: 2000, jitter: 0.5 }, "retryPolicy");
    const task = normalizeRetryPolicy({ maxRetries: 1, delayMs: null, jitter: 0 }, "tasks[0].retryPolicy", plan);
    expect(task).toEqual({ strategy: "FIXED_DELAY", maxRetries: 1, delayMs: 2000, maxDelayMs: 300_000, jitter: 0 });
  });

  it("accepts the limits exactly", () => {
    const p = { strategy: "EXPONENTIAL_BACKOFF", maxRetries: 100, delayMs: 3_600_000, maxDelayMs: 86_400_000, jitter: 1 } as const;
    expect(normalizeRetryPolicy(p, "rp")).toEqual(p);
    expect(normalizeRetryPolicy({ maxRetries: 0, delayMs: 0, maxDelayMs: 0, jitter: 0 }, "rp")).toMatchObject({ maxRetries: 0, delayMs: 0, maxDelayMs: 0, jitter: 0 });
  });

  it.each([
    [{ maxRetries: 101 }, "rp.maxRetries"],
    [{ maxRetries: -1 }, "rp.maxRetries"],
    [{ maxRetries: 1.5 }, "rp.maxRetries"],
    [{ maxRetries: Number.NaN }, "rp.maxRetries"],
    [{ delayMs: -1 }, "rp.delayMs"],
    [{ delayMs: 10.5 }, "rp.delayMs"],
    [{ delayMs: 3_600_001, maxDelayMs: 86_400_000 }, "rp.delayMs"],
    [{ maxDelayMs: 86_400_001 }, "rp.maxDelayMs"],
    [{ maxDelayMs: Number.POSITIVE_INFINITY }, "rp.maxDelayMs"],
    [{ jitter: -0.01 }, "rp.jitter"],
    [{ jitter: 1.01 }, "rp.jitter"],
    [{ jitter: Number.NaN }, "rp.jitter"],
    [{ strategy: "LINEAR" }, "rp.strategy"],
  ])("rejects %o at %s", (input, field) => {
    const e = validationError(() => normalizeRetryPolicy(input as Partial<RetryPolicy>, "rp"));
    expect(e.field).toBe(field);
  });

  it("names the limits in the reasons", () => {
    expect(validationError(() => normalizeRetryPolicy({ maxRetries: 101 }, "rp")).reason).toBe("must be an integer between 0 and 100");
    expect(validationError(() => normalizeRetryPolicy({ jitter: 2 }, "rp")).reason).toBe("must be a number between 0 and 1");
    expect(validationError(() => normalizeRetryPolicy({ strategy: "LINEAR" as never }, "rp")).reason).toBe(
      'unknown strategy "LINEAR" (known: NONE, IMMEDIATE, FIXED_DELAY, EXPONENTIAL_BACKOFF, FIBONACCI_BACKOFF)',
    );
  });

  it("rejects maxDelayMs below delayMs on the maxDelayMs field when it was given", () => {
    const e = validationError(() => normalizeRetryPolicy({ delayMs: 5000, maxDelayMs: 4999 }, "rp"));
    expect([e.field, e.reason]).toEqual(["rp.maxDelayMs", "must be at least delayMs (5000)"]);
  });

  it("blames delayMs when it exceeds an inherited maxDelayMs", () => {
    const e = validationError(() => normalizeRetryPolicy({ delayMs: 400_000 }, "tasks[1].retryPolicy"));
    expect([e.field, e.reason]).toEqual(["tasks[1].retryPolicy.delayMs", "must be at most maxDelayMs (300000)"]);
  });

  it("accepts maxDelayMs equal to delayMs", () => {
    expect(normalizeRetryPolicy({ delayMs: 5000, maxDelayMs: 5000 }, "rp").maxDelayMs).toBe(5000);
  });
});

describe("retryDelayMs", () => {
  it("IMMEDIATE is 0 for every retry, even with jitter", () => {
    const p = policy({ strategy: "IMMEDIATE", jitter: 1 });
    expect([1, 2, 10, 1000].map((n) => retryDelayMs(p, n, never))).toEqual([0, 0, 0, 0]);
  });

  it("FIXED_DELAY is delayMs every time", () => {
    const p = policy({ strategy: "FIXED_DELAY", delayMs: 1500 });
    expect([1, 2, 3, 50].map((n) => retryDelayMs(p, n, never))).toEqual([1500, 1500, 1500, 1500]);
  });

  it("EXPONENTIAL_BACKOFF doubles from delayMs", () => {
    const p = policy({ strategy: "EXPONENTIAL_BACKOFF", delayMs: 100, maxDelayMs: 1_000_000 });
    expect([1, 2, 3, 4, 5, 11].map((n) => retryDelayMs(p, n, never))).toEqual([100, 200, 400, 800, 1600, 102_400]);
  });

  it("EXPONENTIAL_BACKOFF is capped at maxDelayMs", () => {
    const p = policy({ strategy: "EXPONENTIAL_BACKOFF", delayMs: 1000, maxDelayMs: 5000 });
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(p, n, never))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it("FIBONACCI_BACKOFF follows 1, 1, 2, 3, 5, 8, … × delayMs", () => {
    const p = policy({ strategy: "FIBONACCI_BACKOFF", delayMs: 100, maxDelayMs: 1_000_000 });
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((n) => retryDelayMs(p, n, never))).toEqual([100, 100, 200, 300, 500, 800, 1300, 5500]);
  });

  it("FIBONACCI_BACKOFF is capped at maxDelayMs", () => {
    const p = policy({ strategy: "FIBONACCI_BACKOFF", delayMs: 1000, maxDelayMs: 4000 });
    expect([4, 5, 6].map((n) => retryDelayMs(p, n, never))).toEqual([3000, 4000, 4000]);
  });

  it("FIXED_DELAY above maxDelayMs (unnormalized policy) is capped too", () => {
    expect(retryDelayMs(policy({ delayMs: 9000, maxDelayMs: 7000 }), 1, never)).toBe(7000);
  });

  it("does not overflow or hang for huge n", () => {
    const exp = policy({ strategy: "EXPONENTIAL_BACKOFF", delayMs: 3_600_000, maxDelayMs: 86_400_000 });
    const fib = policy({ strategy: "FIBONACCI_BACKOFF", delayMs: 1, maxDelayMs: 86_400_000 });
    for (const n of [100, 1100, 1_000_000, Number.MAX_SAFE_INTEGER]) {
      expect(retryDelayMs(exp, n, never)).toBe(86_400_000);
      expect(retryDelayMs(fib, n, never)).toBe(86_400_000);
    }
    const zero = policy({ strategy: "FIBONACCI_BACKOFF", delayMs: 0, maxDelayMs: 0 });
    expect(retryDelayMs(zero, Number.MAX_SAFE_INTEGER, never)).toBe(0);
    expect(retryDelayMs({ ...zero, strategy: "EXPONENTIAL_BACKOFF" }, 5000, never)).toBe(0);
  });

  it("jitter scales by 1 − j + 2j·random()", () => {
    const p = policy({ strategy: "FIXED_DELAY", delayMs: 1000, jitter: 0.5 });
    expect(retryDelayMs(p, 1, () => 0)).toBe(500);
    expect(retryDelayMs(p, 1, () => 0.5)).toBe(1000);
    expect(retryDelayMs(p, 1, () => 0.75)).toBe(1250);
    expect(retryDelayMs(p, 1, () => 0.999)).toBe(1499);
  });

  it("jitter rounds to an integer", () => {
    const p = policy({ strategy: "FIXED_DELAY", delayMs: 1000, jitter: 0.1 });
    expect(retryDelayMs(p, 1, () => 0.123)).toBe(925); // 1000 × 0.9246
  });

  it("jittered delays never exceed maxDelayMs", () => {
    const p = policy({ strategy: "EXPONENTIAL_BACKOFF", delayMs: 1000, maxDelayMs: 4000, jitter: 0.5 });
    expect(retryDelayMs(p, 2, () => 0.999)).toBe(2998); // 2000 × 1.499, under the cap
    expect(retryDelayMs(p, 3, () => 0.999)).toBe(4000); // 4000 × 1.499, clamped
    expect(retryDelayMs(p, 3, () => 0)).toBe(2000);
  });

  it("jitter 1 can bring the delay to 0", () => {
    expect(retryDelayMs(policy({ delayMs: 1000, jitter: 1 }), 1, () => 0)).toBe(0);
  });

  it("calls random once with jitter and never without", () => {
    const random = vi.fn(() => 0.5);
    retryDelayMs(policy({ jitter: 0.2 }), 1, random);
    expect(random).toHaveBeenCalledTimes(1);
    retryDelayMs(policy({ jitter: 0 }), 1, random);
    expect(random).toHaveBeenCalledTimes(1);
  });

  it("throws for NONE", () => {
    expect(() => retryDelayMs(policy({ strategy: "NONE" }), 1, never)).toThrow(/NONE never retries/);
  });

  it.each([0, -1, 1.5, Number.NaN])("throws for retry number %s", (n) => {
    expect(() => retryDelayMs(policy({}), n, never)).toThrow(RangeError);
  });
});
