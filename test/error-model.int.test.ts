import { request as httpRequest } from "node:http";
import { Writable } from "node:stream";
import { createHash } from "node:crypto";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, isErrorCode, type ErrorCode } from "../src/graphql/error-codes.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";

// The error model (README "Errors"), through the real server and real clients: every code of
// ERROR_CODES a client can cause, on each transport where it applies (HTTP POST and GET, SSE POST and GET,
// graphql-ws), with the same extensions.code (and field); mutations keep returning their union members.

type Err = { message: string; path?: unknown[]; extensions?: Record<string, unknown> };
type Answer = { status?: number; kind?: "next" | "error" | "closed"; closeCode?: number; data?: unknown; errors: Err[] };
type Body = { query: string; variables?: Record<string, unknown>; operationName?: string; extensions?: Record<string, unknown> };
type Transport = "POST" | "GET" | "SSE POST" | "SSE GET" | "ws";

const UNKNOWN = "8ff72ed9-4335-4090-ad5b-0076247191bd";
const QUERIES: Transport[] = ["POST", "GET", "SSE POST", "SSE GET", "ws"];
const SUBSCRIPTIONS: Transport[] = ["SSE POST", "SSE GET", "ws"];
const MONITOR = "subscription($id: ID!, $after: Int) { monitor(executionId: $id, afterSeq: $after) { seq } }";

/** Codes this file does not produce, and the test that does. */
const ELSEWHERE: Partial<Record<ErrorCode, string>> = {
  InvalidTransitionError: "test/control.int.test.ts (as data; no query or subscription raises it)",
  DuplicateTaskKeyError: "test/bad-input.int.test.ts (as data)",
  UnknownDependencyError: "test/bad-input.int.test.ts (as data)",
  UnknownHandlerError: "test/bad-input.int.test.ts (as data)",
  ResourceUnavailableError: "test/resources.int.test.ts (as data)",
  PERSISTED_QUERY_MISMATCH: "test/persisted-operations.int.test.ts",
  PERSISTED_QUERY_NOT_SUPPORTED: "test/persisted-operations.int.test.ts",
  PERSISTED_QUERY_NOT_IN_LIST: "test/persisted-operations.int.test.ts (trusted documents)",
  PERSISTED_QUERY_ID_REQUIRED: "test/persisted-operations.int.test.ts (trusted documents)",
  GRAPHIQL_DISABLED: "test/persisted-operations.int.test.ts (trusted documents)",
  STREAM_TICKET_MISUSED: "test/browser-streams.int.test.ts",
};
const seen = new Set<string>();

const csrf = { "x-graphql-yoga-csrf": "1" };
const bearer = (key?: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});
const params = (body: Body) =>
  new URLSearchParams(Object.entries(body).flatMap(([k, v]) => (v === undefined ? [] : [[k, typeof v === "string" ? v : JSON.stringify(v)]])));

/** An HTTP answer: JSON, or the errors of every SSE `next` event (which must end with `complete`). */
async function read(res: Response): Promise<Answer> {
  const text = await res.text();
  if (!(res.headers.get("content-type") ?? "").includes("text/event-stream")) {
    const json = JSON.parse(text) as { data?: unknown; errors?: Err[] };
    return { status: res.status, data: json.data, errors: json.errors ?? [] };
  }
  expect(text).toMatch(/event: complete/);
  const events = text.split("\n\n").filter((b) => /^event: next$/m.test(b)).map((b) => JSON.parse(b.split("\n").find((l) => l.startsWith("data:"))!.slice(5)) as { data?: unknown; errors?: Err[] });
  return { status: res.status, data: events[0]?.data, errors: events.flatMap((e) => e.errors ?? []) };
}

async function overWs(url: string, body: Body, key?: string): Promise<Answer> {
  const client = createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: key ? { authorization: `Bearer ${key}` } : undefined });
  try {
    return await new Promise<Answer>((resolve) => {
      client.subscribe(body, {
        next: (msg) => resolve({ kind: "next", data: msg.data, errors: (msg.errors ?? []) as Err[] }),
        error: (err) =>
          resolve(Array.isArray(err) ? { kind: "error", errors: err as Err[] } : { kind: "closed", closeCode: (err as { code?: number }).code, errors: [] }),
        complete: () => resolve({ errors: [] }),
      });
    });
  } finally {
    await client.dispose();
  }
}

