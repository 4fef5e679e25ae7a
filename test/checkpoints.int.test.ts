import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { graphql } from "./__generated__/gql.ts";
import type { CreatePlanInput, TaskInput } from "./__generated__/graphql.ts";
import { createTestDatabase, infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { startApi, startWorker, type Proc } from "./helpers/processes.ts";
import { query } from "./helpers/clients.ts";
import { expectGapFree, monitorWs, schedule, type Update } from "./helpers/scenario.ts";
import { CreatePlan, ScheduleExecution } from "./operations.ts";
import { holdProbes, openGate } from "./fixtures/checkpoint-handlers.ts";
import { reclaimExpired } from "../src/store/timers.ts";
import { publishUpdates } from "../src/store/outbox.ts";

// Checkpoints through GraphQL against a real worker, PostgreSQL and Redis: createCheckpoint, periodic
// checkpoints, ctx.checkpoint / ctx.state across a crash, restoreFromCheckpoint, CHECKPOINT_RESTORE recovery.

graphql(`
  fragment CpCheckpoint on Checkpoint {
    id seq reason createdAt completedTasks taskStates variables resourceAllocations
    execution { id }
  }
`);
graphql(`
  fragment CpError on Error {
    message
    ... on InvalidTransitionError { currentStatus requestedStatus }
    ... on InvalidIdError { field value }
    ... on NotFoundError { entity entityId }
  }
`);
const Create = graphql(`mutation CpCreate($id: ID!) { createCheckpoint(executionId: $id) { __typename ...CpCheckpoint ...CpError } }`);
const Restore = graphql(`
  mutation CpRestore($id: ID!) {
    restoreFromCheckpoint(checkpointId: $id) { __typename ... on Execution { id status completedAt result error { code } } ...CpError }
  }
`);
const Cancel = graphql(`mutation CpCancel($id: ID!) { cancelExecution(id: $id) { __typename } }`);
const PlanInterval = graphql(`query CpPlan($id: ID!) { plan(id: $id) { checkpointIntervalMs } }`);
const Details = graphql(`
  query CpDetails($id: ID!) {
    execution(id: $id) {
      id status lastSeq startedAt completedAt result error { code message }
      tasks { key status attempt startedAt finishedAt output state attempts { attempt status error { code message } } }
      timeline(first: 200) { edges { node { seq type taskKey status message data } } }
      checkpoints(first: 20) { edges { node { ...CpCheckpoint } } }
    }
  }
`);

type Received = { monitor: Update }[];
const HANDLERS = "test/fixtures/checkpoint-handlers.ts";
const has = (type: string, key?: string) => (r: Received) => r.some((u) => u.monitor.events.some((e) => e.type === type && (!key || e.taskKey === key)));
const raw = (globalId: string) => decodeGlobalID(globalId).id;

async function plan(url: string, tasks: TaskInput[], extra: Partial<CreatePlanInput> = {}): Promise<string> {
  const { createPlan } = await query(url, CreatePlan, { input: { name: "checkpoints", tasks, ...extra } });
  if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
  return createPlan.id;
}
async function details(url: string, id: string) {
  const exec = (await query(url, Details, { id })).execution!;
  const events = exec.timeline.edges.map((e) => e.node);
  return {
    ...exec,
    task: (key: string) => exec.tasks.find((t) => t.key === key)!,
    events,
    trail: events.map((e) => `${e.type}${e.taskKey ? `:${e.taskKey}` : ""}`),
    checkpoints: exec.checkpoints.edges.map((e) => e.node),
  };
}
async function checkpoint(url: string, id: string) {
  const { createCheckpoint: cp } = await query(url, Create, { id });
  if (cp.__typename !== "Checkpoint") throw new Error(JSON.stringify(cp));
  return cp;
}

describe.each(modes())("checkpoints ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded,  handlerModules: HANDLERS })));
  afterAll(async () => env?.stop());

  it("createCheckpoint saves the done tasks, every task's status, output, state and attempt, and the params; CHECKPOINT_CREATED carries it", async () => {
    const planId = await plan(env.url, [
      { key: "a", handler: "noop", input: { v: 1 } },
      { key: "b", handler: "hold", input: { ms: 30_000, state: { cursor: 42 } }, dependsOn: ["a"] },
      { key: "c", handler: "noop", dependsOn: ["b"] },
    ]);
    const { scheduleExecution: s } = await query(env.url, ScheduleExecution, { input: { planId, params: { run: 7 } } });
    if (s.__typename !== "Execution") throw new Error(s.__typename);
    const sub = monitorWs(env.url, s.id);
    await sub.until(has("CHECKPOINT_CREATED", "b")); // b's ctx.checkpoint took a TASK checkpoint
    const cp = await checkpoint(env.url, s.id);
    expect(cp).toMatchObject({ reason: "MANUAL", completedTasks: ["a"], variables: { run: 7 }, resourceAllocations: [], execution: { id: s.id } });
    const states = cp.taskStates as Record<string, Record<string, unknown>>;
    expect(Object.keys(states).sort()).toEqual(["a", "b", "c"]);
    expect(states.a).toMatchObject({ status: "COMPLETED", output: { echo: { v: 1 } }, state: null, attempt: 1, error: null, replacedBy: null });
    expect(states.b).toMatchObject({ status: "RUNNING", output: null, state: { cursor: 42 }, attempt: 1 });
    expect(states.c).toMatchObject({ status: "WAITING", output: null, state: null, attempt: 0, startedAt: null });

    await sub.until((r) => r.filter((u) => u.monitor.events[0]!.type === "CHECKPOINT_CREATED").length === 2);
    const event = sub.received.map((u) => u.monitor.events[0]!).filter((e) => e.type === "CHECKPOINT_CREATED").at(-1)!;
    expect(event).toMatchObject({ seq: cp.seq, taskKey: null, status: "RUNNING", data: { checkpointId: raw(cp.id), reason: "MANUAL", completedTasks: ["a"] } });
    const exec = await details(env.url, s.id);
    // Newest first: the MANUAL one, then b's TASK checkpoint.
    expect(exec.checkpoints.map((c) => [c.reason, c.completedTasks])).toEqual([["MANUAL", ["a"]], ["TASK", ["a"]]]);
    expect(exec.checkpoints[0]!.seq).toBeGreaterThan(exec.checkpoints[1]!.seq);
    expect(exec.task("b").state).toEqual({ cursor: 42 });
    expect((await query(env.url, Cancel, { id: s.id })).cancelExecution.__typename).toBe("Execution");
    await sub.done;
    expectGapFree(sub.received);
  });

  it("a plan's checkpointIntervalMs takes PERIODIC checkpoints of its running executions", async () => {
    const planId = await plan(env.url, [{ key: "long", handler: "sleep", input: { ms: 3500 } }], { checkpointIntervalMs: 1000 });
    expect((await query(env.url, PlanInterval, { id: planId })).plan).toEqual({ checkpointIntervalMs: 1000 });
    const id = await schedule(env.url, planId);
    const sub = monitorWs(env.url, id);
    await sub.done;
    expectGapFree(sub.received);
    const exec = await details(env.url, id);
    expect(exec.status).toBe("COMPLETED");
    const periodic = exec.checkpoints;
    expect(periodic.length).toBeGreaterThanOrEqual(2);
    expect(periodic.length).toBeLessThanOrEqual(4);
    expect(periodic.every((c) => c.reason === "PERIODIC" && c.completedTasks.length === 0)).toBe(true);
    const times = periodic.map((c) => Date.parse(c.createdAt)).reverse(); // oldest first
    expect(times[0]! - Date.parse(exec.startedAt!)).toBeGreaterThanOrEqual(1000);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(exec.trail.filter((t) => t === "CHECKPOINT_CREATED")).toHaveLength(periodic.length);
    // Nothing more once it ended.
    await new Promise((r) => setTimeout(r, 1300));
    expect((await details(env.url, id)).checkpoints).toHaveLength(periodic.length);
  });

  it("restoreFromCheckpoint rewinds: tasks done in the checkpoint keep their outputs and do not run again, later ones re-run, and the history goes on", async () => {
    const id = await schedule(env.url, await plan(env.url, [
      { key: "a", handler: "noop", input: { v: "a" } },
      { key: "b", handler: "hold", input: { ms: 500 }, dependsOn: ["a"] },
      { key: "c", handler: "noop", input: { v: "c" }, dependsOn: ["b"] },
    ]));
    const first = monitorWs(env.url, id);
    await first.until(has("TASK_STARTED", "b"));
    const cp = await checkpoint(env.url, id);
    expect(cp.completedTasks).toEqual(["a"]);
    await first.done;
    const before = await details(env.url, id);
    expect(before.status).toBe("COMPLETED");

    const { restoreFromCheckpoint: r } = await query(env.url, Restore, { id: cp.id });
    expect(r).toMatchObject({ __typename: "Execution", id, status: expect.stringMatching(/^(PENDING|RUNNING)$/), completedAt: null, result: null, error: null });
    const rest = monitorWs(env.url, id, before.lastSeq); // the continued history only
    await rest.done;
    expectGapFree(rest.received, before.lastSeq);
    expect(rest.received.map((u) => `${u.monitor.events[0]!.type}${u.monitor.events[0]!.taskKey ? `:${u.monitor.events[0]!.taskKey}` : ""}`)).toEqual([
      "RECOVERY_INITIATED", "EXECUTION_STARTED", "TASK_STARTED:b", "TASK_COMPLETED:b", "TASK_STARTED:c", "TASK_COMPLETED:c", "EXECUTION_COMPLETED",
    ]);
    expect(rest.received[0]!.monitor.events[0]).toMatchObject({
      status: "PENDING",
      data: { action: "CHECKPOINT_RESTORE", checkpointId: raw(cp.id), seq: cp.seq, automatic: false, kept: ["a"], reset: ["b", "c"] },
    });

    const after = await details(env.url, id);
    expect(after.status).toBe("COMPLETED");
    expect(after.task("a")).toEqual(before.task("a")); // not re-run: same attempt, times and output
    expect(after.task("b")).toMatchObject({ status: "COMPLETED", attempt: 2, output: { attempt: 2, startedWith: null } });
    expect(after.task("b").attempts.map((a) => [a.attempt, a.status])).toEqual([[1, "COMPLETED"], [2, "COMPLETED"]]);
    expect(after.task("c")).toMatchObject({ status: "COMPLETED", attempt: 2 });
    expect(after.result).toEqual(before.result);
    expect(after.events.map((e) => e.seq)).toEqual(after.events.map((_, i) => i + 1)); // one history, seq goes on
    expect(after.trail.slice(0, before.events.length)).toEqual(before.trail);
    const replay = monitorWs(env.url, id, 0); // joined afterwards: the whole history, through the first EXECUTION_COMPLETED
    await replay.done;
    expect(replay.received).toHaveLength(after.events.length);
  });

  it("restoring a running execution revokes its running handler and runs that task again", async () => {
    const id = await schedule(env.url, await plan(env.url, [
      { key: "a", handler: "noop" },
      { key: "b", handler: "hold", input: { ms: 30_000, state: { page: 3 } }, dependsOn: ["a"] },
    ]));
    const sub = monitorWs(env.url, id);
    await sub.until(has("CHECKPOINT_CREATED", "b"));
    const cp = await checkpoint(env.url, id);
    const restoredAt = Date.now();
    expect((await query(env.url, Restore, { id: cp.id })).restoreFromCheckpoint.__typename).toBe("Execution");
    const rawId = raw(id);
    await vi.waitFor(() => expect(holdProbes().get(`${rawId}:b:2`)).toBeDefined(), { timeout: 5000 });
    await vi.waitFor(() => expect(holdProbes().get(`${rawId}:b:1`)!.abortedAt).not.toBeNull(), { timeout: 2000 });
    expect(holdProbes().get(`${rawId}:b:1`)!.abortedAt! - restoredAt).toBeLessThan(2000);
    let exec = await details(env.url, id);
    expect(exec.status).toBe("RUNNING");
    expect(exec.task("a").attempt).toBe(1);
    expect(exec.task("b")).toMatchObject({ status: "RUNNING", attempt: 2, state: { page: 3 } });
    expect(exec.task("b").attempts).toEqual([{ attempt: 1, status: "CANCELLED", error: { code: "RESTORED", message: `the execution was restored from checkpoint ${raw(cp.id)}` } }]);
    const at = exec.trail.indexOf("RECOVERY_INITIATED");
    expect(exec.trail.slice(at)).toEqual(["RECOVERY_INITIATED", "EXECUTION_STARTED", "TASK_STARTED:b", "CHECKPOINT_CREATED:b"]);
    await query(env.url, Cancel, { id });
    await sub.done;
    exec = await details(env.url, id);
    expect(exec.status).toBe("CANCELLED");
    expect(exec.task("b").attempts.map((a) => [a.attempt, a.status])).toEqual([[1, "CANCELLED"], [2, "CANCELLED"]]);
  });

  it("CHECKPOINT_RESTORE recovery restores the newest checkpoint; the failed task runs again from its saved state and the execution completes", async () => {
    const id = await schedule(env.url, await plan(env.url, [
      { key: "a", handler: "noop" },
      { key: "b", handler: "checkpointThenFail", input: { failAttempts: 1 }, dependsOn: ["a"], recovery: [{ on: "X", action: "CHECKPOINT_RESTORE" }] },
      { key: "c", handler: "noop", dependsOn: ["b"] },
    ]));
    const sub = monitorWs(env.url, id);
    await sub.done;
    expectGapFree(sub.received);
    const exec = await details(env.url, id);
    expect(exec).toMatchObject({ status: "COMPLETED", error: null });
    expect(exec.trail).toEqual([
      "EXECUTION_SCHEDULED", "EXECUTION_STARTED", "TASK_STARTED:a", "TASK_COMPLETED:a",
      "TASK_STARTED:b", "CHECKPOINT_CREATED:b", "TASK_FAILED:b", "RECOVERY_INITIATED:b",
      "EXECUTION_STARTED", "TASK_STARTED:b", "CHECKPOINT_CREATED:b", "TASK_COMPLETED:b", "TASK_STARTED:c", "TASK_COMPLETED:c", "EXECUTION_COMPLETED",
    ]);
    const taskCheckpoint = exec.checkpoints.at(-1)!; // oldest: taken by b's first attempt
    expect(taskCheckpoint).toMatchObject({ reason: "TASK", completedTasks: ["a"] });
    const recovery = exec.events.find((e) => e.type === "RECOVERY_INITIATED")!;
    expect(recovery).toMatchObject({
      status: "PENDING",
      data: { action: "CHECKPOINT_RESTORE", automatic: true, checkpointId: raw(taskCheckpoint.id), seq: taskCheckpoint.seq, rule: { on: "X", action: "CHECKPOINT_RESTORE" }, kept: ["a"], reset: ["b", "c"] },
    });
    expect(recovery.message).toMatch(/^b: CHECKPOINT_RESTORE \(rule on "X" → CHECKPOINT_RESTORE\): restored from checkpoint/);
    expect(exec.task("a").attempt).toBe(1);
    expect(exec.task("b")).toMatchObject({ status: "COMPLETED", attempt: 2, output: { attempt: 2, startedWith: { savedBy: 1 } }, state: { savedBy: 2 } });
    expect(exec.task("b").attempts.map((a) => [a.attempt, a.status, a.error?.code ?? null])).toEqual([[1, "FAILED", "X"], [2, "COMPLETED", null]]);
  });

  it("CHECKPOINT_RESTORE without a checkpoint aborts with the reason", async () => {
    const id = await schedule(env.url, await plan(env.url, [{ key: "x", handler: "fail", input: { code: "X", message: "broken" }, recovery: [{ on: "X", action: "CHECKPOINT_RESTORE" }] }]));
    await monitorWs(env.url, id).done;
    const exec = await details(env.url, id);
    expect(exec).toMatchObject({ status: "FAILED", error: { code: "X", message: "broken" } });
    expect(exec.trail).toEqual(["EXECUTION_SCHEDULED", "EXECUTION_STARTED", "TASK_STARTED:x", "TASK_FAILED:x", "RECOVERY_INITIATED:x", "EXECUTION_FAILED"]);
    expect(exec.events[4]).toMatchObject({
      message: 'x: ABORT (rule on "X" → CHECKPOINT_RESTORE, but no checkpoint to restore)',
      data: { action: "ABORT", reason: 'rule on "X" → CHECKPOINT_RESTORE, but no checkpoint to restore' },
    });
  });

  it("a failure that recurs after every restore aborts after 3 automatic restores", async () => {
    const id = await schedule(env.url, await plan(env.url, [{ key: "b", handler: "checkpointThenFail", input: { failAttempts: 100 }, recovery: [{ on: "*", action: "CHECKPOINT_RESTORE" }] }]));
    await monitorWs(env.url, id).done;
    const exec = await details(env.url, id);
    expect(exec).toMatchObject({ status: "FAILED", error: { code: "X" } });
    const recoveries = exec.events.filter((e) => e.type === "RECOVERY_INITIATED");
    expect(recoveries.map((e) => (e.data as { action: string }).action)).toEqual(["CHECKPOINT_RESTORE", "CHECKPOINT_RESTORE", "CHECKPOINT_RESTORE", "ABORT"]);
    expect(recoveries[3]!.message).toBe('b: ABORT (rule on "*" → CHECKPOINT_RESTORE, but automatic restores exhausted: 3 of 3)');
    expect(exec.task("b").attempts.map((a) => a.status)).toEqual(["FAILED", "FAILED", "FAILED", "FAILED"]);
  });

  it("ctx.checkpoint rejects with CHECKPOINT_NOT_SAVED once the attempt lost its lease: the write is refused and nothing is stored", async () => {
    const id = await schedule(env.url, await plan(env.url, [{ key: "g", handler: "gated", input: { state: { n: 1 } } }]));
    const sub = monitorWs(env.url, id);
    await sub.until(has("TASK_STARTED", "g"));
    // This worker stalls past its lease, and a sweep (any worker's) reclaims the run as LEASE_EXPIRED.
    const { db, bus, log } = env.services;
    // Whichever sweep commits first (this one or the worker's own) reclaims it; while the run is still
    // RUNNING (a heartbeat renewed it in between), expire it again.
    await vi.waitFor(async () => {
      await db.sql.query(`UPDATE "TaskRun" SET "leaseExpiresAt" = now() - interval '1 second' WHERE "executionId" = $1 AND status = 'RUNNING'`, [raw(id)]);
      await publishUpdates(bus, await reclaimExpired(db.sql, new Date(), Math.random, log), log);
      expect((await details(env.url, id)).task("g").attempts.map((a) => a.error?.code)).toEqual(["LEASE_EXPIRED"]);
    }, { timeout: 5000 });
    // Only now does the handler save: its write must be refused, and the handler told so.
    expect(await openGate(raw(id))).toEqual({ resolved: false, code: "CHECKPOINT_NOT_SAVED", message: expect.stringMatching(/^ctx\.checkpoint: not saved: (this attempt no longer holds the run|the run has already ended)/) });
    await sub.done;
    const exec = await details(env.url, id);
    expect(exec.status).toBe("FAILED");
    expect(exec.task("g")).toMatchObject({ status: "FAILED", state: null });
    expect(exec.task("g").attempts.map((a) => [a.attempt, a.status, a.error?.code])).toEqual([[1, "FAILED", "LEASE_EXPIRED"]]);
    expect(exec.trail).not.toContain("CHECKPOINT_CREATED:g");
  });

  it("bad ids and statuses are typed errors; checkpointIntervalMs is validated", async () => {
    const bad = async (id: string) => (await query(env.url, Create, { id })).createCheckpoint;
    expect(await bad("nope")).toMatchObject({ __typename: "InvalidIdError", field: "executionId", value: "nope" });
    const planId = await plan(env.url, [{ key: "q", handler: "noop" }]);
    expect(await bad(planId)).toMatchObject({ __typename: "InvalidIdError", field: "executionId" });
    const missing = randomUUID();
    expect(await bad(encodeGlobalID("Execution", missing))).toMatchObject({ __typename: "NotFoundError", entity: "Execution", entityId: missing });
    const { scheduleExecution: later } = await query(env.url, ScheduleExecution, { input: { planId, runAt: new Date(Date.now() + 3_600_000).toISOString() } });
    if (later.__typename !== "Execution") throw new Error(later.__typename);
    expect(await bad(later.id)).toMatchObject({ __typename: "InvalidTransitionError", currentStatus: "SCHEDULED", requestedStatus: "CHECKPOINTED" });

    const restore = async (id: string) => (await query(env.url, Restore, { id })).restoreFromCheckpoint;
    expect(await restore("nope")).toMatchObject({ __typename: "InvalidIdError", field: "checkpointId" });
    expect(await restore(later.id)).toMatchObject({ __typename: "InvalidIdError", field: "checkpointId" }); // an Execution id
    expect(await restore(encodeGlobalID("Checkpoint", missing))).toMatchObject({ __typename: "NotFoundError", entity: "Checkpoint", entityId: missing });
    // A checkpoint in which every task was done: a restore would run nothing.
    const done = await schedule(env.url, planId);
    await monitorWs(env.url, done).done;
    const full = await checkpoint(env.url, done);
    expect(full.completedTasks).toEqual(["q"]);
    expect(await restore(full.id)).toMatchObject({ __typename: "InvalidTransitionError", currentStatus: "COMPLETED", requestedStatus: "PENDING", message: expect.stringContaining("nothing would run again") });
    expect((await details(env.url, done)).status).toBe("COMPLETED");

    for (const checkpointIntervalMs of [999, 86_400_001]) {
      const { createPlan } = await query(env.url, CreatePlan, { input: { name: "x", tasks: [{ key: "q", handler: "noop" }], checkpointIntervalMs } });
      expect(createPlan).toMatchObject({ __typename: "ValidationError", field: "checkpointIntervalMs" });
    }
  });
});

