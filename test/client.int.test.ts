import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import WebSocket from "ws";
import {
  createEngineClient,
  EngineError,
  EngineExecutionDocument,
  EngineGraphQLError,
  InvalidIdError,
  InvalidTransitionError,
  NotFoundError,
  UnknownHandlerError,
  ValidationError,
  type EngineClient,
  type Execution,
  type ExecutionUpdate,
  type Plan,
} from "../src/client/index.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";

// The typed client (src/client) against the real server, in both modes: values out of the result
// unions, typed exceptions for their error members and for errors[], and watch() resuming from the
// last seq after its WebSocket is cut (by a TCP proxy in front of the API) with no gap and no duplicate.

/** A TCP proxy in front of the API: drop() cuts every connection through it, block() refuses new ones. */
async function startProxy(target: string): Promise<{ url: string; drop(): void; block(on: boolean): void; close(): Promise<void> }> {
  const { hostname, port, pathname } = new URL(target);
  const open = new Set<Socket>();
  let blocked = false;
  const server: Server = createServer((down) => {
    if (blocked) return void down.destroy();
    const up = connect(Number(port), hostname);
    for (const s of [down, up]) {
      open.add(s);
      s.on("close", () => open.delete(s)).on("error", () => undefined);
    }
    down.pipe(up).pipe(down);
    down.on("close", () => up.destroy());
    up.on("close", () => down.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${pathname}`,
    drop: () => open.forEach((s) => s.destroy()),
    block: (on) => void (blocked = on),
    close: () => (open.forEach((s) => s.destroy()), new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

async function collect(updates: AsyncIterable<ExecutionUpdate>): Promise<ExecutionUpdate[]> {
  const seen: ExecutionUpdate[] = [];
  for await (const u of updates) seen.push(u);
  return seen;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(v)}`);
    },
    (err: unknown) => err,
  );
}

