import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { Redis } from "ioredis";
import { databaseNamespace, topics } from "../src/infra/pubsub.ts";
import { publishUpdates } from "../src/store/outbox.ts";
import type { ExecutionUpdate } from "../src/domain/updates.ts";
import { infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { createDiamond, expectGapFree, monitorWs, schedule } from "./helpers/scenario.ts";

// What makes monitor cheap at thousands of subscribers, without giving up order or completeness: one bus
// subscription and one decode per channel per process, one execution per distinct selection, and a
// slow socket that holds back only itself.

const fakeUpdate = (executionId: string, seq: number): ExecutionUpdate =>
  ({ event: { id: `e${seq}`, executionId, seq, type: "TASK_STARTED", timestamp: new Date(), taskKey: "a", message: "m", data: null, status: "RUNNING", stats: {} }, messages: [] }) as unknown as ExecutionUpdate;

/** A graphql-ws subscription of `query`; resolves with every `monitor` payload once the stream completes. */
function subscribe(url: string, query: string, executionId: string): Promise<Record<string, unknown>[]> {
  const client = createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  const received: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) =>
    client.subscribe<{ monitor: Record<string, unknown> }>({ query, variables: { id: executionId } }, {
      next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : received.push(m.data!.monitor)),
      error: reject,
      complete: () => resolve(received),
    }),
  ).finally(() => client.dispose()) as Promise<Record<string, unknown>[]>;
}

describe.each(modes())("monitor sharing ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded })));
  afterAll(async () => env?.stop());

  it("subscribers of one execution share one bus subscription and one decode per update, each getting every update in order", async () => {
    const { bus, log } = env.services;
    const executionId = crypto.randomUUID();
    const decode = vi.spyOn(topics.executionUpdate, "decode");
    const got: ExecutionUpdate[][] = Array.from({ length: 5 }, () => []);
    const unsubscribes = await Promise.all(
      got.map((list, i) =>
        bus.subscribe("executionUpdate", executionId, (u) => {
          if (i === 0) throw new Error("a failing subscriber"); // reaches no other subscriber
          list.push(u);
        }),
      ),
    );
    const redis = embedded ? null : new Redis(infra().redisUrl);
    try {
      const channel = `${embedded ? "" : await databaseNamespace(env.services.db.sql)}:executionUpdate:${executionId}`;
      if (redis) expect(await redis.pubsub("NUMSUB", channel)).toEqual([channel, 1]);
      await publishUpdates(bus, [1, 2, 3].map((seq) => fakeUpdate(executionId, seq)), log);
      await vi.waitFor(() => expect(got[4]!.length).toBe(3));
      for (const list of got.slice(1)) expect(list.map((u) => u.event.seq)).toEqual([1, 2, 3]);
      for (const [i, u] of got[1]!.entries()) for (const list of got.slice(2)) expect(list[i]).toBe(u); // one decoded object for all
      expect(decode.mock.calls.length).toBe(3);
      await Promise.all(unsubscribes.map((u) => u()));
      if (redis) await vi.waitFor(async () => expect(await redis.pubsub("NUMSUB", channel)).toEqual([channel, 0]));
    } finally {
      decode.mockRestore();
      redis?.disconnect();
    }
  });

  it("subscribers with different selections of the same updates each get their own fields, complete and in order", async () => {
    const id = await schedule(env.url, await createDiamond(env.url, { a: 200, b: 200, c: 200 }));
    const narrow = "subscription($id: ID!) { monitor(executionId: $id) { seq status } }";
    const wide = "subscription($id: ID!) { monitor(executionId: $id) { seq timestamp progress { percentage } } }";
    const streams = await Promise.all([subscribe(env.url, narrow, id), subscribe(env.url, wide, id), subscribe(env.url, narrow, id), subscribe(env.url, wide, id)]);
    for (const [i, s] of streams.entries()) {
      expect(s.map((u) => u.seq)).toEqual(streams[0]!.map((_, k) => k + 1));
      for (const u of s) expect(Object.keys(u).sort()).toEqual(i % 2 === 0 ? ["seq", "status"] : ["progress", "seq", "timestamp"]);
    }
    expect(streams[0]!.at(-1)!.status).toBe("COMPLETED");
  });

  it("a subscriber that stops reading holds back only itself: the others finish, then it gets everything once it reads again", async () => {
    const id = await schedule(env.url, await createDiamond(env.url, { a: 200, b: 200, c: 200 }));
    // graphql-ws by hand, so that this client can stop reading its socket.
    const slow = new WebSocket(env.url.replace(/^http/, "ws"), "graphql-transport-ws");
    const seqs: number[] = [];
    const slowDone = new Promise<void>((resolve, reject) => {
      slow.on("open", () => slow.send(JSON.stringify({ type: "connection_init" })));
      slow.on("message", (raw: Buffer) => {
        const m = JSON.parse(raw.toString()) as { type: string; payload?: { data?: { monitor: { seq: number } } } };
        if (m.type === "connection_ack") {
          slow.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription($id: ID!) { monitor(executionId: $id) { seq status } }", variables: { id } } }));
          // Not reading from here on: what the server writes waits in the socket buffers.
          (slow as unknown as { _socket: { pause(): void } })._socket.pause();
        } else if (m.type === "next") seqs.push(m.payload!.data!.monitor.seq);
        else if (m.type === "complete") resolve();
        else if (m.type === "error") reject(new Error(JSON.stringify(m.payload)));
      });
      slow.on("error", reject);
    });
    const fast = monitorWs(env.url, id);
    await fast.done;
    expectGapFree(fast.received);
    expect(fast.received.at(-1)!.monitor.status).toBe("COMPLETED");
    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    await slowDone;
    slow.close();
    expect(seqs).toEqual(fast.received.map((u) => u.monitor.seq));
  });
});
