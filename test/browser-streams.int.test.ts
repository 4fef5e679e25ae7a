import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { print } from "graphql";
import { EventSource } from "eventsource";
import { createClient as createSseClient } from "graphql-sse";
import { CreatePlan, Monitor, ScheduleExecution } from "./operations.ts";
import type { Update } from "./helpers/scenario.ts";
import { query } from "./helpers/clients.ts";
import { startInProcess, modes, type InProcess } from "./helpers/inprocess.ts";
import { buildApp } from "../src/api/app.ts";

// Subscriptions from a browser (#16 item 4) through the real server: an EventSource (the `eventsource`
// package, the WHATWG EventSource on fetch: it sends Accept: text/event-stream and no other header) on a
// GET subscription, which needs no CSRF header and, in keys mode, a stream ticket instead of the key; the
// graphql-sse client in distinct and single connection mode; and the CSRF protection everything else
// keeps. No Chromium is installed here, so no real browser runs these.

type Result = { data?: { monitor: Update } | null; errors?: { message: string; extensions?: { code?: string } }[] };
const MONITOR = print(Monitor);

const monitorUrl = (url: string, executionId: string, extra = "") =>
  `${url}?query=${encodeURIComponent(MONITOR)}&variables=${encodeURIComponent(JSON.stringify({ executionId, afterSeq: 0 }))}${extra}`;

interface Watched {
  results: Result[];
  /** Resolves at the stream's `complete` event (the EventSource is closed then); rejects when the EventSource fails. */
  done: Promise<void>;
}

/** An EventSource on `url`: every `next` event, until `complete`; a failure (e.g. a 401) rejects with its status. */
function watch(url: string): Watched {
  const results: Result[] = [];
  const es = new EventSource(url);
  const done = new Promise<void>((resolve, reject) => {
    es.addEventListener("next", (e) => results.push(JSON.parse((e as MessageEvent<string>).data) as Result));
    es.addEventListener("complete", () => (es.close(), resolve()));
    es.addEventListener("error", (e) => {
      const err = e as Event & { code?: number; message?: string };
      // An EventSource reconnects after a network error; a refusal (non-200) closes it for good.
      if (es.readyState === es.CLOSED) reject(Object.assign(new Error(`EventSource failed: ${err.code} ${err.message}`), { status: err.code }));
    });
  });
  done.catch(() => undefined);
  setTimeout(() => es.close(), 30_000).unref();
  return { results, done };
}

/** Every update of the execution, seq 1..n, ending COMPLETED. */
function expectWholeRun(results: Result[]): void {
  expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
  const updates = results.map((r) => r.data!.monitor);
  expect(updates.map((u) => u.seq)).toEqual(updates.map((_, i) => i + 1));
  expect(updates.at(-1)!.status).toBe("COMPLETED");
}

/** A plan a → (b, c) → d of sleeps (ms), created with `key`. */
async function createDiamond(url: string, ms: { a: number; b: number; c: number }, key?: string): Promise<string> {
  const sleep = (k: "a" | "b" | "c", dependsOn: string[] = []) => ({ key: k, handler: "sleep", input: { ms: ms[k] }, dependsOn });
  const { createPlan } = await query(url, CreatePlan, { input: { name: "diamond", tasks: [sleep("a"), sleep("b", ["a"]), sleep("c", ["a"]), { key: "d", handler: "noop", dependsOn: ["b", "c"] }] } }, { key });
  if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
  return createPlan.id;
}

async function schedule(url: string, planId: string, key?: string): Promise<string> {
  const { scheduleExecution } = await query(url, ScheduleExecution, { input: { planId } }, { key });
  if (scheduleExecution.__typename !== "Execution") throw new Error(JSON.stringify(scheduleExecution));
  return scheduleExecution.id;
}

const run = async (url: string, key?: string) => schedule(url, await createDiamond(url, { a: 50, b: 150, c: 150 }, key), key);

/** The graphql-sse client: monitor of one execution until it completes. */
async function sseClientMonitor(url: string, executionId: string, singleConnection: boolean, key?: string): Promise<Result[]> {
  const client = createSseClient({ url, singleConnection, retryAttempts: 0, headers: key ? { authorization: `Bearer ${key}` } : {} });
  const results: Result[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      client.subscribe({ query: MONITOR, variables: { executionId, afterSeq: 0 } }, { next: (r) => void results.push(r as Result), error: reject, complete: resolve });
    });
  } finally {
    client.dispose();
  }
  return results;
}

