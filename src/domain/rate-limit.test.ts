import { describe, expect, it } from "vitest";
import { ValidationError } from "./errors.ts";
import { RATE_LIMIT_LIMITS, slotRetryDelayMs, validateRateLimit, windowStartMs } from "./rate-limit.ts";

const fieldOf = (input: { name: unknown; requests: unknown; windowMs: unknown }) => {
  try {
    validateRateLimit(input);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).field;
  }
};

describe("validateRateLimit", () => {
  it("accepts the bounds", () => {
    expect(validateRateLimit({ name: "api.example:v1_x-y", requests: 1, windowMs: 100 })).toEqual({ name: "api.example:v1_x-y", requests: 1, windowMs: 100 });
    expect(fieldOf({ name: "a".repeat(100), requests: RATE_LIMIT_LIMITS.maxRequests, windowMs: 86_400_000 })).toBeNull();
  });

  it("names the field it rejects", () => {
    expect(fieldOf({ name: "", requests: 1, windowMs: 1000 })).toBe("input.name");
    expect(fieldOf({ name: "a".repeat(101), requests: 1, windowMs: 1000 })).toBe("input.name");
    expect(fieldOf({ name: "has space", requests: 1, windowMs: 1000 })).toBe("input.name");
    expect(fieldOf({ name: "a/b", requests: 1, windowMs: 1000 })).toBe("input.name");
    expect(fieldOf({ name: "a", requests: 0, windowMs: 1000 })).toBe("input.requests");
    expect(fieldOf({ name: "a", requests: 1.5, windowMs: 1000 })).toBe("input.requests");
    expect(fieldOf({ name: "a", requests: 1_000_001, windowMs: 1000 })).toBe("input.requests");
    expect(fieldOf({ name: "a", requests: 1, windowMs: 99 })).toBe("input.windowMs");
    expect(fieldOf({ name: "a", requests: 1, windowMs: 86_400_001 })).toBe("input.windowMs");
    expect(fieldOf({ name: "a", requests: 1, windowMs: Number.NaN })).toBe("input.windowMs");
  });

  it("says why", () => {
    expect(() => validateRateLimit({ name: "a", requests: 0, windowMs: 1000 })).toThrow("input.requests: must be an integer between 1 and 1000000");
  });
});

describe("window arithmetic", () => {
  it("aligns windows to the epoch", () => {
    expect(windowStartMs(1_700_000_000_123, 1000)).toBe(1_700_000_000_000);
    expect(windowStartMs(1_700_000_000_000, 1000)).toBe(1_700_000_000_000);
    expect(windowStartMs(59_999, 60_000)).toBe(0);
  });

  it("waits until the window ends plus a small bounded jitter", () => {
    expect(slotRetryDelayMs(120.2, 1000, 0)).toBe(121);
    expect(slotRetryDelayMs(120, 1000, 0.999)).toBe(120 + 24);
    expect(slotRetryDelayMs(120, 100, 0.999)).toBe(120 + 4);
    expect(slotRetryDelayMs(0, 1000, 0)).toBe(1);
    expect(slotRetryDelayMs(-5, 1000, 0)).toBe(1);
  });
});
