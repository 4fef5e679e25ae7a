import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { monitorWs } from "./helpers/scenario.ts";
import { graphql } from "./__generated__/gql.ts";
import type { CreatePlanInput, RetryPolicyInput, RetryStrategy, ScheduleExecutionInput } from "./__generated__/graphql.ts";

// Retry policies as observed through the API: the delays between attempts, their number, inheritance
// from the plan, the RETRYING state, and timeouts (task and execution) as failures.

const RetryCreatePlan = graphql(`
  mutation RetryCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      __typename
      ... on Plan {
        id
        retryPolicy { strategy maxRetries delayMs maxDelayMs jitter }
        tasks { key retryPolicy { strategy maxRetries delayMs maxDelayMs jitter } }
      }
      ... on Error { message }
    }
  }
`);

const RetrySchedule = graphql(`
  mutation RetrySchedule($input: ScheduleExecutionInput!) {
    scheduleExecution(input: $input) {
      __typename
      ... on Execution { id }
      ... on Error { message }
    }
  }
`);

const RetryExecution = graphql(`
  query RetryExecution($id: ID!) {
    execution(id: $id) {
      status
      startedAt
      completedAt
      error { code message taskKey recoverable }
      tasks {
        key
        status
        attempt
        nextAttemptAt
        error { code }
        retryPolicy { strategy maxRetries delayMs maxDelayMs jitter }
        attempts { attempt status startedAt finishedAt durationMs error { code } }
      }
      timeline(first: 100) { edges { node { type taskKey data } } }
    }
  }
`);

