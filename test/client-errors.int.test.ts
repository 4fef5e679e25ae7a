import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { startApi, type Proc } from "./helpers/processes.ts";

// One rule for every transport: a client's mistake is answered with GraphQL errors that each carry an
// extensions.code (and never yoga's internal extensions.http), never with a 5xx; over graphql-ws a
// request that cannot run (no data) is always an `error` message, as validation errors are.

type GqlError = { message: string; path?: unknown[]; extensions?: Record<string, unknown> };
type Answer = { status?: number; kind?: "next" | "error"; errors: GqlError[] };

const UNKNOWN = "8ff72ed9-4335-4090-ad5b-0076247191bd";
const MONITOR = "subscription($id: ID!, $after: Int) { monitor(executionId: $id, afterSeq: $after) { seq } }";

/** Subscriptions a client can get wrong, and the code each answer must carry (and the field named, if any). */
const MISTAKES: { name: string; query: string; variables?: Record<string, unknown>; operationName?: string; code: string; field?: string; streamed?: true }[] = [
  { name: "a malformed execution id", query: MONITOR, variables: { id: "nope" }, code: "InvalidIdError", field: "executionId" },
  { name: "a negative afterSeq", query: MONITOR, variables: { id: UNKNOWN, after: -1 }, code: "ValidationError", field: "afterSeq" },
  // Found out once the stream runs: plain HTTP (application/json) cannot carry a stream (406).
  { name: "an unknown execution", query: MONITOR, variables: { id: UNKNOWN }, code: "NotFoundError", streamed: true },
  { name: "alertTriggered with a malformed id", query: "subscription { alertTriggered(executionId: \"nope\") { id } }", code: "InvalidIdError", field: "executionId" },
  { name: "a variable of the wrong type", query: MONITOR, variables: { id: { not: "an id" } }, code: "BAD_USER_INPUT" },
  { name: "a missing variable", query: MONITOR, variables: {}, code: "BAD_USER_INPUT" },
  { name: "an unknown field", query: 'subscription { monitor(executionId: "x") { nope } }', code: "GRAPHQL_VALIDATION_FAILED" },
  { name: "a syntax error", query: "subscription { monitor(", code: "GRAPHQL_PARSE_FAILED" },
  { name: "an unknown operation name", query: 'subscription A { monitor(executionId: "x") { seq } }', operationName: "B", code: "OPERATION_RESOLUTION_FAILURE" },
];

/** Connection arguments a client can get wrong: the ValidationError names the argument. */
const PAGING: { query: string; field: string }[] = [
  { query: "{ executions(first: -1) { edges { cursor } } }", field: "first" },
  { query: '{ executions(first: 2, after: "zzz") { edges { cursor } } }', field: "after" },
  { query: '{ executions(last: 2, before: "zzz") { edges { cursor } } }', field: "before" },
  { query: '{ plans(first: 1) { edges { node { executions(first: 1, after: "zzz") { edges { cursor } } } } } }', field: "after" },
];

async function overHttp(url: string, body: object): Promise<Answer> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, errors: ((await res.json()) as { errors?: GqlError[] }).errors ?? [] };
}

/** GraphQL over SSE with fetch: the errors of every `next` event until `complete`. */
async function overSse(url: string, body: object): Promise<Answer> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify(body) });
  const text = await res.text();
  const events = text.split("\n\n").filter((b) => /^event: next$/m.test(b));
  const errors = events.flatMap((b) => (JSON.parse(b.split("\n").find((l) => l.startsWith("data:"))!.slice(5)) as { errors?: GqlError[] }).errors ?? []);
  expect(text).toMatch(/event: complete/);
  return { status: res.status, errors };
}

/** The real graphql-ws client: which sink the answer reached, and its errors. */
async function overWs(url: string, body: { query: string; variables?: Record<string, unknown>; operationName?: string }): Promise<Answer> {
  const client = createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0 });
  try {
    return await new Promise<Answer>((resolve) => {
      client.subscribe(body, {
        next: (msg) => resolve({ kind: "next", errors: (msg.errors ?? []) as GqlError[] }),
        error: (err) => resolve({ kind: "error", errors: Array.isArray(err) ? (err as GqlError[]) : [{ message: String(err) }] }),
        complete: () => resolve({ errors: [] }),
      });
    });
  } finally {
    await client.dispose();
  }
}

const expectCoded = (answer: Answer, code: string, field?: string) => {
  expect(answer.errors.length, JSON.stringify(answer)).toBeGreaterThan(0);
  for (const e of answer.errors) {
    expect(e.extensions?.code, JSON.stringify(e)).toBe(code);
    expect(e.extensions).not.toHaveProperty("http");
    if (field) expect(e.extensions?.field).toBe(field);
  }
};

describe.each(modes())("a client's mistake is a typed error with a code on every transport ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded, startWorker: false })));
  afterAll(async () => env?.stop());

  it.each(MISTAKES)("subscription with $name: over SSE, HTTP and graphql-ws", async ({ query, variables, operationName, code, field, streamed }) => {
    const body = { query, variables, operationName };
    const sse = await overSse(env.url, body);
    expect(sse.status).toBeLessThan(500);
    expectCoded(sse, code, field);
    const http = await overHttp(env.url, body);
    expect(http.status).toBeLessThan(500);
    if (streamed) expect(http.status).toBe(406);
    expectCoded(http, streamed ? "HTTP_406" : code, streamed ? undefined : field);
    const ws = await overWs(env.url, body);
    expect(ws.kind).toBe("error");
    expectCoded(ws, code, field);
  });

  it.each(PAGING)("$query: a ValidationError naming $field over HTTP and graphql-ws", async ({ query, field }) => {
    await overHttp(env.url, { query: 'mutation { createPlan(input: { name: "p", tasks: [{ key: "a", handler: "noop" }] }) { __typename } }' });
    const http = await overHttp(env.url, { query });
    expect(http.status).toBeLessThan(500);
    expectCoded(http, "ValidationError", field);
    expectCoded(await overWs(env.url, { query }), "ValidationError", field);
  });

  it("a browser's simple request without the CSRF header is a 403 with a code", async () => {
    const res = await fetch(`${env.url}?query=${encodeURIComponent("{ __typename }")}`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: "CSRF_HEADER_REQUIRED" } }] });
  });
});

// The limit on one WebSocket message is the transport's, the same in every mode: one API process.
describe.skipIf(!infra().available)("a WebSocket message over WS_MAX_PAYLOAD_BYTES", () => {
  let api: { proc: Proc; url: string };
  beforeAll(async () => void (api = await startApi({ DATABASE_URL: await createTestDatabase(), REDIS_URL: infra().redisUrl, WS_MAX_PAYLOAD_BYTES: String(1024 * 1024) })));
  afterAll(async () => api?.proc.stop());

  it("closes that socket with 1009 and logs it through pino, printing nothing to stderr", async () => {
    const socket = new WebSocket(api.url.replace(/^http/, "ws"), "graphql-transport-ws");
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    socket.send(JSON.stringify({ type: "connection_init" }));
    await new Promise((resolve) => socket.once("message", resolve));
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "{ __typename }", variables: { pad: "x".repeat(1024 * 1024) } } }));
    expect(await closed).toBe(1009);
    const line = await api.proc.waitFor((l) => l.msg === "WebSocket closed: the client sent what the server refuses");
    expect(line).toMatchObject({ level: 40, code: "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" });
    expect(await overWs(api.url, { query: "{ __typename }" })).toEqual({ kind: "next", errors: [] });
    expect(api.proc.stderr()).toBe("");
  });
});