/** One operation over one transport. `csrf: false`: a GET as an EventSource sends it (no header). */
function send(url: string, transport: Transport, body: Body, opts: { key?: string; csrf?: boolean } = {}): Promise<Answer> {
  const headers = { ...bearer(opts.key), ...(opts.csrf === false ? {} : csrf) };
  switch (transport) {
    case "POST":
      return fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) }).then(read);
    case "SSE POST":
      return fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify(body) }).then(read);
    case "GET":
      return fetch(`${url}?${params(body)}`, { headers: { ...headers, accept: "application/json" } }).then(read);
    case "SSE GET":
      return fetch(`${url}?${params(body)}`, { headers: { ...headers, accept: "text/event-stream" } }).then(read);
    case "ws":
      return overWs(url, body, opts.key);
  }
}

/** Every error of the answer has the code (listed), no internal extensions.http, and the extensions given. */
function expectCoded(answer: Answer, code: ErrorCode, extensions: Record<string, unknown> = {}, label = "") {
  expect(isErrorCode(code)).toBe(true);
  expect(answer.errors.length, `${label} ${JSON.stringify(answer)}`).toBeGreaterThan(0);
  for (const e of answer.errors) {
    expect(e.extensions?.code, `${label} ${JSON.stringify(e)}`).toBe(code);
    expect(e.extensions).not.toHaveProperty("http");
    expect(e.extensions).toMatchObject(extensions);
  }
  expect(answer.status ?? 200, label).toBeLessThan(500);
  seen.add(code);
}

/** The same code (and extensions) on each transport; over graphql-ws an operation without data is an `error` message. */
async function expectEverywhere(url: string, transports: Transport[], body: Body, code: ErrorCode, extensions: Record<string, unknown> = {}, opts: { key?: string } = {}) {
  const answers: Partial<Record<Transport, Answer>> = {};
  for (const t of transports) {
    const answer = (answers[t] = await send(url, t, body, opts));
    expectCoded(answer, code, extensions, t);
    // An operation that cannot run (a subscription's refused argument, a request error) is one `error`
    // message; a result with a `data` key, even null, is a `next` with its errors.
    if (t === "ws") expect(answer.kind, JSON.stringify(answer)).toBe(body.query.startsWith("subscription") || answer.data === undefined ? "error" : "next");
  }
  return answers;
}

const createPlan = (url: string, tasks: string) =>
  send(url, "POST", { query: `mutation { createPlan(input: { name: "p", tasks: ${tasks} }) { __typename ... on Plan { id } ... on Error { message } ... on ValidationError { field } ... on CycleError { cycle } } }` });

