import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { monitorWs } from "./helpers/scenario.ts";
import { graphql } from "./__generated__/gql.ts";
import type { CreatePlanInput } from "./__generated__/graphql.ts";

// Recovery rules as observed through the API and the event timeline: SKIP, FALLBACK, ABORT, exact codes
// over "*", rule validation at createPlan, and the failure details on executions and task runs.
// CHECKPOINT_RESTORE is exercised in test/checkpoints.int.test.ts.
// The fixture handler `deps` (test/fixtures/handlers.ts) returns the outputs its task received.

const RecoveryCreatePlan = graphql(`
  mutation RecoveryCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      __typename
      ... on Plan { id tasks { key fallback recovery { on action fallbackTask } } }
      ... on Error { message }
      ... on ValidationError { field reason }
    }
  }
`);

const RecoverySchedule = graphql(`
  mutation RecoverySchedule($input: ScheduleExecutionInput!) {
    scheduleExecution(input: $input) {
      __typename
      ... on Execution { id }
      ... on Error { message }
    }
  }
`);

const RecoveryExecution = graphql(`
  query RecoveryExecution($id: ID!) {
    execution(id: $id) {
      status
      result
      startedAt
      completedAt
      error { code message taskId taskKey timestamp recoverable context }
      tasks {
        id
        key
        status
        attempt
        fallback
        replacedBy
        output
        error { code message taskId taskKey timestamp recoverable context }
        attempts { attempt status error { code } }
      }
      timeline(first: 100) { edges { node { type taskKey message data } } }
    }
  }
`);

type Details = NonNullable<Awaited<ReturnType<typeof detailsOf>>>;
const detailsOf = async (url: string, id: string) => (await query(url, RecoveryExecution, { id })).execution;