describe.each(modes())("typed client ($mode)", ({ embedded }) => {
  let env: InProcess;
  let client: EngineClient;
  let secret: string;
  const clients: EngineClient[] = [];
  const track = (c: EngineClient) => (clients.push(c), c);

  beforeAll(async () => {
    env = await startInProcess({ embedded });
    // The first key switches authentication on: every other client of this file needs one.
    const open = track(createEngineClient({ url: env.url, webSocketImpl: WebSocket }));
    const created = await open.createApiKey("client-test", "ADMIN");
    const apiKey = created.apiKey;
    secret = created.secret;
    expect(apiKey).toMatchObject({ name: "client-test", role: "ADMIN", active: true });
    client = track(createEngineClient({ url: env.url, apiKey: secret, webSocketImpl: WebSocket }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await env?.stop();
  });

  const chain = async (n: number, ms: number): Promise<Plan> =>
    client.createPlan({
      name: `chain-${n}x${ms}`,
      tasks: range(1, n).map((i) => ({ key: `t${i}`, handler: "sleep", input: { ms }, dependsOn: i > 1 ? [`t${i - 1}`] : [] })),
    });

  it("creates a plan and schedules an execution: the helpers return the values, typed", async () => {
    const plan = await client.createPlan({
      name: "diamond",
      tasks: [
        { key: "a", handler: "noop", input: { hello: "world" } },
        { key: "b", handler: "sleep", input: { ms: 50 }, dependsOn: ["a"] },
        { key: "c", handler: "sleep", input: { ms: 50 }, dependsOn: ["a"] },
        { key: "d", handler: "noop", dependsOn: ["b", "c"] },
      ],
    });
    expectTypeOf(plan).toEqualTypeOf<Plan>();
    expect(plan).toMatchObject({ __typename: "Plan", name: "diamond", tasks: [{ key: "a" }, { key: "b", dependsOn: ["a"] }, { key: "c" }, { key: "d", dependsOn: ["b", "c"] }] });
    expect(await client.plan(plan.id)).toEqual(plan);

    const execution = await client.scheduleExecution({ planId: plan.id, priority: "HIGH", params: { run: 1 } });
    expectTypeOf(execution).toEqualTypeOf<Execution>();
    expect(execution).toMatchObject({ __typename: "Execution", priority: "HIGH", params: { run: 1 }, plan: { id: plan.id, name: "diamond" } });
    expect(["PENDING", "RUNNING"]).toContain(execution.status);

    const updates = await collect(client.watch(execution.id));
    const done = await client.execution(execution.id);
    expect(done).toMatchObject({ status: "COMPLETED", progress: { percentage: 100, totalTasks: 4 } });
    expect(updates.map((u) => u.seq)).toEqual(range(1, done!.lastSeq));
    expect(updates.at(-1)).toMatchObject({ status: "COMPLETED", events: [{ type: "EXECUTION_COMPLETED" }] });

    // request() with a generated document: the result type is inferred from it.
    const raw = await client.request(EngineExecutionDocument, { id: execution.id });
    expectTypeOf(raw.execution).toEqualTypeOf<Execution | null>();
    expect(raw.execution).toEqual(done);

    // From a seq on: only the updates after it.
    expect((await collect(client.watch(execution.id, { afterSeq: 5 }))).map((u) => u.seq)).toEqual(range(6, done!.lastSeq));
  });

  it("an error member of a result union is thrown as its EngineError subclass, with its fields", async () => {
    const unknown = await rejection(client.createPlan({ name: "bad", tasks: [{ key: "a", handler: "no-such-handler" }] }));
    expect(unknown).toBeInstanceOf(UnknownHandlerError);
    expect(unknown).toBeInstanceOf(EngineError);
    expect(unknown).toMatchObject({ __typename: "UnknownHandlerError", field: "tasks[0].handler", handler: "no-such-handler", message: expect.stringContaining("no-such-handler") });
    expect((unknown as UnknownHandlerError).knownHandlers).toContain("noop");

    const invalid = await rejection(client.createPlan({ name: "bad", tasks: [{ key: "a", handler: "sleep", input: { ms: -1 } }] }));
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({ __typename: "ValidationError", field: "tasks[0].input.ms", reason: expect.any(String) });

    const badId = await rejection(client.scheduleExecution({ planId: "nope" }));
    expect(badId).toBeInstanceOf(InvalidIdError);
    expect(badId).toMatchObject({ __typename: "InvalidIdError", field: "input.planId", value: "nope" });

    const missing = await rejection(client.scheduleExecution({ planId: "00000000-0000-4000-8000-000000000000" }));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ __typename: "NotFoundError", entity: expect.any(String), entityId: expect.any(String), field: undefined });

    const plan = await client.createPlan({ name: "one", tasks: [{ key: "a", handler: "noop" }] });
    const execution = await client.scheduleExecution({ planId: plan.id });
    await collect(client.watch(execution.id));
    const transition = await rejection(client.pauseExecution(execution.id));
    expect(transition).toBeInstanceOf(InvalidTransitionError);
    expect(transition).toMatchObject({ __typename: "InvalidTransitionError", currentStatus: "COMPLETED" });
  });

  it("errors[] throw EngineGraphQLError with extensions.code: no key over HTTP and graphql-ws, a bad monitor argument", async () => {
    const anonymous = track(createEngineClient({ url: env.url, webSocketImpl: WebSocket }));
    const http = await rejection(anonymous.createPlan({ name: "x", tasks: [{ key: "a", handler: "noop" }] }));
    expect(http).toBeInstanceOf(EngineGraphQLError);
    expect(http).toMatchObject({ code: "UNAUTHENTICATED", status: 401 });

    const plan = await client.createPlan({ name: "one", tasks: [{ key: "a", handler: "noop" }] });
    const execution = await client.scheduleExecution({ planId: plan.id });
    const ws = await rejection(collect(anonymous.watch(execution.id)));
    expect(ws).toBeInstanceOf(EngineGraphQLError);
    expect(ws).toMatchObject({ code: "UNAUTHENTICATED" });

    const bad = await rejection(collect(client.watch(execution.id, { afterSeq: -1 })));
    expect(bad).toBeInstanceOf(EngineGraphQLError);
    expect(bad).toMatchObject({ code: "ValidationError", extensions: { field: "afterSeq" } });
    const wrongKey = track(createEngineClient({ url: env.url, apiKey: "eng_wrong", webSocketImpl: WebSocket }));
    expect(await rejection(wrongKey.execution(execution.id))).toMatchObject({ name: "EngineGraphQLError", code: "UNAUTHENTICATED" });
  });

  it("pause, resume and cancel return the execution; a watch left early unsubscribes, one to the end sees CANCELLED", async () => {
    const execution = await client.scheduleExecution({ planId: (await chain(3, 400)).id });
    for await (const u of client.watch(execution.id)) if (u.events.some((e) => e.type === "TASK_STARTED")) break;
    const paused = await client.pauseExecution(execution.id);
    expect(paused.id).toBe(execution.id);
    expect(paused.status === "PAUSED" || paused.pausing).toBe(true);
    expect((await client.resumeExecution(execution.id)).pausing).toBe(false);
    const cancelled = await client.cancelExecution(execution.id, "stopped by the client test");
    expect(cancelled).toMatchObject({ status: "CANCELLED", error: { message: expect.stringContaining("stopped by the client test") } });
    const updates = await collect(client.watch(execution.id));
    expect(updates.map((u) => u.seq)).toEqual(range(1, (await client.execution(execution.id))!.lastSeq));
    expect(updates.at(-1)?.status).toBe("CANCELLED");
  });

  it("watch() resumes from the last seq after its connection is cut, twice: every seq exactly once, in order", async () => {
    const proxy = await startProxy(env.url);
    try {
      const plan = await chain(10, 200);
      const execution = await client.scheduleExecution({ planId: plan.id });
      const reconnects: { attempt: number; afterSeq: number }[] = [];
      const seen: number[] = [];
      const outages: { from: number; to: number }[] = [];
      const stamps: number[] = [];
      const watcher = track(createEngineClient({ url: proxy.url, apiKey: secret, webSocketImpl: WebSocket }));
      const cuts = [3, 13];
      for await (const u of watcher.watch(execution.id, { retryDelayMs: () => 100, onReconnect: ({ attempt, afterSeq }) => reconnects.push({ attempt, afterSeq }) })) {
        seen.push(u.seq);
        stamps.push(Date.parse(u.timestamp));
        if (u.seq === cuts[0]) {
          cuts.shift();
          // Cut every connection and refuse new ones for a while: updates happen meanwhile.
          proxy.block(true);
          proxy.drop();
          outages.push({ from: Date.now(), to: Date.now() + 500 });
          setTimeout(() => proxy.block(false), 500);
        }
      }
      const done = await client.execution(execution.id);
      expect(done?.status).toBe("COMPLETED");
      expect(seen).toEqual(range(1, done!.lastSeq));
      expect(cuts).toEqual([]);
      // Each cut: resubscriptions (refused while blocked), resuming after the last seq received, which is
      // the seq of the cut or a later one that had already arrived; both cuts before the end of the run.
      const resumedAfter = reconnects.filter((r) => r.attempt === 1).map((r) => r.afterSeq);
      expect(resumedAfter).toHaveLength(2);
      expect(resumedAfter[0]).toBeGreaterThanOrEqual(3);
      expect(resumedAfter[1]).toBeGreaterThanOrEqual(13);
      expect(resumedAfter[1]).toBeLessThan(done!.lastSeq);
      expect(reconnects.length, "connections were refused while blocked").toBeGreaterThan(2);
      // The run went on while no connection was open: those updates came by the replay from afterSeq.
      for (const o of outages) expect(stamps.filter((t) => t > o.from && t < o.to).length, JSON.stringify(o)).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });
});
