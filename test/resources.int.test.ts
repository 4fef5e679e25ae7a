import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { graphql } from "./__generated__/gql.ts";
import type { TaskInput } from "./__generated__/graphql.ts";
import { infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query, request } from "./helpers/clients.ts";
import { CreatePlan, ScheduleExecution } from "./operations.ts";
import { totalUsage } from "../src/domain/resources/usage.ts";
import { usageOfExecution } from "../src/store/resources.ts";
import { claimRuns } from "../src/store/claim.ts";
import { reclaimExpired } from "../src/store/timers.ts";
import { releaseRun } from "../src/store/finish.ts";

/** The database id behind a global ID the API returned. */
const decode = (id: string): string => decodeGlobalID(id).id;

// Resource pools against a real worker, PostgreSQL and Redis: allocation under contention, release on
// every ending path, constraints, client holds, cost and efficiency.

graphql(`fragment RsError on Error { __typename message ... on ValidationError { field reason } ... on ResourceUnavailableError { field reason } ... on NotFoundError { entity entityId } }`);
const CreateResource = graphql(`
  mutation RsCreate($input: CreateResourceInput!) { createResource(input: $input) { __typename ... on Resource { id name type capacity allocated } ...RsError } }
`);
const UpdateResource = graphql(`
  mutation RsUpdate($id: ID!, $input: UpdateResourceInput!) { updateResource(id: $id, input: $input) { __typename ... on Resource { id capacity name } ...RsError } }
`);
const Allocate = graphql(`
  mutation RsAllocate($requirements: [ResourceRequirementInput!]!, $leaseMs: Int, $label: String) {
    allocateResources(requirements: $requirements, leaseMs: $leaseMs, label: $label) {
      __typename
      ... on MutationAllocateResourcesSuccess { data { id amount label active expiresAt resource { name } } }
      ...RsError
    }
  }
`);
const Release = graphql(`
  mutation RsRelease($ids: [ID!]!) {
    releaseResources(ids: $ids) { __typename ... on MutationReleaseResourcesSuccess { data { id active releaseReason } } ...RsError }
  }
`);
const ResourceDetails = graphql(`
  query RsResource($id: ID!) {
    resource(id: $id) {
      name capacity allocated available utilization
      allocations(first: 50) { edges { node { amount taskKey label } } }
      waiting(first: 50) { edges { node { key waitingFor } } }
    }
  }
`);
const ReadResources = graphql(`
  query RsResources($type: String) { resources(type: $type, first: 10) { edges { node { name type capacity costPerUnitSecond attributes createdAt updatedAt } } } }
`);
const ReadAllocations = graphql(`
  query RsAllocations($id: ID!) {
    execution(id: $id) {
      plan { tasks { resources { type amount } } }
      tasks {
        resources { type amount priority constraints durationMs releaseOnPause }
        allocations(first: 5) {
          edges { node { amount priority active releaseOnPause taskKey attempt label allocatedAt expiresAt execution { id } taskRun { key } resource { name } usage { amountAllocated resourceType } } }
        }
      }
    }
  }
`);
const ExecutionResources = graphql(`
  query RsExecution($id: ID!) {
    execution(id: $id) {
      status
      metrics { totalCost resourceEfficiency }
      tasks {
        key status startedAt finishedAt waitingFor output
        allocations(first: 20) { edges { node { amount active releaseReason allocatedAt releasedAt resource { name } } } }
      }
      resourceUsage(first: 50) { edges { node { resourceType taskKey amountAllocated amountUsed cost startTime endTime efficiency } } }
      timeline(first: 200) { edges { node { type taskKey message data } } }
      checkpoints(first: 10) { edges { node { resourceAllocations } } }
    }
  }
`);
const Control = {
  pause: graphql(`mutation RsPause($id: ID!) { pauseExecution(id: $id) { __typename } }`),
  cancel: graphql(`mutation RsCancel($id: ID!) { cancelExecution(id: $id) { __typename } }`),
  checkpoint: graphql(`mutation RsCheckpoint($id: ID!) { createCheckpoint(executionId: $id) { __typename ... on Checkpoint { id } } }`),
  restore: graphql(`mutation RsRestore($id: ID!) { restoreFromCheckpoint(checkpointId: $id) { __typename } }`),
};

const HANDLERS = "test/fixtures/resource-handlers.ts";
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(25);
  }
}

