import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { graphql } from "./__generated__/gql.ts";
import type { CreatePlanInput, ScheduleExecutionInput, TaskInput } from "./__generated__/graphql.ts";
import { infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { monitorWs } from "./helpers/scenario.ts";
import { openGate } from "./fixtures/gate-handlers.ts";
import { CreatePlan } from "./operations.ts";

// Delayed and dependent executions, idempotent scheduling, and the concurrency limits of plans and
// executions, through GraphQL against a real worker, PostgreSQL and Redis.

const Schedule = graphql(`
  mutation SchedSchedule($input: ScheduleExecutionInput!) {
    scheduleExecution(input: $input) {
      __typename
      ... on Execution { id status runAt dependsOn idempotencyKey maxParallelism }
      ... on Error { message }
      ... on NotFoundError { entity entityId }
      ... on InvalidIdError { field value }
    }
  }
`);
const Details = graphql(`
  query SchedDetails($id: ID!) {
    execution(id: $id) {
      id status completedAt maxParallelism
      error { code message context }
      tasks { key status startedAt finishedAt }
      timeline(first: 100) { edges { node { seq type timestamp status } } }
    }
  }
`);
const Pause = graphql(`mutation SchedPause($id: ID!) { pauseExecution(id: $id) { __typename ... on Execution { status pausing } } }`);
const Resume = graphql(`mutation SchedResume($id: ID!) { resumeExecution(id: $id) { __typename ... on Execution { status } } }`);
const PlanExecutions = graphql(`
  query SchedPlanExecutions($id: ID!) { plan(id: $id) { executions(first: 50) { edges { node { id idempotencyKey } } } } }
`);

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (iso: string | null | undefined) => Date.parse(iso!);

/** The most runs in flight at once, ignoring overlaps under `slackMs` (a claim's clock read may precede the commit that freed its slot). */
function peakOverlap(spans: (readonly [number, number])[], slackMs = 25): number {
  const points = spans.flatMap(([s, f]) => [[s + slackMs, 1], [f, -1]] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of points) peak = Math.max(peak, (now += d));
  return peak;
}

describe.each(modes())("scheduling and limits ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => {
    env = await startInProcess({ embedded, concurrency: 4, handlerModules: "test/fixtures/gate-handlers.ts" });
  });
  afterAll(async () => env?.stop());

  const plan = async (tasks: TaskInput[], extra: Partial<CreatePlanInput> = {}) => {
    const { createPlan } = await query(env.url, CreatePlan, { input: { name: "sched", tasks, ...extra } });
    if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
    return createPlan.id;
  };
  const scheduleRaw = async (input: ScheduleExecutionInput) => (await query(env.url, Schedule, { input })).scheduleExecution;
  const schedule = async (input: ScheduleExecutionInput) => {
    const r = await scheduleRaw(input);
    if (r.__typename !== "Execution") throw new Error(JSON.stringify(r));
    return r;
  };
  const details = async (id: string) => {
    const exec = (await query(env.url, Details, { id })).execution!;
    return { ...exec, events: exec.timeline.edges.map((e) => e.node) };
  };
  const finished = (id: string) => monitorWs(env.url, id).done.then(() => details(id));
  const span = (exec: { tasks: { startedAt?: string | null; finishedAt?: string | null }[] }) =>
    [Math.min(...exec.tasks.map((t) => ms(t.startedAt))), Math.max(...exec.tasks.map((t) => ms(t.finishedAt)))] as const;

  it("runAt in the future: SCHEDULED, nothing starts before runAt, then EXECUTION_QUEUED and it runs", async () => {
    const planId = await plan([{ key: "t", handler: "noop" }]);
    const runAt = new Date(Date.now() + 1500);
    const exec = await schedule({ planId, runAt: runAt.toISOString() });
    expect(exec).toMatchObject({ status: "SCHEDULED", runAt: runAt.toISOString() });
    const done = monitorWs(env.url, exec.id).done;
    await wait(1000);
    const before = await details(exec.id);
    expect(before.status).toBe("SCHEDULED");
    expect(before.tasks[0]).toMatchObject({ status: "READY", startedAt: null });
    await done;
    const after = await details(exec.id);
    expect(after.status).toBe("COMPLETED");
    expect(after.events.map((e) => e.type)).toEqual(["EXECUTION_SCHEDULED", "EXECUTION_QUEUED", "EXECUTION_STARTED", "TASK_STARTED", "TASK_COMPLETED", "EXECUTION_COMPLETED"]);
    expect(after.events[1]).toMatchObject({ status: "PENDING" });
    expect(ms(after.events[1]!.timestamp)).toBeGreaterThanOrEqual(runAt.getTime());
    const started = ms(after.tasks[0]!.startedAt);
    expect(started).toBeGreaterThanOrEqual(runAt.getTime());
    expect(started - runAt.getTime()).toBeLessThan(1000); // the worker wakes for runAt, not a poll later
    // A runAt in the past is no delay at all (embedded, the noop may already have ended when the answer is read).
    expect(["PENDING", "RUNNING", "COMPLETED"]).toContain((await schedule({ planId, runAt: new Date(Date.now() - 60_000).toISOString() })).status);
  });

  it("dependsOn: SCHEDULED until the dependency COMPLETED; a failed dependency fails it with DEPENDENCY_FAILED", async () => {
    // `a` runs until its gate opens: "b waits while a runs" holds however slow the machine is.
    const gate = `depends-${embedded}`;
    const slow = await plan([{ key: "s", handler: "gate", input: { name: gate } }]);
    const quick = await plan([{ key: "q", handler: "noop" }]);
    const a = await schedule({ planId: slow });
    const b = await schedule({ planId: quick, dependsOn: [a.id] });
    expect(b).toMatchObject({ status: "SCHEDULED", dependsOn: [a.id] });
    await monitorWs(env.url, a.id).until((r) => r.some((u) => u.monitor.events.some((e) => e.type === "TASK_STARTED")));
    await wait(400); // rounds of the worker in which b must stay put
    expect((await details(b.id)).status).toBe("SCHEDULED");
    expect((await details(a.id)).status).toBe("RUNNING");
    openGate(gate);
    const bDone = await finished(b.id);
    const aDone = await details(a.id);
    expect([aDone.status, bDone.status]).toEqual(["COMPLETED", "COMPLETED"]);
    const queued = bDone.events.find((e) => e.type === "EXECUTION_QUEUED")!;
    expect(ms(queued.timestamp)).toBeGreaterThanOrEqual(ms(aDone.completedAt));
    expect(ms(bDone.tasks[0]!.startedAt)).toBeGreaterThanOrEqual(ms(aDone.completedAt));

    const f = await schedule({ planId: await plan([{ key: "x", handler: "fail" }]) });
    expect((await finished(f.id)).status).toBe("FAILED");
    const c = await schedule({ planId: quick, dependsOn: [f.id] });
    const cDone = await finished(c.id);
    expect(cDone).toMatchObject({ status: "FAILED", error: { code: "DEPENDENCY_FAILED", context: { status: "FAILED" } } });
    expect(cDone.tasks).toEqual([expect.objectContaining({ status: "CANCELLED", startedAt: null })]);
    expect(cDone.events.map((e) => e.type)).toEqual(["EXECUTION_SCHEDULED", "EXECUTION_FAILED"]);

    const unknown = randomUUID();
    expect(await scheduleRaw({ planId: quick, dependsOn: [encodeGlobalID("Execution", unknown)] })).toMatchObject({ __typename: "NotFoundError", entity: "Execution", entityId: unknown });
    expect(await scheduleRaw({ planId: quick, dependsOn: [a.id, "nope"] })).toMatchObject({ __typename: "InvalidIdError", field: "input.dependsOn[1]", value: "nope" });
  });

  it("idempotencyKey: the same key (twice, or five at once) gives one execution; another key or plan a new one", async () => {
    const planId = await plan([{ key: "t", handler: "noop" }]);
    const first = await schedule({ planId, idempotencyKey: "k1" });
    expect(first.idempotencyKey).toBe("k1");
    expect((await schedule({ planId, idempotencyKey: "k1" })).id).toBe(first.id);
    const burst = await Promise.all(Array.from({ length: 5 }, () => schedule({ planId, idempotencyKey: "k2" })));
    expect(new Set(burst.map((e) => e.id)).size).toBe(1);
    expect(burst[0]!.id).not.toBe(first.id);
    const other = await schedule({ planId, idempotencyKey: "k3" });
    expect([first.id, burst[0]!.id]).not.toContain(other.id);
    const { plan: stored } = await query(env.url, PlanExecutions, { id: planId });
    expect(stored!.executions.edges.map((e) => e.node.idempotencyKey).sort()).toEqual(["k1", "k2", "k3"]);
    // Keys are per plan.
    const elsewhere = await schedule({ planId: await plan([{ key: "t", handler: "noop" }]), idempotencyKey: "k1" });
    expect(elsewhere.id).not.toBe(first.id);
    await Promise.all([first.id, burst[0]!.id, other.id, elsewhere.id].map(finished));
  });

  it("maxParallelism caps the concurrent runs of one execution: the plan's default, or the execution's override", async () => {
    const sleeps = Array.from({ length: 6 }, (_, i) => ({ key: `s${i}`, handler: "sleep", input: { ms: 300 } }));
    const planId = await plan(sleeps, { maxParallelism: 2 });
    const byDefault = await schedule({ planId });
    expect(byDefault.maxParallelism).toBe(2);
    const d = await finished(byDefault.id);
    const overridden = await schedule({ planId, maxParallelism: 3 });
    expect(overridden.maxParallelism).toBe(3);
    const o = await finished(overridden.id);
    for (const exec of [d, o]) expect(exec.status).toBe("COMPLETED");
    // Exactly the limit (the worker has 4 slots, so a lower peak would mean the limit is not what caps it).
    expect(peakOverlap(d.tasks.map((t) => [ms(t.startedAt), ms(t.finishedAt)]))).toBe(2);
    expect(peakOverlap(o.tasks.map((t) => [ms(t.startedAt), ms(t.finishedAt)]))).toBe(3);
  });

  it("maxConcurrentExecutions caps the plan's executions RUNNING at once: their runs never overlap", async () => {
    const planId = await plan([
      { key: "a", handler: "sleep", input: { ms: 250 } },
      { key: "b", handler: "sleep", input: { ms: 250 }, dependsOn: ["a"] },
    ], { maxConcurrentExecutions: 1 });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await schedule({ planId })).id);
    const execs = await Promise.all(ids.map(finished));
    expect(execs.map((e) => e.status)).toEqual(["COMPLETED", "COMPLETED", "COMPLETED"]);
    // Each execution from its first start to its last end: between a and b it stays RUNNING and keeps the slot.
    expect(peakOverlap(execs.map(span))).toBe(1);
    // Without the limit the same three overlap (the worker has the slots for it).
    const free = await plan([{ key: "a", handler: "sleep", input: { ms: 250 } }, { key: "b", handler: "sleep", input: { ms: 250 }, dependsOn: ["a"] }]);
    const freeIds = [];
    for (let i = 0; i < 3; i++) freeIds.push((await schedule({ planId: free })).id);
    expect(peakOverlap((await Promise.all(freeIds.map(finished))).map(span))).toBe(3);
  });

  it("a started execution keeps its maxConcurrentExecutions slot while PAUSED: resuming it never runs two at once", async () => {
    const planId = await plan([
      { key: "a", handler: "sleep", input: { ms: 400 } },
      { key: "b", handler: "sleep", input: { ms: 400 }, dependsOn: ["a"] },
    ], { maxConcurrentExecutions: 1 });
    const first = (await schedule({ planId })).id;
    const sub = monitorWs(env.url, first);
    await sub.until((r) => r.some((u) => u.monitor.events[0]!.type === "TASK_STARTED"));
    expect((await query(env.url, Pause, { id: first })).pauseExecution).toMatchObject({ __typename: "Execution", status: "RUNNING", pausing: true });
    const second = (await schedule({ planId })).id;
    await sub.until((r) => r.some((u) => u.monitor.events[0]!.type === "EXECUTION_PAUSED"));
    await wait(500); // were the paused one's slot free, `second` would start now
    expect((await details(second)).status).toBe("PENDING");
    expect((await query(env.url, Resume, { id: first })).resumeExecution).toMatchObject({ __typename: "Execution", status: "RUNNING" });
    const [f, s] = await Promise.all([finished(first), finished(second)]);
    expect([f.status, s.status]).toEqual(["COMPLETED", "COMPLETED"]);
    expect(ms(s.tasks[0]!.startedAt)).toBeGreaterThanOrEqual(ms(f.completedAt));
  });
});
