import { describe, expect, it } from "vitest";
import { applyLimits, type ClaimCandidate, type LimitState } from "./limits.ts";

const cand = (id: string, executionId: string, planId = "p", executionStarted = true): ClaimCandidate => ({ id, executionId, planId, executionStarted });
const state = (over: Partial<LimitState> = {}): LimitState => ({
  runningByExecution: new Map(),
  maxParallelism: new Map(),
  runningExecutionsByPlan: new Map(),
  maxConcurrentExecutions: new Map(),
  ...over,
});

describe("applyLimits", () => {
  it("takes candidates in order up to the free slots (worker-wide concurrency)", () => {
    expect(applyLimits([cand("1", "e"), cand("2", "e"), cand("3", "f")], 2, state())).toEqual(["1", "2"]);
  });

  it("caps runs per execution at maxParallelism, counting those already running", () => {
    const s = state({ maxParallelism: new Map([["e", 2]]), runningByExecution: new Map([["e", 1]]) });
    expect(applyLimits([cand("1", "e"), cand("2", "e"), cand("3", "f")], 5, s)).toEqual(["1", "3"]);
  });

  it("starts no more executions of a plan than maxConcurrentExecutions; started ones keep going", () => {
    const s = state({ maxConcurrentExecutions: new Map([["p", 1]]), runningExecutionsByPlan: new Map([["p", 1]]) });
    const cands = [cand("1", "new", "p", false), cand("2", "old", "p", true), cand("3", "other", "q", false)];
    expect(applyLimits(cands, 5, s)).toEqual(["2", "3"]);
  });

  it("counts an execution started in this claim against its plan once, for all its runs", () => {
    const s = state({ maxConcurrentExecutions: new Map([["p", 1]]) });
    const cands = [cand("1", "x", "p", false), cand("2", "x", "p", false), cand("3", "y", "p", false)];
    expect(applyLimits(cands, 5, s)).toEqual(["1", "2"]);
  });

  it("skips a candidate admit refuses (resources not granted) without spending its slots", () => {
    const s = state({ maxParallelism: new Map([["e", 1]]), maxConcurrentExecutions: new Map([["p", 1]]) });
    const cands = [cand("1", "e", "p", false), cand("2", "e", "p", false), cand("3", "f", "p", false)];
    expect(applyLimits(cands, 5, s, (id) => id !== "1")).toEqual(["2"]);
  });
});