describe.each(modes())("resource pools ($mode)", ({ embedded }) => {
  let env: InProcess;
  const url = () => env.url;

  beforeAll(async () => void (env = await startInProcess({ embedded, concurrency: 8, handlerModules: HANDLERS })));
  afterAll(async () => env?.stop());

  /** A fresh type per test, so the tests' pools never meet. */
  const type = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;
  async function pool(input: { type: string; capacity: number; costPerUnitSecond?: number; attributes?: unknown; name?: string }) {
    const { createResource } = await query(url(), CreateResource, { input: { name: input.name ?? `${input.type}-${randomUUID().slice(0, 6)}`, ...input } });
    if (createResource.__typename !== "Resource") throw new Error(JSON.stringify(createResource));
    return createResource;
  }
  const run = (tasks: TaskInput[], priority?: "LOW" | "HIGH" | "NORMAL" | "CRITICAL" | "IDLE") => runWith({ priority }, tasks);
  async function runWith(options: { priority?: "LOW" | "HIGH" | "NORMAL" | "CRITICAL" | "IDLE"; timeoutMs?: number }, tasks: TaskInput[]) {
    const { createPlan } = await query(url(), CreatePlan, { input: { name: "resources", tasks } });
    if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
    const { scheduleExecution } = await query(url(), ScheduleExecution, { input: { planId: createPlan.id, ...options } });
    if (scheduleExecution.__typename !== "Execution") throw new Error(JSON.stringify(scheduleExecution));
    return scheduleExecution.id;
  }
  const details = async (id: string) => {
    const e = (await query(url(), ExecutionResources, { id })).execution!;
    return { ...e, task: (k: string) => e.tasks.find((t) => t.key === k)!, events: e.timeline.edges.map((x) => x.node) };
  };
  const ended = (id: string, status = "COMPLETED") => until(`execution ${status}`, async () => ((await details(id)).status === status ? details(id) : null));
  const sql = <T>(text: string, params: unknown[] = []) => env.services.db.sql.query<T>(text, params);
  const releasesOf = (e: Awaited<ReturnType<typeof details>>) => e.events.filter((x) => x.type === "RESOURCE_RELEASED").map((x) => (x.data as { reason: string }).reason);

  it("rejects bad pools and requirements with typed errors naming the field, writing nothing", async () => {
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Resource"`);
    const bad = [
      [{ name: "", type: "gpu", capacity: 1 }, "input.name"],
      [{ name: "x", type: "no spaces", capacity: 1 }, "input.type"],
      [{ name: "x", type: "gpu", capacity: -1 }, "input.capacity"],
      [{ name: "x", type: "gpu", capacity: 1, costPerUnitSecond: -2 }, "input.costPerUnitSecond"],
      [{ name: "x", type: "gpu", capacity: 1, attributes: { deep: { x: 1 } } }, "input.attributes.deep"],
    ] as const;
    for (const [input, field] of bad) expect((await query(url(), CreateResource, { input })).createResource).toMatchObject({ __typename: "ValidationError", field });
    const p = await pool({ type: type("gpu"), capacity: 1 });
    expect((await query(url(), CreateResource, { input: { name: p.name, type: "gpu", capacity: 1 } })).createResource).toMatchObject({ __typename: "ValidationError", field: "input.name" });
    expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Resource"`))[0]!.n).toBe(before[0]!.n + 1);

    const { createPlan } = await query(url(), CreatePlan, {
      input: { name: "bad", tasks: [{ key: "a", handler: "noop" }, { key: "b", handler: "noop", resources: [{ type: "gpu", amount: 1, constraints: { memory: { between: 3 } } }] }] },
    });
    expect(createPlan).toMatchObject({ __typename: "ValidationError", field: "tasks[1].resources[0].constraints.memory.between" });
    const { createPlan: zero } = await query(url(), CreatePlan, { input: { name: "bad", tasks: [{ key: "a", handler: "noop", resources: [{ type: "gpu", amount: 0 }] }] } });
    expect(zero).toMatchObject({ __typename: "ValidationError", field: "tasks[0].resources[0].amount" });
  });

  it("never over-allocates under contention and serves waiting tasks by priority", async () => {
    const gpu = type("gpu");
    const p = await pool({ type: gpu, capacity: 2 });
    // Fill the pool with a client hold, so every task queues behind it.
    const hold = (await query(url(), Allocate, { requirements: [{ type: gpu, amount: 2 }], label: "blocker" })).allocateResources;
    if (hold.__typename !== "MutationAllocateResourcesSuccess") throw new Error(JSON.stringify(hold));
    const low = await Promise.all([1, 2, 3].map(() => run([{ key: "t", handler: "sleep", input: { ms: 150 }, resources: [{ type: gpu, amount: 1 }] }], "LOW")));
    const high = await Promise.all([1, 2, 3].map(() => run([{ key: "t", handler: "sleep", input: { ms: 150 }, resources: [{ type: gpu, amount: 1 }] }], "HIGH")));
    const waiting = await until("all six waiting", async () => {
      const r = (await query(url(), ResourceDetails, { id: p.id })).resource!;
      return r.waiting.edges.length === 6 ? r : null;
    });
    const reasons = waiting.waiting.edges.map((e) => e.node.waitingFor);
    for (const reason of reasons) expect(reason).toMatch(/^needs 1 gpu-\w+: (at most 0 free|held for higher-priority requests)$/);
    expect(reasons.filter((r) => r!.includes("at most 0 free"))).toHaveLength(1); // the best-ranked one; the rest queue behind it
    expect(waiting).toMatchObject({ allocated: 2, available: 0, utilization: 1 });

    // Sample the invariant while the queue drains.
    let sampling = true;
    const samples: { allocated: number; active: number }[] = [];
    const sampler = (async () => {
      while (sampling) {
        const [row] = await sql<{ allocated: number; active: number }>(
          `SELECT r.allocated, (SELECT coalesce(sum(amount), 0)::float8 FROM "ResourceAllocation" a WHERE a."resourceId" = r.id AND a."releasedAt" IS NULL) AS active FROM "Resource" r WHERE r.id = $1`,
          [decode(p.id)],
        );
        samples.push(row!);
        await wait(5);
      }
    })();
    await query(url(), Release, { ids: hold.data.map((a) => a.id) });
    const all = await Promise.all([...low, ...high].map((id) => ended(id)));
    sampling = false;
    await sampler;
    expect(samples.length).toBeGreaterThan(5); // several reads while the queue drains (PGlite serves one at a time)
    for (const s of samples) {
      expect(s.active).toBeLessThanOrEqual(2);
      expect(s.allocated).toBeCloseTo(s.active);
    }
    expect(samples.some((s) => s.active === 2)).toBe(true); // the pool was really used to capacity
    const starts = all.map((e) => Date.parse(e.task("t").startedAt!));
    const [lowStarts, highStarts] = [starts.slice(0, 3), starts.slice(3)];
    expect(Math.max(...highStarts)).toBeLessThanOrEqual(Math.min(...lowStarts)); // every HIGH started before any LOW
    const stale = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "TaskRun" t JOIN "Resource" r ON r.type = ANY(t."waitingOn") WHERE r.id = $1 AND t."waitingFor" IS NOT NULL`, [decode(p.id)]);
    expect(stale[0]!.n).toBe(0); // every run that waited had its reason cleared when it started
  });

  it("takes all requirements or none: a task short of one type holds nothing of the other", async () => {
    const [gpu, cpu] = [type("gpu"), type("cpu")];
    const g = await pool({ type: gpu, capacity: 1 });
    await pool({ type: cpu, capacity: 2 });
    const hold = (await query(url(), Allocate, { requirements: [{ type: cpu, amount: 2 }] })).allocateResources;
    if (hold.__typename !== "MutationAllocateResourcesSuccess") throw new Error(JSON.stringify(hold));
    const id = await run([{ key: "t", handler: "noop", resources: [{ type: gpu, amount: 1 }, { type: cpu, amount: 1 }] }]);
    await until("waitingFor", async () => (await details(id)).task("t").waitingFor);
    await wait(300);
    expect((await query(url(), ResourceDetails, { id: g.id })).resource).toMatchObject({ allocated: 0 });
    expect((await details(id)).task("t")).toMatchObject({ status: "READY", waitingFor: expect.stringContaining(`needs 1 ${cpu}`) });
    await query(url(), Release, { ids: hold.data.map((a) => a.id) });
    const done = await ended(id);
    expect(done.task("t").allocations.edges.map((e) => e.node.resource.name).length).toBe(2);
  });

  it("never starts a run without its resources, whatever the plan limits; a waiting run blocks neither its siblings nor other work", async () => {
    const gpu = type("gpu");
    await pool({ type: gpu, capacity: 1 });
    const hold = (await query(url(), Allocate, { requirements: [{ type: gpu, amount: 1 }] })).allocateResources;
    if (hold.__typename !== "MutationAllocateResourcesSuccess") throw new Error(JSON.stringify(hold));
    // Two executions of a plan limited to one at a time, both needing the held gpu.
    const { createPlan } = await query(url(), CreatePlan, { input: { name: "limited", maxConcurrentExecutions: 1, tasks: [{ key: "t", handler: "noop", resources: [{ type: gpu, amount: 1 }] }] } });
    if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
    const ids: string[] = [];
    for (const _ of [1, 2]) {
      const { scheduleExecution } = await query(url(), ScheduleExecution, { input: { planId: createPlan.id } });
      if (scheduleExecution.__typename !== "Execution") throw new Error(JSON.stringify(scheduleExecution));
      ids.push(scheduleExecution.id);
    }
    // One execution at a time (maxParallelism 1): a root waiting for a type nobody offers, a sibling needing nothing.
    const { createPlan: serial } = await query(url(), CreatePlan, {
      input: { name: "serial", maxParallelism: 1, tasks: [{ key: "stuck", handler: "noop", resources: [{ type: type("none"), amount: 1 }] }, { key: "free", handler: "noop" }] },
    });
    if (serial.__typename !== "Plan") throw new Error(JSON.stringify(serial));
    const { scheduleExecution: s1 } = await query(url(), ScheduleExecution, { input: { planId: serial.id, priority: "CRITICAL" } });
    if (s1.__typename !== "Execution") throw new Error(JSON.stringify(s1));
    await until("sibling done", async () => (await details(s1.id)).task("free").status === "COMPLETED");
    // More runs no pool can serve than the claim's resource window: a run whose pool is free still starts.
    const cpu = type("cpu");
    const cpuPool = await pool({ type: cpu, capacity: 1 });
    const never = await run(Array.from({ length: 70 }, (_, i) => ({ key: `n${i}`, handler: "noop", resources: [{ type: cpu, amount: 5 }] })), "CRITICAL");
    const fits = await run([{ key: "t", handler: "noop", resources: [{ type: cpu, amount: 1 }] }], "IDLE");
    await ended(fits);
    const unserved = await details(never);
    expect(unserved.tasks.every((t) => t.status === "READY" && t.waitingFor?.includes("more than the matching resources hold"))).toBe(true);

    await wait(300);
    for (const id of ids) expect((await details(id)).task("t")).toMatchObject({ status: "READY", allocations: { edges: [] } });
    await query(url(), Release, { ids: hold.data.map((a) => a.id) });
    await Promise.all(ids.map((id) => ended(id)));
    await query(url(), Control.cancel, { id: s1.id });
    // Growing the pool brings the unservable runs back into the claims: they all run now, one at a time.
    expect((await query(url(), UpdateResource, { id: cpuPool.id, input: { capacity: 5 } })).updateResource.__typename).toBe("Resource");
    await ended(never);
  });

  it("reads pools, requirements and allocations through their fields; a bad id is a typed error", async () => {
    const t = type("read");
    await pool({ type: t, capacity: 3, costPerUnitSecond: 0.5, attributes: { zone: "eu" }, name: `${t}-b` });
    await pool({ type: t, capacity: 1, name: `${t}-a` });
    const id = await run([{ key: "t", handler: "sleep", input: { ms: 300 }, resources: [{ type: t, amount: 2, priority: "HIGH", constraints: { zone: "eu" }, durationMs: 60_000 }] }]);
    const { resources } = await query(url(), ReadResources, { type: t });
    expect(resources.edges.map((e) => e.node)).toMatchObject([
      { name: `${t}-a`, capacity: 1, costPerUnitSecond: 0, attributes: {} },
      { name: `${t}-b`, capacity: 3, costPerUnitSecond: 0.5, attributes: { zone: "eu" } },
    ]);
    const running = await until("allocation", async () => {
      const { execution } = await query(url(), ReadAllocations, { id });
      return execution!.tasks[0]!.allocations.edges.length ? execution : null;
    });
    expect(running!.plan.tasks[0]!.resources).toEqual([{ type: t, amount: 2 }]);
    const task = running!.tasks[0]!;
    expect(task.resources).toEqual([{ type: t, amount: 2, priority: "HIGH", constraints: { zone: "eu" }, durationMs: 60_000, releaseOnPause: false }]);
    const a = task.allocations.edges[0]!.node;
    expect(a).toMatchObject({ amount: 2, priority: "HIGH", active: true, releaseOnPause: false, taskKey: "t", attempt: 1, execution: { id }, taskRun: { key: "t" }, resource: { name: `${t}-b` }, usage: { amountAllocated: 2, resourceType: t } });
    expect(Date.parse(a.expiresAt!) - Date.parse(a.allocatedAt)).toBe(60_000);
    expect((await request(url(), ReadAllocations, { id: "not-an-id" })).errors?.[0]?.message).toMatch(/not a valid Execution ID/);
    await ended(id);
  });

  it("matches constraints on attributes", async () => {
    const node = type("node");
    await pool({ type: node, capacity: 4, name: `${node}-small`, attributes: { memory: 4096, gpu: false } });
    await pool({ type: node, capacity: 4, name: `${node}-gpu`, attributes: { memory: 65536, gpu: true } });
    await pool({ type: node, capacity: 4, name: `${node}-big`, attributes: { memory: 16384, gpu: false } });
    const id = await run([{ key: "t", handler: "useResources", input: { ms: 0 }, resources: [{ type: node, amount: 2, constraints: { minMemory: 8192, gpu: false } }] }]);
    const done = await ended(id);
    expect(done.task("t").output).toEqual({ held: [{ name: `${node}-big`, type: node, amount: 2, attributes: { memory: 16384, gpu: false } }] });
    const none = await run([{ key: "t", handler: "noop", resources: [{ type: node, amount: 1, constraints: { minMemory: 1e6 } }] }]);
    await until("no match reason", async () => (await details(none)).task("t").waitingFor?.includes("no resource offers") && true);
    await query(url(), Control.cancel, { id: none });
  });

  it("releases on completion, failure (each attempt), timeout, cancel, the execution deadline and durationMs; on pause only with releaseOnPause", async () => {
    const r = type("slot");
    await pool({ type: r, capacity: 10 });
    const need = [{ type: r, amount: 1 }];
    const completed = await run([{ key: "t", handler: "noop", resources: need }]);
    const failed = await run([{ key: "t", handler: "fail", resources: need }]);
    const timedOut = await run([{ key: "t", handler: "sleep", input: { ms: 5000 }, timeoutMs: 200, resources: need }]);
    const cancelled = await run([{ key: "t", handler: "sleep", input: { ms: 5000 }, resources: need }]);
    // Long enough to still run after every start, cancel and pause below, even on a loaded machine.
    const paused = await run([{ key: "t", handler: "sleep", input: { ms: 2500 }, resources: [{ type: r, amount: 1, releaseOnPause: true }] }]);
    const kept = await run([{ key: "t", handler: "sleep", input: { ms: 2500 }, resources: need }]);
    const elapsed = await run([{ key: "t", handler: "sleep", input: { ms: 2500 }, resources: [{ type: r, amount: 1, durationMs: 300 }] }]);
    const deadline = await runWith({ timeoutMs: 400 }, [{ key: "t", handler: "sleep", input: { ms: 5000 }, resources: need }]);
    const retried = await run([{ key: "t", handler: "flaky", input: { failRate: 1 }, retryPolicy: { strategy: "IMMEDIATE", maxRetries: 1 }, resources: need }]);
    const started = (id: string) => until("started", async () => (await details(id)).task("t").status === "RUNNING");
    await Promise.all([cancelled, paused, kept].map(started));
    await query(url(), Control.cancel, { id: cancelled });
    await query(url(), Control.pause, { id: paused });
    await query(url(), Control.pause, { id: kept });
    const pausedNow = await details(paused);
    expect(pausedNow.task("t").status).toBe("RUNNING"); // still running, but its resources are back
    expect(releasesOf(pausedNow)).toEqual(["paused"]); // releaseOnPause: true
    expect(releasesOf(await details(kept))).toEqual([]); // the default holds until the run ends

    expect(releasesOf(await ended(completed))).toEqual(["completed"]);
    expect(releasesOf(await ended(failed, "FAILED"))).toEqual(["failed"]);
    expect(releasesOf(await ended(timedOut, "FAILED"))).toEqual(["timed out"]);
    expect(releasesOf(await ended(cancelled, "CANCELLED"))).toEqual(["execution cancelled"]);
    // A pausing execution whose last task ends completes; what `kept` held stayed until then.
    expect(releasesOf(await ended(kept))).toEqual(["completed"]);
    expect(releasesOf(await ended(paused))).toEqual(["paused"]);
    const elapsedDone = await ended(elapsed);
    expect(releasesOf(elapsedDone)).toEqual(["duration elapsed"]);
    const a = elapsedDone.task("t").allocations.edges[0]!.node;
    expect(Date.parse(a.releasedAt!) - Date.parse(a.allocatedAt)).toBeLessThan(2000); // before the 2500 ms run ended
    // At the execution's deadline the worker ends the run (TIMED_OUT) and the deadline sweep fails the
    // execution, at the same instant: whichever commits first releases, exactly once.
    expect(["timed out", "execution failed"]).toContain(releasesOf(await ended(deadline, "FAILED")).join());
    const retriedDone = await ended(retried, "FAILED");
    expect(releasesOf(retriedDone)).toEqual(["failed", "failed"]); // each attempt allocated and released its own
    expect(retriedDone.task("t").allocations.edges.map((e) => e.node.active)).toEqual([false, false]);
    const [{ active }] = (await sql<{ active: number }>(
      `SELECT count(*)::int AS active FROM "ResourceAllocation" a JOIN "Resource" r ON r.id = a."resourceId" WHERE r.type = $1 AND a."releasedAt" IS NULL`,
      [r],
    )) as [{ active: number }];
    expect(active).toBe(0);
  });

  it("releases on restoreFromCheckpoint while the run holds them; the rerun allocates again", async () => {
    const r = type("restore");
    await pool({ type: r, capacity: 1 });
    const id = await run([{ key: "t", handler: "sleep", input: { ms: 1500 }, resources: [{ type: r, amount: 1 }] }]);
    await until("running", async () => (await details(id)).task("t").status === "RUNNING");
    const cp = (await query(url(), Control.checkpoint, { id })).createCheckpoint;
    if (cp.__typename !== "Checkpoint") throw new Error(JSON.stringify(cp));
    expect((await query(url(), Control.restore, { id: cp.id })).restoreFromCheckpoint.__typename).toBe("Execution");
    const done = await ended(id);
    expect(releasesOf(done)).toEqual([`restored from checkpoint ${decode(cp.id)}`, "completed"]);
    expect(done.task("t").allocations.edges.map((e) => e.node.releaseReason)).toEqual([`restored from checkpoint ${decode(cp.id)}`, "completed"]);
  });

  it("releases when a worker loses the lease, and when a stopping worker hands a run back", async () => {
    const r = type("lease");
    await pool({ type: r, capacity: 1 });
    const idle = await startInProcess({ embedded, startWorker: false });
    try {
      const { createPlan } = await query(idle.url, CreatePlan, {
        input: { name: "lease", tasks: [{ key: "t", handler: "noop", retryPolicy: { strategy: "IMMEDIATE", maxRetries: 1 }, resources: [{ type: r, amount: 1 }] }] },
      });
      if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
      await query(idle.url, CreateResource, { input: { name: `${r}-pool`, type: r, capacity: 1 } });
      const { scheduleExecution } = await query(idle.url, ScheduleExecution, { input: { planId: createPlan.id } });
      if (scheduleExecution.__typename !== "Execution") throw new Error("schedule");
      const now = new Date();
      // A worker that claims and then vanishes: nobody renews its lease.
      const { runs } = await claimRuns(idle.services.db.sql, { workerId: "ghost", limit: 1, leaseMs: 100, agingStepMs: 60_000, clock: () => now });
      expect(runs[0]?.allocations.map((a) => a.amount)).toEqual([1]);
      await reclaimExpired(idle.services.db.sql, new Date(now.getTime() + 1000), () => 0.5, idle.services.log);
      const [row] = await idle.services.db.sql.query<{ releaseReason: string; allocated: number }>(
        `SELECT a."releaseReason", r.allocated FROM "ResourceAllocation" a JOIN "Resource" r ON r.id = a."resourceId" WHERE a."taskRunId" = $1`,
        [runs[0]!.id],
      );
      expect(row).toEqual({ releaseReason: "lease lost", allocated: 0 });

      // The retry is claimed again and handed back by a stopping worker.
      const later = new Date(now.getTime() + 2000);
      const again = await claimRuns(idle.services.db.sql, { workerId: "stopping", limit: 1, leaseMs: 30_000, agingStepMs: 60_000, clock: () => later });
      expect(again.runs[0]?.allocations).toHaveLength(1);
      await releaseRun({ sql: idle.services.db.sql, workerId: "stopping", clock: () => later }, again.runs[0]!);
      const reasons = await idle.services.db.sql.query<{ releaseReason: string }>(
        `SELECT "releaseReason" FROM "ResourceAllocation" WHERE "taskRunId" = $1 ORDER BY "allocatedAt"`,
        [runs[0]!.id],
      );
      expect(reasons.map((x) => x.releaseReason)).toEqual(["lease lost", "worker stopping"]);
    } finally {
      await idle.stop();
    }
  });

  it("client holds: all or nothing with a typed error, release, refusal for task holds, and lease expiry", async () => {
    const [gpu, cpu] = [type("gpu"), type("cpu")];
    const g = await pool({ type: gpu, capacity: 2 });
    await pool({ type: cpu, capacity: 1 });
    const refused = (await query(url(), Allocate, { requirements: [{ type: gpu, amount: 1 }, { type: cpu, amount: 2 }] })).allocateResources;
    expect(refused).toMatchObject({ __typename: "ResourceUnavailableError", field: "requirements[1]" });
    expect((await query(url(), ResourceDetails, { id: g.id })).resource).toMatchObject({ allocated: 0 });
    expect((await query(url(), Allocate, { requirements: [{ type: gpu, amount: 1 }], leaseMs: 10 })).allocateResources).toMatchObject({ __typename: "ValidationError", field: "leaseMs" });

    const ok = (await query(url(), Allocate, { requirements: [{ type: gpu, amount: 1 }], label: "notebook", leaseMs: 60_000 })).allocateResources;
    if (ok.__typename !== "MutationAllocateResourcesSuccess") throw new Error(JSON.stringify(ok));
    expect(ok.data).toMatchObject([{ amount: 1, label: "notebook", active: true, resource: { name: g.name } }]);
    const released = (await query(url(), Release, { ids: ok.data.map((a) => a.id) })).releaseResources;
    expect(released).toMatchObject({ __typename: "MutationReleaseResourcesSuccess", data: [{ active: false, releaseReason: "released by client" }] });
    expect((await query(url(), Release, { ids: ok.data.map((a) => a.id) })).releaseResources).toMatchObject({ __typename: "MutationReleaseResourcesSuccess" });
    expect((await query(url(), Release, { ids: [randomUUID()] })).releaseResources).toMatchObject({ __typename: "NotFoundError" });

    const id = await run([{ key: "t", handler: "sleep", input: { ms: 600 }, resources: [{ type: gpu, amount: 1 }] }]);
    const taskHold = await until("task allocation", async () => (await sql<{ id: string }>(`SELECT a.id FROM "ResourceAllocation" a JOIN "Execution" e ON e.id = a."executionId" WHERE a."taskKey" = 't' AND a."releasedAt" IS NULL AND e.id::text = $1`, [decode(id)]))[0]);
    expect((await query(url(), Release, { ids: [taskHold.id] })).releaseResources).toMatchObject({ __typename: "ValidationError", field: "ids[0]" });

    const short = (await query(url(), Allocate, { requirements: [{ type: cpu, amount: 1 }], leaseMs: 1000 })).allocateResources;
    if (short.__typename !== "MutationAllocateResourcesSuccess") throw new Error(JSON.stringify(short));
    await until("lease expiry", async () => (await sql<{ reason: string | null }>(`SELECT "releaseReason" AS reason FROM "ResourceAllocation" WHERE id = $1`, [decode(short.data[0]!.id)]))[0]?.reason === "lease expired", 5000);
    await ended(id);
  });

  it("a client ranks behind a waiting run aged past its priority", async () => {
    // One slot, kept busy by a sleep, so the waiting run is not claimed meanwhile; aging of 100 ms a level.
    const aged = await startInProcess({ embedded, concurrency: 1, agingStepMs: 100 });
    try {
      const r = type("aged");
      const created = (await query(aged.url, CreateResource, { input: { name: r, type: r, capacity: 1 } })).createResource;
      if (created.__typename !== "Resource") throw new Error(JSON.stringify(created));
      const first = (await query(aged.url, Allocate, { requirements: [{ type: r, amount: 1 }] })).allocateResources;
      if (first.__typename !== "MutationAllocateResourcesSuccess") throw new Error(JSON.stringify(first));
      const plan = async (tasks: TaskInput[], priority: "IDLE" | "NORMAL") => {
        const { createPlan } = await query(aged.url, CreatePlan, { input: { name: "aged", tasks } });
        if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
        const { scheduleExecution } = await query(aged.url, ScheduleExecution, { input: { planId: createPlan.id, priority } });
        if (scheduleExecution.__typename !== "Execution") throw new Error(JSON.stringify(scheduleExecution));
        return scheduleExecution.id;
      };
      const idle = await plan([{ key: "t", handler: "noop", resources: [{ type: r, amount: 1 }] }], "IDLE");
      await until("waiting", async () => (await query(aged.url, ExecutionResources, { id: idle })).execution!.tasks[0]!.waitingFor);
      const busy = await plan([{ key: "s", handler: "sleep", input: { ms: 20_000 } }], "NORMAL");
      await until("slot busy", async () => (await query(aged.url, ExecutionResources, { id: busy })).execution!.tasks[0]!.status === "RUNNING");
      await wait(600); // IDLE (rank 4) has aged to rank 0
      await query(aged.url, Release, { ids: first.data.map((a) => a.id) });
      // Unaged, IDLE would come after HIGH and the client would get the free unit; aged, the run goes first and takes it.
      const refused = (await query(aged.url, Allocate, { requirements: [{ type: r, amount: 1, priority: "HIGH" }] })).allocateResources;
      expect(refused).toMatchObject({ __typename: "ResourceUnavailableError", field: "requirements[0]", reason: expect.stringContaining("at most 0 free") });
      await query(aged.url, Control.cancel, { id: busy });
      await until("aged run done", async () => (await query(aged.url, ExecutionResources, { id: idle })).execution!.status === "COMPLETED");
    } finally {
      await aged.stop();
    }
  });

  it("updateResource: capacity never below what is allocated; more capacity serves waiting tasks at once", async () => {
    const r = type("grow");
    const p = await pool({ type: r, capacity: 1 });
    const id = await run([{ key: "a", handler: "sleep", input: { ms: 1500 }, resources: [{ type: r, amount: 1 }] }, { key: "b", handler: "noop", resources: [{ type: r, amount: 1 }] }]);
    await until("a running, b waiting", async () => {
      const d = await details(id);
      return d.task("a").status === "RUNNING" && d.task("b").waitingFor;
    });
    expect((await query(url(), UpdateResource, { id: p.id, input: { capacity: 0.5 } })).updateResource).toMatchObject({ __typename: "ValidationError", field: "input.capacity" });
    expect((await query(url(), UpdateResource, { id: p.id, input: { capacity: 2 } })).updateResource).toMatchObject({ __typename: "Resource", capacity: 2 });
    await until("b done while a runs", async () => {
      const d = await details(id);
      return d.task("b").status === "COMPLETED" && d.task("a").status === "RUNNING";
    });
    expect((await query(url(), UpdateResource, { id: randomUUID(), input: { capacity: 2 } })).updateResource).toMatchObject({ __typename: "NotFoundError" });
    await ended(id);
  });

  it("records usage, cost and efficiency per allocation and sums them into the execution's metrics; checkpoints list held allocations", async () => {
    const r = type("paid");
    await pool({ type: r, capacity: 4, costPerUnitSecond: 2 });
    const id = await run([
      { key: "half", handler: "useResources", input: { ms: 400, used: 0.75 }, resources: [{ type: r, amount: 1.5 }] },
      { key: "full", handler: "useResources", input: { ms: 200 }, resources: [{ type: r, amount: 1 }] },
    ]);
    await until("both running", async () => (await details(id)).tasks.every((t) => t.status === "RUNNING"));
    await query(url(), Control.checkpoint, { id });
    const done = await ended(id);
    const usage = done.resourceUsage.edges.map((e) => e.node);
    expect(usage).toHaveLength(2);
    const half = usage.find((u) => u.taskKey === "half")!;
    const heldS = (u: (typeof usage)[number]) => (Date.parse(u.endTime!) - Date.parse(u.startTime)) / 1000;
    expect(half).toMatchObject({ resourceType: r, amountAllocated: 1.5, amountUsed: 0.75, efficiency: 0.5 });
    expect(half.cost).toBeCloseTo(1.5 * 2 * heldS(half), 6);
    const full = usage.find((u) => u.taskKey === "full")!;
    expect(full).toMatchObject({ amountUsed: 1, efficiency: 1 });
    expect(done.metrics.totalCost).toBeCloseTo(half.cost + full.cost, 4);
    const unitMs = (u: (typeof usage)[number]) => u.amountAllocated * heldS(u);
    expect(done.metrics.resourceEfficiency).toBeCloseTo((0.75 * heldS(half) + 1 * heldS(full)) / (unitMs(half) + unitMs(full)), 3);
    const cp = done.checkpoints.edges[0]!.node.resourceAllocations as { taskKey: string; amount: number }[];
    expect(cp.map((a) => [a.taskKey, a.amount]).sort()).toEqual([["full", 1], ["half", 1.5]]);
    const kinds = done.events.map((e) => e.type);
    expect(kinds.filter((k) => k === "RESOURCE_ALLOCATED")).toHaveLength(2);
    expect(kinds.filter((k) => k === "RESOURCE_RELEASED")).toHaveLength(2);
  });

  it("sums usage in SQL exactly as the domain does", async () => {
    const r = type("sum");
    const p = await pool({ type: r, capacity: 1e6, costPerUnitSecond: 0.37 });
    const id = await run([{ key: "t", handler: "noop" }]);
    await ended(id);
    const [execId, poolId] = [decode(id), decode(p.id)];
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    const rows = Array.from({ length: 40 }, (_, i) => ({
      amount: 0.5 + (i % 7),
      amountUsed: i % 3 === 0 ? null : (i % 5) / 2,
      costPerUnitSecond: 0.37 * (1 + (i % 4)),
      allocatedAt: new Date(t0 + i * 997),
      releasedAt: i % 4 === 0 ? null : new Date(t0 + i * 997 + 1234 * (i + 1)),
    }));
    for (const a of rows)
      await sql(`INSERT INTO "ResourceAllocation" (id, "resourceId", amount, "amountUsed", "costPerUnitSecond", priority, "executionId", "allocatedAt", "releasedAt") VALUES (gen_random_uuid(), $1, $2, $3, $4, 'NORMAL', $5, $6, $7)`,
        [poolId, a.amount, a.amountUsed, a.costPerUnitSecond, execId, a.allocatedAt, a.releasedAt]);
    const now = new Date(t0 + 100_000);
    const fromSql = await usageOfExecution(env.services.db.sql, execId, now);
    const fromTs = totalUsage(rows, now);
    expect(fromSql.cost).toBeCloseTo(fromTs.cost, 6);
    expect(fromSql.unitMs).toBeCloseTo(fromTs.unitMs, 3);
    expect(fromSql.usedUnitMs).toBeCloseTo(fromTs.usedUnitMs, 3);
  });
});
