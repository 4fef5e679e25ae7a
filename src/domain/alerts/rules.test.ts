import { describe, expect, it } from "vitest";
import { RuleIndex, initialScopeState, matches, stepAlert, tickAlert, type AlertCondition, type AlertRuleSpec, type ScopeState } from "./rules.ts";
import { retryDelayMs } from "./delivery.ts";

const cond = (over: Partial<AlertCondition> = {}): AlertCondition => ({ metric: "cpu_usage", operator: "GT", threshold: 90, durationMs: 300, resolveThreshold: null, ...over });
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

function run(c: AlertCondition, samples: [number, number][]) {
  let state: ScopeState = initialScopeState();
  const out: string[] = [];
  for (const [ms, value] of samples) {
    const step = stepAlert(c, state, { value, timestamp: at(ms) });
    state = step.state;
    if (step.transition?.kind === "fire") state = { ...state, firingAlertId: `a${ms}` };
    if (step.transition) out.push(`${step.transition.kind}@${ms}`);
  }
  return { state, out };
}

describe("alert state machine: for-duration", () => {
  it("goes PENDING, then FIRING only once the condition held durationMs", () => {
    const { out, state } = run(cond(), [[0, 95], [100, 96], [299, 97], [300, 95], [400, 99]]);
    expect(out).toEqual(["fire@300"]);
    expect(state.firingAlertId).toBe("a300");
  });
  it("a dip below the threshold restarts the duration", () => {
    expect(run(cond(), [[0, 95], [200, 80], [250, 95], [500, 95], [550, 95]]).out).toEqual(["fire@550"]);
  });
  it("durationMs 0 fires on the first sample that holds; one alert per firing period", () => {
    expect(run(cond({ durationMs: 0 }), [[0, 50], [10, 91], [20, 99], [30, 50], [40, 91]]).out).toEqual(["fire@10", "resolve@30", "fire@40"]);
  });
  it("ignores samples older than the newest seen", () => {
    expect(run(cond(), [[500, 95], [0, 95], [700, 95], [800, 95]]).out).toEqual(["fire@800"]);
  });
  it("tick fires a steady pending condition at its duration without new samples", () => {
    const { state } = run(cond(), [[0, 95]]);
    expect(tickAlert(cond(), state, at(299))).toBeNull();
    expect(tickAlert(cond(), state, at(1000))).toMatchObject({ kind: "fire", value: 95, at: at(300) });
    expect(tickAlert(cond(), run(cond(), [[0, 95], [10, 50]]).state, at(1000))).toBeNull();
  });
});

describe("alert state machine: hysteresis", () => {
  const c = cond({ durationMs: 0, resolveThreshold: 80 });
  it("a value hovering around the threshold does not flap", () => {
    expect(run(c, [[0, 91], [10, 89], [20, 91], [30, 85], [40, 92]]).out).toEqual(["fire@0"]);
  });
  it("resolves once back past resolveThreshold", () => {
    expect(run(c, [[0, 91], [10, 85], [20, 80], [30, 91]]).out).toEqual(["fire@0", "resolve@20", "fire@30"]);
  });
  it("works for LT rules too", () => {
    expect(run(cond({ operator: "LT", threshold: 10, durationMs: 0, resolveThreshold: 20 }), [[0, 5], [10, 15], [20, 25]]).out).toEqual(["fire@0", "resolve@20"]);
  });
});

describe("rule index", () => {
  const rule = (id: string, over: Partial<AlertRuleSpec> = {}): AlertRuleSpec => ({ id, ...cond(), executionId: null, planId: null, labels: null, ...over });
  const rules = [
    rule("g"),
    rule("e", { executionId: "E1" }),
    rule("p", { planId: "P1" }),
    rule("l", { labels: { host: "a" } }),
    rule("m", { metric: "mem" }),
  ];
  const index = new RuleIndex(rules);
  const ids = (s: Parameters<typeof index.match>[0]) => index.match(s).map((r) => r.id).sort();

  it("looks rules up by metric name", () => {
    expect(index.candidates("cpu_usage").map((r) => r.id)).toEqual(["g", "e", "p", "l"]);
    expect(index.candidates("nothing")).toEqual([]);
  });
  it("matches scope (execution, plan via the execution, global) and labels", () => {
    expect(ids({ metric: "cpu_usage", labels: null, executionId: null, planId: null })).toEqual(["g"]);
    expect(ids({ metric: "cpu_usage", labels: { host: "a" }, executionId: "E1", planId: "P1" })).toEqual(["e", "g", "l", "p"]);
    expect(ids({ metric: "cpu_usage", labels: { host: "b" }, executionId: "E2", planId: "P1" })).toEqual(["g", "p"]);
    expect(ids({ metric: "mem", labels: null, executionId: null, planId: null })).toEqual(["m"]);
  });
  it("agrees with a linear scan", () => {
    const s = { metric: "cpu_usage", labels: { host: "a" }, executionId: "E1", planId: "P2" };
    expect(ids(s)).toEqual(rules.filter((r) => matches(r, s)).map((r) => r.id).sort());
  });
});

describe("delivery backoff", () => {
  it("doubles from 1 s and stops after 5 attempts", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n))).toEqual([1000, 2000, 4000, 8000, null]);
  });
});