describe.each(modes())("one error model on HTTP, SSE and graphql-ws ($mode)", ({ embedded }) => {
  let env: InProcess;
  let executionId: string;
  let log = "";
  beforeAll(async () => {
    const logDestination = new Writable({ write: (chunk: Buffer, _enc, done) => ((log += chunk.toString()), done()) });
    env = await startInProcess({
      embedded,
      startWorker: false,
      logDestination,
      limits: { maxDepth: 8, maxAliases: 3, maxDirectives: 3, maxTokens: 400, maxCost: 5000, maxBodyBytes: 64 * 1024, wsMaxSubscriptions: 1 },
    });
    const plan = (await createPlan(env.url, '[{ key: "a", handler: "noop" }]')).data as { createPlan: { id: string } };
    const scheduled = await send(env.url, "POST", { query: "mutation($p: ID!) { scheduleExecution(input: { planId: $p }) { ... on Execution { id } } }", variables: { p: plan.createPlan.id } });
    executionId = (scheduled.data as { scheduleExecution: { id: string } }).scheduleExecution.id;
  });
  afterAll(async () => env?.stop());

  describe("mutations: expected refusals are data (union members implementing Error), never errors[]", () => {
    it.each(["POST", "SSE POST", "ws"] as const)("over %s", async (t) => {
      for (const [id, typename] of [["nope", "InvalidIdError"], [UNKNOWN, "NotFoundError"]] as const) {
        const answer = await send(env.url, t, { query: "mutation($id: ID!) { pauseExecution(id: $id) { __typename ... on Error { message } } }", variables: { id } });
        expect(answer.errors, t).toEqual([]);
        expect(answer.data).toMatchObject({ pauseExecution: { __typename: typename, message: expect.any(String) } });
      }
      const cycle = await send(env.url, t, { query: 'mutation { createPlan(input: { name: "c", tasks: [{ key: "a", handler: "noop", dependsOn: ["b"] }, { key: "b", handler: "noop", dependsOn: ["a"] }] }) { __typename ... on CycleError { field cycle } } }' });
      expect(cycle).toMatchObject({ errors: [], data: { createPlan: { __typename: "CycleError", field: "tasks" } } });
      const invalid = await send(env.url, t, { query: 'mutation { createPlan(input: { name: "v", tasks: [] }) { __typename ... on ValidationError { field } } }' });
      expect(invalid).toMatchObject({ errors: [], data: { createPlan: { __typename: "ValidationError", field: "tasks" } } });
      for (const typename of ["InvalidIdError", "NotFoundError", "CycleError", "ValidationError"]) seen.add(typename);
    });
  });

  describe("queries and subscriptions: refusals are GraphQL errors coded with the same type names", () => {
    it("a malformed ID in a query: InvalidIdError naming the argument, the field null", async () => {
      for (const query of ['{ execution(id: "nope") { id } }', '{ plan(id: "nope") { id } }', '{ node(id: "nope") { id } }']) {
        const answers = await expectEverywhere(env.url, QUERIES, { query }, "InvalidIdError", { field: "id", value: "nope", reason: expect.any(String) });
        for (const a of Object.values(answers)) expect(a.errors[0]!.path).toHaveLength(1);
      }
    });

    it("a well-formed ID without a row is null in a query, with no error", async () => {
      for (const t of QUERIES) expect(await send(env.url, t, { query: "query($id: ID!) { execution(id: $id) { id } }", variables: { id: UNKNOWN } })).toMatchObject({ errors: [], data: { execution: null } });
    });

    it("a malformed ID in a subscription: the same InvalidIdError over SSE (POST, GET, an EventSource's header-less GET) and graphql-ws (an error message)", async () => {
      const body = { query: MONITOR, variables: { id: "nope" } };
      const answers = await expectEverywhere(env.url, SUBSCRIPTIONS, body, "InvalidIdError", { field: "executionId" });
      expect(answers["SSE POST"]!.status).toBe(200);
      expect(answers.ws!.kind).toBe("error");
      expectCoded(await send(env.url, "SSE GET", body, { csrf: false }), "InvalidIdError", { field: "executionId" });
      await expectEverywhere(env.url, SUBSCRIPTIONS, { query: 'subscription { alertTriggered(executionId: "nope") { id } }' }, "InvalidIdError", { field: "executionId" });
    });

    it("afterSeq: -1 is a ValidationError naming it", async () => {
      await expectEverywhere(env.url, SUBSCRIPTIONS, { query: MONITOR, variables: { id: executionId, after: -1 } }, "ValidationError", { field: "afterSeq", reason: "must be 0 or more" });
    });

    it("a subscription to an execution that does not exist: NotFoundError at the field, not logged as a failure", async () => {
      log = "";
      const answers = await expectEverywhere(env.url, SUBSCRIPTIONS, { query: MONITOR, variables: { id: UNKNOWN } }, "NotFoundError", { entity: "Execution", entityId: UNKNOWN });
      for (const [t, a] of Object.entries(answers)) expect(a.errors[0]!.path, `${t} ${JSON.stringify(a)}`).toEqual(["monitor"]);
      expect(log.split("\n").filter((l) => l.includes('"level":50'))).toEqual([]);
    });

    it.each([
      ["{ plans(first: -1) { edges { cursor } } }", "first"],
      ['{ plans(first: 1, after: "zzz") { edges { cursor } } }', "after"],
      ["{ executions(first: -1) { edges { cursor } } }", "first"],
      ['{ executions(last: 2, before: "zzz") { edges { cursor } } }', "before"],
      ['{ execution(id: "ID") { timeline(first: 1, after: "zzz") { totalCount } } }', "after"],
    ])("bad pagination %s: a ValidationError naming %s", async (query, field) => {
      await expectEverywhere(env.url, QUERIES, { query: query.replace('"ID"', JSON.stringify(executionId)) }, "ValidationError", { field, reason: expect.any(String) });
    });

    it("more than 100 nodes(ids:): a ValidationError naming ids", async () => {
      await expectEverywhere(env.url, ["POST", "SSE POST", "ws"], { query: "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", variables: { ids: Array.from({ length: 101 }, () => UNKNOWN) } }, "ValidationError", { field: "ids" });
    });
  });

  describe("request errors and limits: the same code on every transport", () => {
    it.each<[string, Body, ErrorCode]>([
      ["a variable of the wrong type", { query: "query($id: ID!) { execution(id: $id) { id } }", variables: { id: { not: "an id" } } }, "BAD_USER_INPUT"],
      ["a missing variable", { query: MONITOR, variables: {} }, "BAD_USER_INPUT"],
      ["a syntax error", { query: "{ plans(" }, "GRAPHQL_PARSE_FAILED"],
      ["an unknown field", { query: "{ nope }" }, "GRAPHQL_VALIDATION_FAILED"],
      ["an unknown operation name", { query: "query A { __typename }", operationName: "B" }, "OPERATION_RESOLUTION_FAILURE"],
      ["too deep", { query: "{ plans(first: 1) { edges { node { executions(first: 1) { edges { node { timeline(first: 1) { edges { node { seq } } } } } } } } } }" }, "QUERY_TOO_DEEP"],
      ["too many aliases", { query: `{ a: plans { edges { cursor } } b: plans { edges { cursor } } c: plans { edges { cursor } } d: plans { edges { cursor } } }` }, "TOO_MANY_ALIASES"],
      ["too many directives", { query: "{ a: __typename @include(if: true) b: __typename @include(if: true) c: __typename @skip(if: false) d: __typename @skip(if: false) }" }, "TOO_MANY_DIRECTIVES"],
      ["too many tokens", { query: `{ ${Array.from({ length: 500 }, () => "__typename").join(" ")} }` }, "QUERY_TOO_LARGE"],
      ["too costly", { query: "{ executions(first: 100) { edges { node { timeline(first: 100) { edges { node { seq } } } } } } }" }, "QUERY_TOO_COSTLY"],
    ])("%s", async (_name, body, code) => {
      await expectEverywhere(env.url, QUERIES, body, code);
    });

    it("an unknown APQ hash: PERSISTED_QUERY_NOT_FOUND over HTTP and graphql-ws", async () => {
      const sha256Hash = createHash("sha256").update("{ nothing }").digest("hex");
      const extensions = { persistedQuery: { version: 1, sha256Hash } };
      expectCoded(await fetch(env.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ extensions }) }).then(read), "PERSISTED_QUERY_NOT_FOUND");
      expectCoded(await send(env.url, "GET", { query: "", extensions }), "PERSISTED_QUERY_NOT_FOUND");
      expectCoded(await overWs(env.url, { query: "", extensions }), "PERSISTED_QUERY_NOT_FOUND");
    });

    it("HTTP-only refusals carry a listed code too", async () => {
      const get = (path: string, init: RequestInit = {}) => fetch(env.url.replace(/\/graphql$/, path), init).then(read);
      expectCoded(await get(`/graphql?query=${encodeURIComponent("{ __typename }")}`), "CSRF_HEADER_REQUIRED");
      expectCoded(await get("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), "BAD_REQUEST");
      expectCoded(await get("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: "{" }), "BAD_REQUEST");
      expectCoded(await get("/graphql", { method: "POST", headers: { "content-type": "application/xml" }, body: "<a/>" }), "HTTP_415");
      const stream = await get("/graphql", { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify({ query: MONITOR, variables: { id: executionId } }) });
      expect(stream.status).toBe(406);
      expectCoded(stream, "HTTP_406");
      expectCoded(await get("/graphql/stream-ticket"), "HTTP_405");
      expectCoded(await get("/nothing-here"), "HTTP_404");
      const big = await get("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(100 * 1024) } }) });
      expect(big.status).toBe(413);
      expectCoded(big, "REQUEST_TOO_LARGE", { maxBytes: 64 * 1024 });
      expectCoded(await get(`/graphql/stream?token=nope`, { headers: { accept: "text/event-stream" } }), "STREAM_NOT_FOUND");
      const foreignHost = await new Promise<Answer>((resolve, reject) => {
        const req = httpRequest(env.url, { method: "POST", headers: { host: "evil.example", "content-type": "application/json" } }, (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString())).on("end", () => resolve({ status: res.statusCode, errors: (JSON.parse(text) as { errors: Err[] }).errors }));
        });
        req.on("error", reject).end(JSON.stringify({ query: "{ __typename }" }));
      });
      expect(foreignHost.status).toBe(403);
      expectCoded(foreignHost, "HOST_NOT_ALLOWED");
    });

    it("graphql-sse reservations: STREAM_ALREADY_OPEN (409) and TOO_MANY_STREAM_RESERVATIONS (429)", async () => {
      const stream = env.url.replace(/\/graphql$/, "/graphql/stream");
      const token = await (await fetch(stream, { method: "PUT" })).text();
      const abort = new AbortController();
      const open = await fetch(stream, { headers: { accept: "text/event-stream", "x-graphql-event-stream-token": token }, signal: abort.signal });
      expect(open.status).toBe(200);
      try {
        const again = await fetch(stream, { headers: { accept: "text/event-stream", "x-graphql-event-stream-token": token } }).then(read);
        expect(again.status).toBe(409);
        expectCoded(again, "STREAM_ALREADY_OPEN");
      } finally {
        abort.abort();
      }
      let refused: Answer | undefined;
      for (let i = 0; i < 20 && !refused; i++) {
        const res = await fetch(stream, { method: "PUT" });
        if (res.status !== 201 && res.status !== 200) refused = await read(res);
        else await res.text();
      }
      expect(refused?.status).toBe(429);
      expectCoded(refused!, "TOO_MANY_STREAM_RESERVATIONS");
    });

    it("more operations on one graphql-ws connection than WS_MAX_SUBSCRIPTIONS: TOO_MANY_SUBSCRIPTIONS", async () => {
      const client = createClient({ url: env.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0 });
      try {
        client.subscribe({ query: MONITOR, variables: { id: executionId } }, { next: () => undefined, error: () => undefined, complete: () => undefined });
        const second = await new Promise<Err[]>((resolve) => client.subscribe({ query: MONITOR, variables: { id: executionId } }, { next: () => undefined, error: (e) => resolve(e as Err[]), complete: () => resolve([]) }));
        expectCoded({ kind: "error", errors: second }, "TOO_MANY_SUBSCRIPTIONS");
      } finally {
        await client.dispose();
      }
    });
  });

  // Last: the first API key switches authentication on for good (keys mode).
  describe("with API keys", () => {
    let viewer: string;
    beforeAll(async () => {
      const created = await send(env.url, "POST", { query: 'mutation { createApiKey(name: "viewer", role: VIEWER) { ... on CreateApiKeyPayload { secret } } }' });
      viewer = (created.data as { createApiKey: { secret: string } }).createApiKey.secret;
    });

    it("no usable key: UNAUTHENTICATED over HTTP and SSE (401); graphql-ws closes with 4401", async () => {
      for (const key of [undefined, "eng_wrong"]) {
        for (const t of ["POST", "GET", "SSE POST"] as const) {
          const answer = await send(env.url, t, { query: "{ plans { edges { cursor } } }" }, { key });
          expect(answer.status, t).toBe(401);
          expectCoded(answer, "UNAUTHENTICATED", {}, t);
        }
        const sub = await send(env.url, "SSE POST", { query: MONITOR, variables: { id: "nope" } }, { key });
        expect(sub.status).toBe(401);
        expectCoded(sub, "UNAUTHENTICATED");
        expect(await overWs(env.url, { query: "{ plans { edges { cursor } } }" }, key)).toMatchObject({ kind: "closed", closeCode: 4401 });
      }
      const ticket = await fetch(`${env.url}?${params({ query: MONITOR, variables: { id: executionId } })}&ticket=est_forged`, { headers: { accept: "text/event-stream" } }).then(read);
      expect(ticket.status).toBe(401);
      expectCoded(ticket, "STREAM_TICKET_INVALID");
    });

    it("a field above the key's role: FORBIDDEN with requiredRole, on every transport", async () => {
      await expectEverywhere(env.url, ["POST", "SSE POST", "ws"], { query: "mutation($id: ID!) { pauseExecution(id: $id) { __typename } }", variables: { id: executionId } }, "FORBIDDEN", { requiredRole: "OPERATOR" }, { key: viewer });
      await expectEverywhere(env.url, QUERIES, { query: "{ apiKeys { edges { cursor } } }" }, "FORBIDDEN", { requiredRole: "ADMIN" }, { key: viewer });
    });

    it("the key's refusals as data and errors are unchanged: a malformed ID in a query", async () => {
      await expectEverywhere(env.url, QUERIES, { query: '{ execution(id: "nope") { id } }' }, "InvalidIdError", { field: "id" }, { key: viewer });
      await expectEverywhere(env.url, SUBSCRIPTIONS, { query: MONITOR, variables: { id: "nope" } }, "InvalidIdError", { field: "executionId" }, { key: viewer });
    });

    it("introspection, off in keys mode: INTROSPECTION_DISABLED", async () => {
      await expectEverywhere(env.url, QUERIES, { query: "{ __schema { types { name } } }" }, "INTROSPECTION_DISABLED", {}, { key: viewer });
    });
  });
});

describe.each(modes())("rate limits and unexpected failures ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded, startWorker: false, limits: { rateLimit: { perSecond: 0.01, burst: 2 } } })));
  afterAll(async () => env?.stop());

  it("over the rate: RATE_LIMITED on every transport (HTTP 429)", async () => {
    for (let i = 0; i < 2; i++) await send(env.url, "POST", { query: "{ __typename }" });
    for (const t of QUERIES) {
      const answer = await send(env.url, t, { query: "{ __typename }" });
      if (t !== "ws") expect(answer.status, t).toBe(429);
      expectCoded(answer, "RATE_LIMITED", { retryAfterSeconds: expect.any(Number) }, t);
    }
  });
});

describe.each(modes())("an unexpected failure ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded, startWorker: false })));
  afterAll(async () => env?.stop());

  it("is INTERNAL_SERVER_ERROR, `Unexpected error.`, on HTTP and graphql-ws", async () => {
    await env.closeDatabase();
    for (const t of ["POST", "ws"] as const) {
      const answer = await send(env.url, t, { query: "{ plans { edges { cursor } } }" });
      expect(answer.errors.length, JSON.stringify(answer)).toBeGreaterThan(0);
      for (const e of answer.errors) expect(e).toMatchObject({ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } });
      seen.add("INTERNAL_SERVER_ERROR");
    }
  });
});

describe("the list", () => {
  it("every code of ERROR_CODES was produced above, or is named with the test that produces it", () => {
    const missing = Object.keys(ERROR_CODES).filter((code) => !seen.has(code) && !(code in ELSEWHERE));
    expect(missing).toEqual([]);
    for (const code of Object.keys(ELSEWHERE)) expect(isErrorCode(code)).toBe(true);
  });
});
