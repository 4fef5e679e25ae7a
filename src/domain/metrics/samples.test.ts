import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.ts";
import { validateSamples } from "./samples.ts";

const now = new Date("2026-01-01T00:00:00Z");
const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as ValidationError).field;
  }
  return null;
};

describe("validateSamples", () => {
  it("accepts a valid batch, defaulting the timestamp to now", () => {
    expect(validateSamples([{ metric: "EURUSD.price", value: 1.1, labels: { venue: "x" } }], now)).toEqual([
      { metric: "EURUSD.price", value: 1.1, timestamp: now, labels: { venue: "x" } },
    ]);
  });

  it("names the offending sample and field", () => {
    const ok = { metric: "m", value: 1 };
    expect(fieldOf(() => validateSamples([ok, { metric: "1bad name", value: 1 }], now))).toBe("samples[1].metric");
    expect(fieldOf(() => validateSamples([{ metric: "m", value: Number.NaN }], now))).toBe("samples[0].value");
    expect(fieldOf(() => validateSamples([ok, ok, { metric: "m", value: 1, timestamp: new Date(now.getTime() + 3_600_000) }], now))).toBe("samples[2].timestamp");
    expect(fieldOf(() => validateSamples([{ metric: "m", value: 1, timestamp: new Date(0) }], now))).toBe("samples[0].timestamp");
    expect(fieldOf(() => validateSamples([{ metric: "m", value: 1, labels: { a: 1 } }], now))).toBe("samples[0].labels");
    expect(fieldOf(() => validateSamples(Array.from({ length: 1001 }, () => ok), now))).toBe("samples");
  });
});
