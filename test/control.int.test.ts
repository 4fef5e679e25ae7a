import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { graphql } from "./__generated__/gql.ts";
import type { CreatePlanInput, TaskInput } from "./__generated__/graphql.ts";
import { infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { expectGapFree, monitorWs, schedule, type Update } from "./helpers/scenario.ts";
import { CreatePlan, ScheduleExecution } from "./operations.ts";
import { probes } from "./fixtures/control-handlers.ts";

// pause / resume / cancel / retry through GraphQL, against a real worker, PostgreSQL and Redis.

graphql(`fragment CtlExecution on Execution { id status pausing lastSeq deadlineAt error { code message } }`);
graphql(`
  fragment CtlError on Error {
    message
    ... on InvalidTransitionError { currentStatus requestedStatus }
    ... on InvalidIdError { field value }
    ... on NotFoundError { entity entityId }
  }
`);
const Pause = graphql(`mutation CtlPause($id: ID!) { pauseExecution(id: $id) { __typename ...CtlExecution ...CtlError } }`);
const Resume = graphql(`mutation CtlResume($id: ID!) { resumeExecution(id: $id) { __typename ...CtlExecution ...CtlError } }`);
const Retry = graphql(`mutation CtlRetry($id: ID!) { retryExecution(id: $id) { __typename ...CtlExecution ...CtlError } }`);
const Cancel = graphql(`mutation CtlCancel($id: ID!, $reason: String) { cancelExecution(id: $id, reason: $reason) { __typename ...CtlExecution ...CtlError } }`);
const Details = graphql(`
  query CtlDetails($id: ID!) {
    execution(id: $id) {
      ...CtlExecution
      result
      tasks { key status attempt startedAt finishedAt nextAttemptAt output attempts { attempt status startedAt finishedAt } }
      timeline(first: 200) { edges { node { seq type taskKey timestamp status } } }
    }
  }
`);

type Received = { monitor: Update }[];
const HANDLERS = "test/fixtures/control-handlers.ts";
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (iso: string | null | undefined) => Date.parse(iso!);
const has = (type: string, key?: string) => (r: Received) => r.some((u) => u.monitor.events.some((e) => e.type === type && (!key || e.taskKey === key)));

async function plan(url: string, tasks: TaskInput[], extra: Partial<CreatePlanInput> = {}): Promise<string> {
  const { createPlan } = await query(url, CreatePlan, { input: { name: "control", tasks, ...extra } });
  if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
  return createPlan.id;
}
async function details(url: string, id: string) {
  const exec = (await query(url, Details, { id })).execution!;
  const events = exec.timeline.edges.map((e) => e.node);
  return { ...exec, task: (key: string) => exec.tasks.find((t) => t.key === key)!, events, trail: events.map((e) => `${e.type}${e.taskKey ? `:${e.taskKey}` : ""}`) };
}

describe.each(modes())("execution control ($mode)", ({ embedded }) => {
  let env: InProcess;
  let solo: InProcess; // one worker slot: shows that a cancelled run frees it
  beforeAll(async () => void ([env, solo] = await Promise.all([startInProcess({ embedded,  handlerModules: HANDLERS }), startInProcess({ embedded,  concurrency: 1, handlerModules: HANDLERS })])));
  afterAll(async () => Promise.all([env?.stop(), solo?.stop()]));

  it("pause waits for the running tasks and starts nothing new; PAUSED once they end; resume completes the execution", async () => {
    const id = await schedule(env.url, await plan(env.url, [
      { key: "s1", handler: "sleep", input: { ms: 800 } },
      { key: "s2", handler: "sleep", input: { ms: 1600 } },
      // a sleep, not a noop: on the embedded default a noop can end before resumeExecution's answer is read
      { key: "next", handler: "sleep", input: { ms: 300 }, dependsOn: ["s1"] },
    ]));
    const sub = monitorWs(env.url, id);
    await sub.until((r) => has("TASK_STARTED", "s1")(r) && has("TASK_STARTED", "s2")(r));
    expect((await query(env.url, Pause, { id })).pauseExecution).toMatchObject({ __typename: "Execution", status: "RUNNING", pausing: true });
    await sub.until(has("TASK_COMPLETED", "s1"));
    await wait(300); // `next` is READY now, and s2 still runs: a broken pause would start it here
    let exec = await details(env.url, id);
    expect(exec).toMatchObject({ status: "RUNNING", pausing: true });
    expect(exec.task("next")).toMatchObject({ status: "READY", startedAt: null });
    await sub.until(has("EXECUTION_PAUSED"));
    await wait(400);
    exec = await details(env.url, id);
    expect(exec).toMatchObject({ status: "PAUSED", pausing: false });
    expect(exec.task("next")).toMatchObject({ status: "READY", startedAt: null });
    const resumedAt = Date.now();
    expect((await query(env.url, Resume, { id })).resumeExecution).toMatchObject({ __typename: "Execution", status: "RUNNING", pausing: false });
    await sub.done;
    expectGapFree(sub.received);
    exec = await details(env.url, id);
    expect(exec.status).toBe("COMPLETED");
    expect(ms(exec.task("next").startedAt)).toBeGreaterThanOrEqual(resumedAt);
    expect(exec.trail).toEqual([
      "EXECUTION_SCHEDULED", "EXECUTION_STARTED", "TASK_STARTED:s1", "TASK_STARTED:s2", "EXECUTION_PAUSE_REQUESTED", "TASK_COMPLETED:s1", "TASK_COMPLETED:s2",
      "EXECUTION_PAUSED", "EXECUTION_RESUMED", "TASK_STARTED:next", "TASK_COMPLETED:next", "EXECUTION_COMPLETED",
    ]);
    expect(["EXECUTION_PAUSE_REQUESTED", "EXECUTION_PAUSED"].map((t) => exec.events.find((e) => e.type === t)!.status)).toEqual(["RUNNING", "PAUSED"]);
  });

  it("pausing an execution with nothing running pauses it at once; it stays put until resumed", async () => {
    // maxConcurrentExecutions 1 keeps the second execution PENDING (nothing running) behind the first.
    const planId = await plan(env.url, [{ key: "t", handler: "sleep", input: { ms: 600 } }], { maxConcurrentExecutions: 1 });
    const first = await schedule(env.url, planId);
    await monitorWs(env.url, first).until(has("TASK_STARTED"));
    const second = await schedule(env.url, planId);
    expect((await query(env.url, Pause, { id: second })).pauseExecution).toMatchObject({ __typename: "Execution", status: "PAUSED", pausing: false });
    await monitorWs(env.url, first).done;
    await wait(400); // the plan's slot is free: a broken pause would let `second` start now
    let exec = await details(env.url, second);
    expect(exec.status).toBe("PAUSED");
    expect(exec.task("t")).toMatchObject({ status: "READY", startedAt: null });
    const resumedAt = Date.now();
    // Never started: resuming makes it PENDING, not RUNNING.
    expect((await query(env.url, Resume, { id: second })).resumeExecution).toMatchObject({ __typename: "Execution", status: expect.stringMatching(/^(PENDING|RUNNING)$/) });
    await monitorWs(env.url, second).done;
    exec = await details(env.url, second);
    expect(exec.status).toBe("COMPLETED");
    expect(ms(exec.task("t").startedAt)).toBeGreaterThanOrEqual(resumedAt);
    expect(exec.trail.slice(0, 3)).toEqual(["EXECUTION_SCHEDULED", "EXECUTION_PAUSED", "EXECUTION_RESUMED"]);
    expect(exec.events[2]!.status).toBe("PENDING");
  });

  it("a pause freezes a retry timer; resume restarts it with the remaining time", async () => {
    const retryPolicy = { strategy: "FIXED_DELAY" as const, delayMs: 1500, maxRetries: 1, jitter: 0 };
    const id = await schedule(env.url, await plan(env.url, [{ key: "f", handler: "flaky", input: { failRate: 1 }, retryPolicy }]));
    const sub = monitorWs(env.url, id);
    await sub.until(has("TASK_RETRYING", "f"));
    let f = (await details(env.url, id)).task("f");
    expect(f).toMatchObject({ status: "RETRYING", attempt: 1 });
    const failedAt = ms(f.attempts[0]!.finishedAt);
    expect(ms(f.nextAttemptAt) - failedAt).toBe(1500);
    await wait(400);
    const p0 = Date.now();
    expect((await query(env.url, Pause, { id })).pauseExecution).toMatchObject({ __typename: "Execution", status: "PAUSED" });
    const p1 = Date.now();
    f = (await details(env.url, id)).task("f");
    expect(f).toMatchObject({ status: "RETRYING", nextAttemptAt: null });
    await wait(2000); // longer than the whole delay
    let exec = await details(env.url, id);
    expect(exec.status).toBe("PAUSED");
    expect(exec.task("f")).toMatchObject({ status: "RETRYING", attempt: 1, nextAttemptAt: null });
    const r0 = Date.now();
    expect((await query(env.url, Resume, { id })).resumeExecution).toMatchObject({ __typename: "Execution", status: "RUNNING" });
    const r1 = Date.now();
    // remaining = delay − time elapsed before the pause, counted from the resume
    const [minLeft, maxLeft] = [1500 - (p1 - failedAt), 1500 - (p0 - failedAt)];
    const next = ms((await details(env.url, id)).task("f").nextAttemptAt);
    expect(next - r0).toBeGreaterThanOrEqual(minLeft - 20);
    expect(next - r0).toBeLessThanOrEqual(maxLeft + (r1 - r0) + 20);
    expect(next - r0).toBeLessThan(1200);
    await sub.done; // the second attempt fails too (failRate 1): FAILED
    exec = await details(env.url, id);
    expect(exec.status).toBe("FAILED");
    const second = exec.task("f").attempts[1]!;
    expect(second.attempt).toBe(2);
    expect(ms(second.startedAt)).toBeGreaterThanOrEqual(r0 + minLeft - 20);
    expect(ms(second.startedAt) - next).toBeLessThan(1000);
    expect(exec.trail.indexOf("EXECUTION_RESUMED")).toBeLessThan(exec.trail.lastIndexOf("TASK_STARTED:f"));
  });

  it("paused time does not count against the execution's timeoutMs: its deadline freezes and resumes", async () => {
    const sleeps = [{ key: "a", handler: "sleep", input: { ms: 600 } }, { key: "b", handler: "sleep", input: { ms: 600 }, dependsOn: ["a"] }];
    const { scheduleExecution: s } = await query(env.url, ScheduleExecution, { input: { planId: await plan(env.url, sleeps), timeoutMs: 1600 } });
    if (s.__typename !== "Execution") throw new Error(s.__typename);
    const sub = monitorWs(env.url, s.id);
    await sub.until(has("TASK_STARTED", "a"));
    expect(ms((await details(env.url, s.id)).deadlineAt) - Date.now()).toBeGreaterThan(1000);
    await query(env.url, Pause, { id: s.id });
    await sub.until(has("EXECUTION_PAUSED"));
    await wait(2000); // past the original deadline
    expect(await details(env.url, s.id)).toMatchObject({ status: "PAUSED", deadlineAt: null });
    await query(env.url, Resume, { id: s.id });
    const deadline = ms((await details(env.url, s.id)).deadlineAt);
    await sub.until(has("EXECUTION_RESUMED"));
    // Timed on the engine's clock (the events' timestamps), not on this process's: what was left of the
    // 1600 ms when the pause took effect is what is left when it resumes.
    const at = (type: string) => ms(sub.received.find((u) => u.monitor.events[0]!.type === type)!.monitor.events[0]!.timestamp);
    const ranBeforePause = at("EXECUTION_PAUSED") - at("EXECUTION_STARTED");
    expect(ranBeforePause).toBeGreaterThanOrEqual(600); // the pause took effect once a's 600 ms sleep ended
    expect(deadline - at("EXECUTION_RESUMED")).toBe(1600 - ranBeforePause);
    await sub.done;
    expect(await details(env.url, s.id)).toMatchObject({ status: "COMPLETED", error: null });
  });

  it("cancel aborts the running handler at once, cancels the rest and frees the worker slot", async () => {
    const id = await schedule(solo.url, await plan(solo.url, [
      { key: "long", handler: "probeSleep", input: { ms: 30_000 } },
      { key: "after", handler: "noop", dependsOn: ["long"] },
    ]));
    const sub = monitorWs(solo.url, id);
    await sub.until(has("TASK_STARTED", "long"));
    const cancelledAt = Date.now();
    expect((await query(solo.url, Cancel, { id, reason: "operator said stop" })).cancelExecution).toMatchObject({
      __typename: "Execution", status: "CANCELLED", error: { code: "CANCELLED", message: "operator said stop" },
    });
    await sub.done;
    expectGapFree(sub.received);
    expect(sub.received.at(-1)!.monitor.events[0]).toMatchObject({ type: "EXECUTION_CANCELLED", status: "CANCELLED" });
    const exec = await details(solo.url, id);
    expect(exec.error).toEqual({ code: "CANCELLED", message: "operator said stop" });
    const long = exec.task("long");
    expect(long).toMatchObject({ status: "CANCELLED", attempt: 1 });
    expect(ms(long.finishedAt) - ms(long.startedAt)).toBeLessThan(5000);
    expect(long.attempts).toEqual([expect.objectContaining({ attempt: 1, status: "CANCELLED", startedAt: long.startedAt, finishedAt: long.finishedAt })]);
    expect(exec.task("after")).toMatchObject({ status: "CANCELLED", startedAt: null, attempt: 0 });
    // The handler's own code saw ctx.signal abort and stopped waiting.
    const probe = probes().get(decodeGlobalID(id).id)!;
    await vi.waitFor(() => expect(probe.stoppedAt).not.toBeNull(), { timeout: 2000 });
    expect(probe.abortedAt! - cancelledAt).toBeLessThan(1000);
    // The only slot is free: another execution starts right away, not after the 30 s sleep.
    const scheduledAt = Date.now();
    const other = await schedule(solo.url, await plan(solo.url, [{ key: "quick", handler: "noop" }]));
    await monitorWs(solo.url, other).until(has("TASK_STARTED"), 3000);
    expect(ms((await details(solo.url, other)).task("quick").startedAt) - scheduledAt).toBeLessThan(1000);
  });

  it("retryExecution re-runs the failed task and its dependants in the same execution, keeping completed outputs and history", async () => {
    const id = await schedule(env.url, await plan(env.url, [
      { key: "a", handler: "noop", input: { v: "a" } },
      { key: "b", handler: "failFirstAttempt", input: { ms: 200 }, dependsOn: ["a"] },
      { key: "c", handler: "noop", input: { v: "c" }, dependsOn: ["b"] },
      { key: "d", handler: "noop", input: { v: "d" } },
    ]));
    await monitorWs(env.url, id).done;
    const failed = await details(env.url, id);
    expect(failed).toMatchObject({ status: "FAILED", error: { code: "FIRST_ATTEMPT" } });
    expect(failed.tasks.map((t) => [t.key, t.status, t.attempt])).toEqual([["a", "COMPLETED", 1], ["b", "FAILED", 1], ["c", "CANCELLED", 0], ["d", "COMPLETED", 1]]);

    expect((await query(env.url, Retry, { id })).retryExecution).toMatchObject({ __typename: "Execution", id, error: null });
    const sub = monitorWs(env.url, id, 0); // the whole history, through the first EXECUTION_FAILED
    await sub.done;
    const done = await details(env.url, id);
    expect(done.status).toBe("COMPLETED");
    for (const key of ["a", "d"]) expect(done.task(key)).toEqual(failed.task(key)); // not re-run: same attempt, times and output
    expect(done.task("b")).toMatchObject({ status: "COMPLETED", attempt: 2, output: { attempt: 2 } });
    expect(done.task("b").attempts.map((a) => [a.attempt, a.status])).toEqual([[1, "FAILED"], [2, "COMPLETED"]]);
    expect(done.task("c")).toMatchObject({ status: "COMPLETED", attempt: 1 });
    expect(done.result).toEqual({ c: { echo: { v: "c" } }, d: { echo: { v: "d" } } });
    // One history: seq 1..n, FAILED then RETRIED then COMPLETED; only b and c started after the retry.
    expect(done.events.map((e) => e.seq)).toEqual(done.events.map((_, i) => i + 1));
    expect(done.lastSeq).toBe(done.events.length);
    const at = (t: string) => done.trail.indexOf(t);
    expect(at("EXECUTION_FAILED")).toBeGreaterThan(0);
    expect(at("EXECUTION_FAILED")).toBeLessThan(at("EXECUTION_RETRIED"));
    expect(at("EXECUTION_RETRIED")).toBeLessThan(at("EXECUTION_COMPLETED"));
    expect(done.trail.slice(at("EXECUTION_RETRIED")).filter((t) => t.startsWith("TASK_STARTED"))).toEqual(["TASK_STARTED:b", "TASK_STARTED:c"]);
    expectGapFree(sub.received);
    expect(sub.received.map((u) => u.monitor.events[0]!.type)).toEqual(done.events.map((e) => e.type));
    const replay = monitorWs(env.url, id, 0); // joined after the end: the same whole history, not cut at EXECUTION_FAILED
    await replay.done;
    expect(replay.received).toEqual(sub.received);
  });

  it("illegal transitions are InvalidTransitionError naming the current status; bad ids are typed errors", async () => {
    const quick = await plan(env.url, [{ key: "q", handler: "noop" }]);
    const slow = await plan(env.url, [{ key: "s", handler: "sleep", input: { ms: 5000 } }]);
    const completed = await schedule(env.url, quick);
    await monitorWs(env.url, completed).done;
    const running = await schedule(env.url, slow);
    await monitorWs(env.url, running).until(has("TASK_STARTED"));
    const invalid = (currentStatus: string, requestedStatus: string) => ({ __typename: "InvalidTransitionError", currentStatus, requestedStatus, message: expect.stringContaining(currentStatus) });
    expect((await query(env.url, Pause, { id: completed })).pauseExecution).toMatchObject(invalid("COMPLETED", "PAUSED"));
    expect((await query(env.url, Retry, { id: completed })).retryExecution).toMatchObject(invalid("COMPLETED", "PENDING"));
    expect((await query(env.url, Resume, { id: running })).resumeExecution).toMatchObject(invalid("RUNNING", "RUNNING"));
    expect((await query(env.url, Cancel, { id: running })).cancelExecution).toMatchObject({ __typename: "Execution", status: "CANCELLED", error: { message: "cancelled by a user" } });
    expect((await query(env.url, Cancel, { id: running })).cancelExecution).toMatchObject(invalid("CANCELLED", "CANCELLED"));
    expect((await query(env.url, Pause, { id: "not-an-id" })).pauseExecution).toMatchObject({ __typename: "InvalidIdError", field: "id", value: "not-an-id" });
    expect((await query(env.url, Cancel, { id: quick })).cancelExecution).toMatchObject({ __typename: "InvalidIdError", field: "id", value: quick });
    const unknown = randomUUID();
    expect((await query(env.url, Resume, { id: encodeGlobalID("Execution", unknown) })).resumeExecution).toMatchObject({ __typename: "NotFoundError", entity: "Execution", entityId: unknown });
    expect((await details(env.url, completed)).status).toBe("COMPLETED");
  });

  it("concurrent control calls serialize: one pause of ten wins, cancel races resolve once, events stay gap-free", async () => {
    const id = await schedule(env.url, await plan(env.url, [
      { key: "s", handler: "sleep", input: { ms: 3000 } },
      { key: "n", handler: "noop", dependsOn: ["s"] },
    ]));
    const sub = monitorWs(env.url, id);
    await sub.until(has("TASK_STARTED", "s"));
    const pauses = (await Promise.all(Array.from({ length: 10 }, () => query(env.url, Pause, { id })))).map((r) => r.pauseExecution);
    expect(pauses.filter((p) => p.__typename === "Execution")).toHaveLength(1);
    const losers = pauses.filter((p) => p.__typename === "InvalidTransitionError");
    expect(losers).toHaveLength(9);
    for (const l of losers) expect(l).toMatchObject({ currentStatus: "RUNNING (pausing)", requestedStatus: "PAUSED" });

    const [c1, c2, r] = await Promise.all([
      query(env.url, Cancel, { id, reason: "race" }).then((x) => x.cancelExecution),
      query(env.url, Cancel, { id, reason: "race" }).then((x) => x.cancelExecution),
      query(env.url, Resume, { id }).then((x) => x.resumeExecution),
    ]);
    expect([c1, c2].map((c) => c.__typename).sort()).toEqual(["Execution", "InvalidTransitionError"]);
    expect([c1, c2].find((c) => c.__typename === "InvalidTransitionError")).toMatchObject({ currentStatus: "CANCELLED" });
    const resumed = r.__typename === "Execution";
    if (!resumed) expect(r).toMatchObject({ __typename: "InvalidTransitionError", currentStatus: "CANCELLED" });
    await sub.done;
    expectGapFree(sub.received);
    const exec = await details(env.url, id);
    expect(exec).toMatchObject({ status: "CANCELLED", pausing: false, error: { code: "CANCELLED", message: "race" } });
    expect(exec.tasks.map((t) => t.status)).toEqual(["CANCELLED", "CANCELLED"]);
    expect(exec.events.map((e) => e.seq)).toEqual(exec.events.map((_, i) => i + 1));
    const count = (t: string) => exec.trail.filter((x) => x === t).length;
    expect([count("EXECUTION_PAUSE_REQUESTED"), count("EXECUTION_RESUMED"), count("EXECUTION_CANCELLED"), count("EXECUTION_PAUSED")]).toEqual([1, resumed ? 1 : 0, 1, 0]);
    expect(exec.trail.at(-1)).toBe("EXECUTION_CANCELLED");
    expect(sub.received.map((u) => u.monitor.events[0]!.type)).toEqual(exec.events.map((e) => e.type));
  });
});