describe.each(modes())("recovery rules ($mode)", ({ embedded }) => {
  let env: InProcess;

  beforeAll(async () => {
    env = await startInProcess({ embedded,  handlerModules: "./test/fixtures/handlers.ts" });
  });

  afterAll(async () => env?.stop());

  const createPlan = async (input: CreatePlanInput) => (await query(env.url, RecoveryCreatePlan, { input })).createPlan;
  const runToEnd = async (input: CreatePlanInput): Promise<Details> => {
    const plan = await createPlan(input);
    if (plan.__typename !== "Plan") throw new Error(`createPlan: ${JSON.stringify(plan)}`);
    const { scheduleExecution } = await query(env.url, RecoverySchedule, { input: { planId: plan.id } });
    if (scheduleExecution.__typename !== "Execution") throw new Error(scheduleExecution.__typename);
    await monitorWs(env.url, scheduleExecution.id).done;
    return (await detailsOf(env.url, scheduleExecution.id))!;
  };
  const task = (e: Details, key: string) => e.tasks.find((t) => t.key === key)!;
  const timeline = (e: Details) => e.timeline.edges.map((x) => x.node);
  const recoveries = (e: Details, key?: string) =>
    timeline(e)
      .filter((n) => n.type === "RECOVERY_INITIATED" && (!key || n.taskKey === key))
      .map((n) => n.data as { action: string; reason: string; rule: { on: string; action: string } | null; fallbackTask?: string });
  const retrying = { strategy: "FIXED_DELAY", maxRetries: 3, delayMs: 50 } as const;

  it("SKIP: the task is SKIPPED, its dependants run (with null for it) and the execution completes", async () => {
    const e = await runToEnd({
      name: "skip",
      tasks: [
        // The rule wins over the retry policy: no retry.
        { key: "a", handler: "fail", input: { code: "E_SKIP", message: "a broke" }, retryPolicy: retrying, recovery: [{ on: "E_SKIP", action: "SKIP" }] },
        { key: "b", handler: "deps", dependsOn: ["a"] },
        { key: "c", handler: "deps", dependsOn: ["b"] },
      ],
    });
    expect(e.status).toBe("COMPLETED");
    expect(e.error).toBeNull();
    expect(e.tasks.map((t) => [t.key, t.status, t.attempt])).toEqual([["a", "SKIPPED", 1], ["b", "COMPLETED", 1], ["c", "COMPLETED", 1]]);
    expect(task(e, "b").output).toEqual({ task: "b", dependencies: { a: null } });
    expect(e.result).toEqual({ c: { task: "c", dependencies: { b: { task: "b", dependencies: { a: null } } } } });
    expect(recoveries(e)).toEqual([{ action: "SKIP", reason: 'rule on "E_SKIP" → SKIP', rule: { on: "E_SKIP", action: "SKIP" } }]);
    const types = timeline(e).map((n) => `${n.type}${n.taskKey ? `:${n.taskKey}` : ""}`);
    expect(types.slice(types.indexOf("TASK_FAILED:a"), types.indexOf("TASK_FAILED:a") + 3)).toEqual(["TASK_FAILED:a", "RECOVERY_INITIATED:a", "TASK_SKIPPED:a"]);
    expect(types.indexOf("TASK_STARTED:b")).toBeGreaterThan(types.indexOf("TASK_SKIPPED:a"));
  });

  it("FALLBACK: the fallback task runs in place of the failed one; dependants get its output; an unused fallback ends SKIPPED", async () => {
    const e = await runToEnd({
      name: "fallback",
      tasks: [
        { key: "src", handler: "noop", input: { v: 1 } },
        { key: "primary", handler: "fail", input: { code: "E_DOWN" }, dependsOn: ["src"], recovery: [{ on: "E_DOWN", action: "FALLBACK", fallbackTask: "backup" }] },
        { key: "backup", handler: "deps", fallback: true },
        { key: "spare", handler: "noop", fallback: true },
        { key: "after", handler: "deps", dependsOn: ["primary"] },
      ],
    });
    expect(e.status).toBe("COMPLETED");
    const backupOutput = { task: "backup", dependencies: { src: { echo: { v: 1 } } } }; // primary's dependencies
    expect(task(e, "primary")).toMatchObject({ status: "FAILED", replacedBy: "backup", error: { code: "E_DOWN" } });
    expect(task(e, "backup")).toMatchObject({ status: "COMPLETED", fallback: true, output: backupOutput });
    expect(task(e, "spare")).toMatchObject({ status: "SKIPPED", fallback: true, attempt: 0 });
    expect(task(e, "after").output).toEqual({ task: "after", dependencies: { primary: backupOutput } });
    expect(e.result).toEqual({ after: { task: "after", dependencies: { primary: backupOutput } } });
    expect(recoveries(e, "primary")).toEqual([
      { action: "FALLBACK", fallbackTask: "backup", reason: 'rule on "E_DOWN" → FALLBACK "backup"', rule: { on: "E_DOWN", action: "FALLBACK", fallbackTask: "backup" } },
    ]);
    const order = timeline(e).map((n) => `${n.type}:${n.taskKey}`);
    expect(order.indexOf("TASK_STARTED:backup")).toBeGreaterThan(order.indexOf("RECOVERY_INITIATED:primary"));
    expect(order.indexOf("TASK_STARTED:after")).toBeGreaterThan(order.indexOf("TASK_COMPLETED:backup"));
  });

  it("ABORT: the execution fails at once although retries were configured; the other runs are cancelled", async () => {
    const e = await runToEnd({
      name: "abort",
      tasks: [
        { key: "a", handler: "flaky", input: { failRate: 1 }, retryPolicy: retrying, recovery: [{ on: "FLAKY", action: "ABORT" }] },
        { key: "slow", handler: "sleep", input: { ms: 10_000 } },
        { key: "next", handler: "noop", dependsOn: ["a"] },
      ],
    });
    expect(e.status).toBe("FAILED");
    expect(Object.fromEntries(e.tasks.map((t) => [t.key, t.status]))).toEqual({ a: "FAILED", slow: "CANCELLED", next: "CANCELLED" });
    expect(task(e, "a").attempts.map((x) => x.attempt)).toEqual([1]);
    expect(recoveries(e)).toEqual([{ action: "ABORT", reason: 'rule on "FLAKY" → ABORT', rule: { on: "FLAKY", action: "ABORT" } }]);
    expect(timeline(e).some((n) => n.type === "TASK_RETRYING")).toBe(false);
    expect(e.error).toMatchObject({ code: "FLAKY", taskKey: "a" });
    expect(Date.parse(e.completedAt!) - Date.parse(e.startedAt!)).toBeLessThan(2000);
  });

  it("an exact code's rule wins over *, wherever it is listed; * takes the other codes", async () => {
    const rules = (flakyAction: "RETRY" | "ABORT") => [{ on: "*", action: "SKIP" as const }, { on: "FLAKY", action: flakyAction }];
    const e = await runToEnd({
      name: "wildcard",
      tasks: [
        { key: "other", handler: "fail", input: { code: "E_OTHER" }, recovery: rules("ABORT") },
        { key: "flaky", handler: "flaky", input: { failRate: 1 }, retryPolicy: { strategy: "FIXED_DELAY", maxRetries: 2, delayMs: 100 }, recovery: rules("RETRY") },
      ],
    });
    expect(recoveries(e, "other")).toEqual([{ action: "SKIP", reason: 'rule on "*" → SKIP', rule: { on: "*", action: "SKIP" } }]);
    expect(task(e, "other").status).toBe("SKIPPED");
    // FLAKY is retried by its own rule (not skipped by *), until the retries run out.
    expect(recoveries(e, "flaky").map((r) => [r.action, r.rule?.on])).toEqual([["RETRY", "FLAKY"], ["RETRY", "FLAKY"], ["ABORT", "FLAKY"]]);
    expect(recoveries(e, "flaky").at(-1)!.reason).toBe('rule on "FLAKY" → RETRY, but retries exhausted: 2 of 2');
    expect(task(e, "flaky")).toMatchObject({ status: "FAILED", attempt: 3 });
    expect(e.status).toBe("FAILED");
  });

  it("rejects a fallbackTask outside FALLBACK and a FALLBACK to a task not marked fallback at createPlan, naming the field", async () => {
    const checkpoint = await createPlan({ name: "cp", tasks: [{ key: "a", handler: "noop", recovery: [{ on: "*", action: "CHECKPOINT_RESTORE", fallbackTask: "a" }] }] });
    expect(checkpoint).toMatchObject({ __typename: "ValidationError", field: "tasks[0].recovery[0].fallbackTask", reason: expect.stringContaining("(this rule is CHECKPOINT_RESTORE)") });
    const fallback = await createPlan({
      name: "fb",
      tasks: [{ key: "a", handler: "noop" }, { key: "b", handler: "noop", recovery: [{ on: "E", action: "SKIP" }, { on: "X", action: "FALLBACK", fallbackTask: "a" }] }],
    });
    expect(fallback).toMatchObject({ __typename: "ValidationError", field: "tasks[1].recovery[1].fallbackTask", reason: expect.stringContaining("not a task of this plan marked fallback") });
    // The rules are stored and shown as given.
    const ok = await createPlan({ name: "ok", tasks: [{ key: "a", handler: "noop", recovery: [{ on: "E", action: "FALLBACK", fallbackTask: "f" }, { on: "*", action: "CHECKPOINT_RESTORE" }] }, { key: "f", handler: "noop", fallback: true }] });
    expect(ok.__typename === "Plan" && ok.tasks).toEqual([
      { key: "a", fallback: false, recovery: [{ on: "E", action: "FALLBACK", fallbackTask: "f" }, { on: "*", action: "CHECKPOINT_RESTORE", fallbackTask: null }] },
      { key: "f", fallback: true, recovery: [] },
    ]);
  });

  it("failure details carry code, message, taskId, taskKey, timestamp, recoverable and context", async () => {
    const e = await runToEnd({ name: "details", tasks: [{ key: "f", handler: "flaky", input: { failRate: 1 }, retryPolicy: { strategy: "IMMEDIATE", maxRetries: 1 } }] });
    const f = task(e, "f");
    const within = (iso: string) => {
      const t = Date.parse(iso);
      expect(t).toBeGreaterThanOrEqual(Date.parse(e.startedAt!));
      expect(t).toBeLessThanOrEqual(Date.parse(e.completedAt!));
    };
    expect(f.error).toEqual({
      code: "FLAKY",
      message: "flaky failure (failRate 1, attempt 2)",
      taskId: f.id,
      taskKey: "f",
      timestamp: expect.any(String),
      recoverable: true,
      context: { failRate: 1 },
    });
    within(f.error!.timestamp);
    expect(e.error).toEqual({
      code: "FLAKY",
      message: "flaky failure (failRate 1, attempt 2)",
      taskId: f.id,
      taskKey: "f",
      timestamp: expect.any(String),
      recoverable: true,
      context: { attempt: 2, failRate: 1 },
    });
    within(e.error!.timestamp);
    expect(f.attempts.map((a) => a.error?.code)).toEqual(["FLAKY", "FLAKY"]);
  });
});