describe.skipIf(!infra().available)("ctx.checkpoint across a worker crash", () => {
  const procs: Proc[] = [];
  afterAll(async () => void (await Promise.all(procs.map((p) => p.stop()))));

  it("the attempt that follows a SIGKILL receives the state the killed one saved, as ctx.state", async () => {
    const env = { DATABASE_URL: await createTestDatabase(), REDIS_URL: infra().redisUrl, HANDLER_MODULES: HANDLERS, POLL_INTERVAL_MS: "200", LEASE_MS: "1000", MONITOR_IDLE_BACKFILL_MS: "1000" };
    const api = await startApi(env);
    procs.push(api.proc);
    const url = api.url;
    const doomed = await startWorker(env);
    const id = await schedule(url, await plan(url, [
      { key: "k", handler: "resumable", input: { steps: 12, stepMs: 250 }, retryPolicy: { strategy: "IMMEDIATE", maxRetries: 2 } },
    ]));
    const sub = monitorWs(url, id);
    let saved = 0;
    await vi.waitFor(async () => {
      saved = ((await details(url, id)).task("k").state as { done?: number } | null)?.done ?? 0;
      expect(saved).toBeGreaterThanOrEqual(3);
    }, { timeout: 10_000, interval: 100 });
    doomed.child.kill("SIGKILL");
    await doomed.stop();
    await new Promise((r) => setTimeout(r, 200)); // a statement the server got before the kill is done by now
    const stateAtCrash = (await details(url, id)).task("k").state as { done: number };
    expect(stateAtCrash.done).toBeGreaterThanOrEqual(saved);
    expect(stateAtCrash.done).toBeLessThan(12);
    procs.push(await startWorker(env));
    await sub.done;
    expectGapFree(sub.received);
    const exec = await details(url, id);
    expect(exec.status).toBe("COMPLETED");
    const k = exec.task("k");
    expect(k).toMatchObject({ status: "COMPLETED", attempt: 2, output: { resumedFrom: stateAtCrash.done, attempt: 2 }, state: { done: 12 } });
    expect(k.attempts.map((a) => [a.attempt, a.status, a.error?.code ?? null])).toEqual([[1, "FAILED", "LEASE_EXPIRED"], [2, "COMPLETED", null]]);
    // Each attempt's first save took a TASK checkpoint, which holds the state of that moment.
    const tasks = exec.checkpoints.filter((c) => c.reason === "TASK");
    expect(tasks).toHaveLength(2);
    expect((tasks[1]!.taskStates as Record<string, { state: unknown }>).k!.state).toEqual({ done: 1 });
    expect((tasks[0]!.taskStates as Record<string, { state: unknown }>).k!.state).toEqual({ done: stateAtCrash.done + 1 });
  });
});