describe.each(modes())("retry policies and timeouts ($mode)", ({ embedded }) => {
  let env: InProcess;

  beforeAll(async () => {
    env = await startInProcess({ embedded });
  });

  afterAll(async () => env?.stop());

  const createPlan = async (input: CreatePlanInput) => {
    const { createPlan } = await query(env.url, RetryCreatePlan, { input });
    if (createPlan.__typename !== "Plan") throw new Error(`createPlan: ${JSON.stringify(createPlan)}`);
    return createPlan;
  };
  const schedule = async (input: ScheduleExecutionInput) => {
    const { scheduleExecution } = await query(env.url, RetrySchedule, { input });
    if (scheduleExecution.__typename !== "Execution") throw new Error(`scheduleExecution: ${JSON.stringify(scheduleExecution)}`);
    return scheduleExecution.id;
  };
  const details = async (id: string) => (await query(env.url, RetryExecution, { id })).execution!;
  /** Creates the plan, runs one execution to its end, returns its details. */
  const runToEnd = async (plan: CreatePlanInput, extra: Partial<ScheduleExecutionInput> = {}) => {
    const id = await schedule({ planId: (await createPlan(plan)).id, ...extra });
    await monitorWs(env.url, id).done;
    return details(id);
  };
  const events = (e: Awaited<ReturnType<typeof details>>, type: string) => e.timeline.edges.map((x) => x.node).filter((n) => n.type === type);
  /** ms between the end of each attempt and the start of the next. */
  const gaps = (task: { attempts: { startedAt: string; finishedAt: string }[] }) =>
    task.attempts.slice(1).map((a, i) => Date.parse(a.startedAt) - Date.parse(task.attempts[i]!.finishedAt));
  const expectDelays = (observed: number[], expected: number[]) => {
    expect(observed, `observed ${observed.join(", ")} ms, expected ${expected.join(", ")} ms`).toHaveLength(expected.length);
    observed.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(expected[i]! - 50);
      expect(ms).toBeLessThan(expected[i]! + 1000);
    });
  };
  const alwaysFlaky = (retryPolicy?: RetryPolicyInput) => ({ key: "f", handler: "flaky", input: { failRate: 1 }, ...(retryPolicy ? { retryPolicy } : {}) });

  const strategies: [RetryStrategy, number, number, number[]][] = [
    // strategy, delayMs, maxRetries, expected delays
    ["FIXED_DELAY", 300, 2, [300, 300]],
    ["EXPONENTIAL_BACKOFF", 150, 3, [150, 300, 600]],
    ["FIBONACCI_BACKOFF", 150, 3, [150, 150, 300]],
    ["IMMEDIATE", 500, 2, [0, 0]],
  ];

  it.each(strategies)("%s (delayMs %i, maxRetries %i) waits %j between attempts, then fails the execution", async (strategy, delayMs, maxRetries, expected) => {
    const e = await runToEnd({ name: `retry-${strategy}`, tasks: [alwaysFlaky({ strategy, delayMs, maxRetries })] });
    const task = e.tasks[0]!;
    expect(task.attempts.map((a) => [a.attempt, a.status, a.error?.code])).toEqual(Array.from({ length: maxRetries + 1 }, (_, i) => [i + 1, "FAILED", "FLAKY"]));
    expect(task).toMatchObject({ status: "FAILED", attempt: maxRetries + 1, nextAttemptAt: null, error: { code: "FLAKY" } });
    expectDelays(gaps(task), expected);
    // The engine announced each delay before waiting it.
    expect(events(e, "TASK_RETRYING").map((n) => (n.data as { delayMs: number }).delayMs)).toEqual(expected);
    expect(e.status).toBe("FAILED");
    expect(e.error).toMatchObject({ code: "FLAKY", taskKey: "f", recoverable: true });
    const last = events(e, "RECOVERY_INITIATED").at(-1)!.data as { action: string; reason: string };
    expect(last.action).toBe("ABORT");
    expect(last.reason).toContain(`retries exhausted: ${maxRetries} of ${maxRetries}`);
  });

  it("NONE never retries, whatever maxRetries says", async () => {
    const e = await runToEnd({ name: "retry-none", tasks: [alwaysFlaky({ strategy: "NONE", maxRetries: 5, delayMs: 10 })] });
    expect(e.status).toBe("FAILED");
    expect(e.tasks[0]!.attempts).toHaveLength(1);
    expect(events(e, "TASK_RETRYING")).toEqual([]);
    expect(events(e, "RECOVERY_INITIATED").map((n) => n.data)).toEqual([expect.objectContaining({ action: "ABORT", reason: expect.stringContaining("no retry policy") })]);
  });

  it("a non-recoverable error (fail) skips the retries", async () => {
    const e = await runToEnd({ name: "non-recoverable", tasks: [{ key: "x", handler: "fail", input: { code: "E_FATAL", message: "fatal" }, retryPolicy: { strategy: "FIXED_DELAY", maxRetries: 3, delayMs: 50 } }] });
    expect(e.status).toBe("FAILED");
    expect(e.error).toMatchObject({ code: "E_FATAL", message: "fatal", recoverable: false });
    expect(e.tasks[0]!.attempts.map((a) => a.status)).toEqual(["FAILED"]);
    expect(events(e, "RECOVERY_INITIATED").map((n) => n.data)).toEqual([expect.objectContaining({ action: "ABORT", reason: expect.stringContaining("not recoverable") })]);
  });

  it("tasks inherit the plan's retry policy; a task's policy overrides it field by field", async () => {
    const planPolicy = { strategy: "EXPONENTIAL_BACKOFF", maxRetries: 1, delayMs: 5000, maxDelayMs: 60_000, jitter: 0.2 } as const;
    const plan = await createPlan({
      name: "inherit",
      retryPolicy: planPolicy,
      tasks: [{ key: "inherits", handler: "noop" }, alwaysFlaky({ strategy: "FIXED_DELAY", delayMs: 100, maxRetries: 2, jitter: 0 })],
    });
    expect(plan.retryPolicy).toEqual(planPolicy);
    expect(Object.fromEntries(plan.tasks.map((t) => [t.key, t.retryPolicy]))).toEqual({
      inherits: planPolicy,
      f: { strategy: "FIXED_DELAY", maxRetries: 2, delayMs: 100, maxDelayMs: 60_000, jitter: 0 },
    });
    // The overridden fields drive the run: 3 attempts 100 ms apart, not 2 attempts 5 s apart.
    const id = await schedule({ planId: plan.id });
    await monitorWs(env.url, id).done;
    const f = (await details(id)).tasks.find((t) => t.key === "f")!;
    expect(f.retryPolicy).toEqual({ strategy: "FIXED_DELAY", maxRetries: 2, delayMs: 100, maxDelayMs: 60_000, jitter: 0 });
    expectDelays(gaps(f), [100, 100]);

    // Without a task policy, the plan's default alone decides: FIXED_DELAY 200 ms × 2.
    const e = await runToEnd({ name: "inherit-run", retryPolicy: { strategy: "FIXED_DELAY", delayMs: 200, maxRetries: 2 }, tasks: [alwaysFlaky()] });
    expect(e.tasks[0]!.attempt).toBe(3);
    expectDelays(gaps(e.tasks[0]!), [200, 200]);
  });

  it("shows a waiting retry as RETRYING with nextAttemptAt, then runs it no earlier", async () => {
    const plan = await createPlan({ name: "retrying", tasks: [alwaysFlaky({ strategy: "FIXED_DELAY", delayMs: 1500, maxRetries: 1 })] });
    const id = await schedule({ planId: plan.id });
    const sub = monitorWs(env.url, id);
    try {
      await sub.until((r) => r.some((u) => u.monitor.events.some((ev) => ev.type === "TASK_RETRYING")));
      const during = await details(id);
      const task = during.tasks[0]!;
      expect(during.status).toBe("RUNNING");
      expect(task.status).toBe("RETRYING");
      expect(task.nextAttemptAt).not.toBeNull();
      const announced = events(during, "TASK_RETRYING")[0]!.data as { delayMs: number; nextAttemptAt: string; retry: number };
      expect(announced).toMatchObject({ delayMs: 1500, retry: 1 });
      expect(Date.parse(task.nextAttemptAt!)).toBe(Date.parse(announced.nextAttemptAt));
      expect(Date.parse(task.nextAttemptAt!) - Date.parse(task.attempts[0]!.finishedAt)).toBe(1500);
      expect(Date.parse(task.nextAttemptAt!)).toBeGreaterThan(Date.now());
      await sub.done;
      const after = (await details(id)).tasks[0]!;
      expect(after.attempts).toHaveLength(2);
      expect(Date.parse(after.attempts[1]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(task.nextAttemptAt!));
      expect(after.nextAttemptAt).toBeNull();
    } finally {
      await sub.close();
    }
  });

  it("a task timeout aborts the handler as TIMED_OUT, and counts as a failure for retries", async () => {
    const e = await runToEnd({
      name: "task-timeout",
      tasks: [{ key: "s", handler: "sleep", input: { ms: 10_000 }, timeoutMs: 200, retryPolicy: { strategy: "FIXED_DELAY", delayMs: 100, maxRetries: 1 } }],
    });
    const task = e.tasks[0]!;
    expect(task.attempts.map((a) => [a.status, a.error?.code])).toEqual([["TIMED_OUT", "TIMEOUT"], ["TIMED_OUT", "TIMEOUT"]]);
    for (const a of task.attempts) {
      expect(a.durationMs).toBeGreaterThanOrEqual(150);
      expect(a.durationMs).toBeLessThan(1200);
    }
    expectDelays(gaps(task), [100]);
    expect(task).toMatchObject({ status: "TIMED_OUT", error: { code: "TIMEOUT" } });
    expect(e).toMatchObject({ status: "FAILED", error: { code: "TIMEOUT", taskKey: "s", recoverable: true } });
    expect(events(e, "RECOVERY_INITIATED").map((n) => (n.data as { action: string }).action)).toEqual(["RETRY", "ABORT"]);
    expect(Date.parse(e.completedAt!) - Date.parse(e.startedAt!)).toBeLessThan(3000);
  });

  it("an execution timeout fails the execution with EXECUTION_TIMEOUT, without retrying the task it stops", async () => {
    const e = await runToEnd(
      { name: "execution-timeout", tasks: [{ key: "s", handler: "sleep", input: { ms: 10_000 }, retryPolicy: { strategy: "FIXED_DELAY", delayMs: 50, maxRetries: 3 } }] },
      { timeoutMs: 500 },
    );
    expect(e.status).toBe("FAILED");
    expect(e.error).toMatchObject({ code: "EXECUTION_TIMEOUT", recoverable: false });
    expect(["TIMED_OUT", "CANCELLED"]).toContain(e.tasks[0]!.status);
    expect(e.tasks[0]!.attempt).toBe(1);
    expect(events(e, "TASK_RETRYING")).toEqual([]);
    const ran = Date.parse(e.completedAt!) - Date.parse(e.startedAt!);
    expect(ran).toBeGreaterThanOrEqual(450);
    expect(ran).toBeLessThan(1500);
  });
});