/** A refusal, answered as JSON or as an SSE error event: its status and errors. */
async function json(res: Response): Promise<{ status: number; body: Result }> {
  const text = await res.text();
  return { status: res.status, body: JSON.parse(/^event: next\ndata: (.*)$/m.exec(text)?.[1] ?? text) as Result };
}
const codes = (r: { body: Result }) => (r.body.errors ?? []).map((e) => e.extensions?.code);

describe.each(modes())("subscriptions from a browser, open mode ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded })));
  afterAll(async () => env?.stop());

  it("an EventSource GET subscription (no CSRF header) streams monitor to completion", async () => {
    const executionId = await run(env.url);
    const es = watch(monitorUrl(env.url, executionId));
    await es.done;
    expectWholeRun(es.results);
  });

  it("the graphql-sse client streams monitor in distinct connections mode (/graphql and /graphql/stream) and single connection mode", async () => {
    const executionId = await run(env.url);
    const [distinct, distinctPlugin, single] = await Promise.all([
      sseClientMonitor(env.url, executionId, false),
      sseClientMonitor(`${env.url}/stream`, executionId, false),
      sseClientMonitor(`${env.url}/stream`, executionId, true),
    ]);
    for (const results of [distinct, distinctPlugin, single]) expectWholeRun(results);
  });

  it("CSRF still blocks header-less GET queries and mutations and form or text POSTs, on /graphql and /graphql/stream", async () => {
    const get = (url: string, query: string, accept?: string) => fetch(`${url}?query=${encodeURIComponent(query)}`, { headers: accept ? { accept } : {} });
    for (const url of [env.url, `${env.url}/stream`]) {
      for (const accept of [undefined, "text/event-stream"]) {
        expect(codes(await json(await get(url, "{ __typename }", accept)))).toEqual(["CSRF_HEADER_REQUIRED"]);
        const mutation = await json(await get(url, 'mutation { removeAlert(id: "x") { __typename } }', accept));
        expect(mutation.status).toBe(403);
        expect(codes(mutation)).toEqual(["CSRF_HEADER_REQUIRED"]);
      }
      for (const type of ["application/x-www-form-urlencoded", "text/plain", "text/plain; application/json", "multipart/form-data; boundary=x"]) {
        const res = await fetch(url, { method: "POST", headers: { "content-type": type, accept: "text/event-stream" }, body: JSON.stringify({ query: "subscription { alertTriggered { id } }" }) });
        expect({ type, status: res.status }).toEqual({ type, status: 403 });
      }
    }
    // An EventSource's GET: a subscription passes; anything else is refused before it runs.
    expect((await get(env.url, "{ __typename }", "text/event-stream")).status).toBe(403);
    // With the header, a GET query is what it always was.
    const ok = await fetch(`${env.url}?query=${encodeURIComponent("{ __typename }")}`, { headers: { "x-graphql-yoga-csrf": "1" } });
    expect(await ok.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("/graphql/stream answers a broken or oversized document as /graphql does, before running anything", async () => {
    const stream = (query: string) => fetch(`${env.url}/stream`, { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify({ query }) }).then(json);
    const broken = await stream("subscription { alertTriggered { id }");
    expect([broken.status, ...codes(broken)]).toEqual([400, "GRAPHQL_PARSE_FAILED"]);
    const huge = await stream(`{ ${"__typename ".repeat(6000)}}`);
    expect([huge.status, ...codes(huge)]).toEqual([400, "QUERY_TOO_LARGE"]);
  });

  it("a GET can never mutate, with the CSRF header and asking for an event stream either", async () => {
    const res = await fetch(`${env.url}?query=${encodeURIComponent('mutation { removeAlert(id: "x") { __typename } }')}`, { headers: { "x-graphql-yoga-csrf": "1", accept: "text/event-stream" } });
    expect(res.status).toBe(405);
  });
});

describe.each(modes())("subscriptions from a browser, keys mode ($mode)", ({ embedded }) => {
  let env: InProcess;
  let key: string;
  let other: string;
  const TTL_MS = 2000;

  const createKey = async (name: string, as?: string) => {
    const res = await fetch(env.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(as ? { authorization: `Bearer ${as}` } : {}) },
      body: JSON.stringify({ query: `mutation($n: String!) { createApiKey(name: $n, role: VIEWER) { ... on CreateApiKeyPayload { secret } } }`, variables: { n: name } }),
    });
    return ((await res.json()) as { data: { createApiKey: { secret: string } } }).data.createApiKey.secret;
  };
  const mint = async (as?: string) => {
    const res = await fetch(`${env.url}/stream-ticket`, { method: "POST", headers: as ? { authorization: `Bearer ${as}` } : {} });
    return { status: res.status, body: (await res.json()) as { ticket?: string; expiresAt?: string; errors?: { extensions: { code: string } }[] } };
  };

  beforeAll(async () => {
    env = await startInProcess({ embedded, limits: { streamTicketTtlMs: TTL_MS } });
    // The first key switches authentication on (an ADMIN one, for the runs below).
    const res = await fetch(env.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `mutation { createApiKey(name: "admin", role: ADMIN) { ... on CreateApiKeyPayload { secret } } }` }) });
    key = ((await res.json()) as { data: { createApiKey: { secret: string } } }).data.createApiKey.secret;
    other = await createKey("other", key);
  });
  afterAll(async () => env?.stop());

  it("an EventSource authenticates with a stream ticket (minted with the key in a header) and streams monitor to completion", async () => {
    const executionId = await run(env.url, key);
    const minted = await mint(key);
    expect(minted.status).toBe(201);
    expect(minted.body.ticket).toMatch(/^est_[0-9a-f-]{36}\.\d+\.[\w-]+\.[\w-]+$/);
    expect(minted.body.ticket).not.toContain(key);
    expect(Date.parse(minted.body.expiresAt!) - Date.now()).toBeLessThanOrEqual(TTL_MS);
    const es = watch(monitorUrl(env.url, executionId, `&ticket=${minted.body.ticket}`));
    await es.done;
    expectWholeRun(es.results);
    // Spent: the same URL again (what an EventSource does when it reconnects) is refused for good.
    await expect(watch(monitorUrl(env.url, executionId, `&ticket=${minted.body.ticket}`)).done).rejects.toMatchObject({ status: 401 });
    const again = await (fetch(monitorUrl(env.url, executionId, `&ticket=${minted.body.ticket}`), { headers: { accept: "text/event-stream" } }).then(json));
    expect(again.status).toBe(401);
    expect(codes(again)).toEqual(["STREAM_TICKET_INVALID"]);
    expect(again.body.errors![0]!.message).toContain("used already");
  });

  it("a ticket minted by one API process opens the stream on another: they share nothing but the database", async () => {
    const b = buildApp(env.services, { monitorBufferSize: 64, monitorIdleBackfillMs: 1000, leaseMs: 30_000, agingStepMs: 60_000 });
    const { url } = await b.start(0, "127.0.0.1");
    try {
      const executionId = await run(env.url, key);
      const { ticket } = (await mint(key)).body;
      const es = watch(monitorUrl(url, executionId, `&ticket=${ticket}`));
      await es.done;
      expectWholeRun(es.results);
    } finally {
      await b.stop();
    }
  });

  it("refuses a GET stream without a ticket (401 UNAUTHENTICATED), and forged, expired or misused tickets with their own codes", async () => {
    const executionId = await run(env.url, key);
    const sse = (extra: string, headers: Record<string, string> = {}) => fetch(monitorUrl(env.url, executionId, extra), { headers: { accept: "text/event-stream", ...headers } }).then(json);
    const none = await sse("");
    expect(none.status).toBe(401);
    expect(codes(none)).toEqual(["UNAUTHENTICATED"]);
    await expect(watch(monitorUrl(env.url, executionId)).done).rejects.toMatchObject({ status: 401 });

    const { ticket } = (await mint(key)).body;
    const forged = ticket!.replace(/\.[\w-]+$/, ".AAAA");
    const bad = await sse(`&ticket=${forged}`);
    expect([bad.status, ...codes(bad)]).toEqual([401, "STREAM_TICKET_INVALID"]);
    // Another key's signature does not make a ticket of this key.
    const [id, exp, nonce] = ticket!.slice(4).split(".");
    const theirs = (await mint(other)).body.ticket!.split(".")[3];
    expect(codes(await sse(`&ticket=est_${id}.${exp}.${nonce}.${theirs}`))).toEqual(["STREAM_TICKET_INVALID"]);
    // A ticket is good for a subscription only.
    const query = await fetch(`${env.url}?query=${encodeURIComponent("{ __typename }")}&ticket=${ticket}`, { headers: { accept: "text/event-stream", "x-graphql-yoga-csrf": "1" } }).then(json);
    expect(codes(query)).toEqual(["STREAM_TICKET_MISUSED"]);
    // A POST brings its key in the header: a ticket in its URL is ignored.
    const post = await fetch(`${env.url}?ticket=${(await mint(key)).body.ticket}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) }).then(json);
    expect([post.status, ...codes(post)]).toEqual([401, "UNAUTHENTICATED"]);

    const late = (await mint(key)).body.ticket!;
    await new Promise((r) => setTimeout(r, TTL_MS + 200));
    const expired = await sse(`&ticket=${late}`);
    expect([expired.status, ...codes(expired)]).toEqual([401, "STREAM_TICKET_INVALID"]);
    expect(expired.body.errors![0]!.message).toContain("expired");
  });

  it("mints tickets only for a working key", async () => {
    expect((await mint()).status).toBe(401);
    expect((await mint("eng_not-a-key")).body.errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
    expect((await fetch(`${env.url}/stream-ticket`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(405);
  });

  it("the graphql-sse client streams monitor with the key, in distinct and single connection mode; without it, 401", async () => {
    const executionId = await run(env.url, key);
    const [distinct, single] = await Promise.all([sseClientMonitor(`${env.url}/stream`, executionId, false, key), sseClientMonitor(`${env.url}/stream`, executionId, true, key)]);
    expectWholeRun(distinct);
    expectWholeRun(single);
    const put = await fetch(`${env.url}/stream`, { method: "PUT" }).then(json);
    expect([put.status, ...codes(put)]).toEqual([401, "UNAUTHENTICATED"]);
    await expect(sseClientMonitor(`${env.url}/stream`, executionId, true)).rejects.toBeDefined();
  });

  it("single connection mode by hand: the reserved stream opens from an EventSource (the token is its ticket, once); operations need the key that reserved it", async () => {
    const executionId = await run(env.url, key);
    const put = await fetch(`${env.url}/stream`, { method: "PUT", headers: { authorization: `Bearer ${key}` } });
    expect(put.status).toBe(201);
    const token = await put.text();
    const op = (as: string, id: string) =>
      fetch(`${env.url}/stream`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${as}`, "x-graphql-event-stream-token": token }, body: JSON.stringify({ query: MONITOR, variables: { executionId, afterSeq: 0 }, extensions: { operationId: id } }) });
    // Another key cannot use (or learn of) this reservation.
    const foreign = await op(other, "x").then(json);
    expect([foreign.status, ...codes(foreign)]).toEqual([404, "STREAM_NOT_FOUND"]);

    const results: Result[] = [];
    const es = new EventSource(`${env.url}/stream?token=${encodeURIComponent(token)}`);
    const completed = new Promise<void>((resolve, reject) => {
      es.addEventListener("next", (e) => results.push((JSON.parse((e as MessageEvent<string>).data) as { payload: Result }).payload));
      es.addEventListener("complete", () => resolve());
      es.addEventListener("error", () => es.readyState === es.CLOSED && reject(new Error("stream refused")));
    });
    await new Promise<void>((resolve) => es.addEventListener("open", () => resolve()));
    expect((await op(key, "1")).status).toBe(202);
    await completed;
    es.close();
    expectWholeRun(results);
    // The token opened its stream once: another GET of it is refused.
    const twice = await fetch(`${env.url}/stream?token=${encodeURIComponent(token)}`, { headers: { accept: "text/event-stream" } }).then(json);
    expect([409, 404]).toContain(twice.status);
  });

  it("drops a reservation nobody opens within the ticket time", async () => {
    const token = await (await fetch(`${env.url}/stream`, { method: "PUT", headers: { authorization: `Bearer ${key}` } })).text();
    await new Promise((r) => setTimeout(r, TTL_MS + 300));
    const res = await fetch(`${env.url}/stream?token=${encodeURIComponent(token)}`, { headers: { accept: "text/event-stream" } }).then(json);
    expect([res.status, ...codes(res)]).toEqual([404, "STREAM_NOT_FOUND"]);
  });

  it("a ticket's stream ends when its key is revoked", async () => {
    const victim = await createKey("victim", key);
    const list = await fetch(env.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ query: "{ apiKeys(first: 100) { edges { node { id name } } } }" }) });
    const victimId = ((await list.json()) as { data: { apiKeys: { edges: { node: { id: string; name: string } }[] } } }).data.apiKeys.edges.find((e) => e.node.name === "victim")!.node.id;
    const executionId = await schedule(env.url, await createDiamond(env.url, { a: 60_000, b: 1, c: 1 }, key), key);
    const { ticket } = (await mint(victim)).body;
    const abort = new AbortController();
    const res = await fetch(monitorUrl(env.url, executionId, `&ticket=${ticket}`), { headers: { accept: "text/event-stream" }, signal: abort.signal });
    expect(res.status).toBe(200);
    const ended = (async () => {
      try {
        for await (const _ of res.body as unknown as AsyncIterable<Uint8Array>);
      } catch {
        /* cut */
      }
    })();
    await fetch(env.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ query: `mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }`, variables: { id: victimId } }) });
    await Promise.race([ended, new Promise((_, reject) => setTimeout(() => reject(new Error("the stream outlived its key")), 5000))]);
    abort.abort();
    await fetch(env.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ query: `mutation($id: ID!) { cancelExecution(id: $id) { __typename } }`, variables: { id: executionId } }) });
  });
});
