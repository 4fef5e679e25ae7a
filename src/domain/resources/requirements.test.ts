import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.ts";
import { matchesConstraints, validateAttributes, validateRequirements } from "./requirements.ts";

describe("matchesConstraints", () => {
  const gpuBox = { memory: 16384, gpu: true, zone: "eu-1", cores: 8 };
  it("reads min<Attr>/max<Attr> with a number as bounds on <attr>", () => {
    expect(matchesConstraints(gpuBox, { minMemory: 8192 })).toBe(true);
    expect(matchesConstraints(gpuBox, { minMemory: 32768 })).toBe(false);
    expect(matchesConstraints(gpuBox, { maxCores: 8 })).toBe(true);
    expect(matchesConstraints(gpuBox, { maxCores: 4 })).toBe(false);
  });
  it("treats other scalars as equality, all conditions together", () => {
    expect(matchesConstraints(gpuBox, { minMemory: 8192, gpu: true })).toBe(true);
    expect(matchesConstraints(gpuBox, { minMemory: 8192, gpu: false })).toBe(false);
    expect(matchesConstraints({ memory: 16384 }, { gpu: false })).toBe(false); // a missing attribute equals nothing
  });
  it("applies operator objects", () => {
    expect(matchesConstraints(gpuBox, { zone: { in: ["eu-1", "eu-2"] }, cores: { gt: 4, lte: 8 } })).toBe(true);
    expect(matchesConstraints(gpuBox, { zone: { ne: "eu-1" } })).toBe(false);
    expect(matchesConstraints(gpuBox, { cores: { lt: 8 } })).toBe(false);
    expect(matchesConstraints({ cores: "8" }, { cores: { gte: 1 } })).toBe(false); // comparisons need numbers
  });
  it("matches anything without constraints", () => {
    expect(matchesConstraints({}, null)).toBe(true);
    expect(matchesConstraints({}, {})).toBe(true);
  });
});

describe("validateRequirements", () => {
  const field = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).field;
    }
    throw new Error("expected a ValidationError");
  };
  it("normalizes defaults", () => {
    expect(validateRequirements([{ type: "gpu", amount: 1 }], "r")).toEqual([{ type: "gpu", amount: 1, priority: null, constraints: null, durationMs: null, releaseOnPause: false }]);
    expect(validateRequirements(null, "r")).toEqual([]);
  });
  it("names the offending field", () => {
    expect(field(() => validateRequirements([{ type: "gpu", amount: 1 }, { type: "", amount: 1 }], "tasks[0].resources"))).toBe("tasks[0].resources[1].type");
    expect(field(() => validateRequirements([{ type: "gpu", amount: 0 }], "r"))).toBe("r[0].amount");
    expect(field(() => validateRequirements([{ type: "gpu", amount: Number.NaN }], "r"))).toBe("r[0].amount");
    expect(field(() => validateRequirements([{ type: "gpu", amount: 1, priority: "URGENT" as never }], "r"))).toBe("r[0].priority");
    expect(field(() => validateRequirements([{ type: "gpu", amount: 1, durationMs: 0 }], "r"))).toBe("r[0].durationMs");
    expect(field(() => validateRequirements([{ type: "gpu", amount: 1, constraints: { memory: { between: [1, 2] } } as never }], "r"))).toBe("r[0].constraints.memory.between");
    expect(field(() => validateRequirements([{ type: "gpu", amount: 1, constraints: { memory: { gte: "big" } } as never }], "r"))).toBe("r[0].constraints.memory.gte");
    expect(field(() => validateRequirements([{ type: "gpu", amount: 1, constraints: [1] as never }], "r"))).toBe("r[0].constraints");
    expect(field(() => validateRequirements([{ type: "gpu", amount: 1, constraints: { minMemory: "8192" } }], "r"))).toBe("r[0].constraints.minMemory");
    expect(field(() => validateRequirements([{ type: "gpu", amount: 1e-9 }], "r"))).toBe("r[0].amount");
    expect(field(() => validateRequirements(Array.from({ length: 17 }, () => ({ type: "gpu", amount: 1 })), "r"))).toBe("r");
  });
  it("accepts only flat scalar attributes", () => {
    expect(validateAttributes({ memory: 1, gpu: false, zone: "x", tag: null }, "a", 10)).toEqual({ memory: 1, gpu: false, zone: "x", tag: null });
    expect(field(() => validateAttributes({ nested: { x: 1 } }, "input.attributes", 10))).toBe("input.attributes.nested");
    expect(field(() => validateAttributes({ x: 1 }, "input.attributes", 1e6))).toBe("input.attributes");
  });
});
