import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { infra } from "./helpers/infra.ts";
import { startInProcess, type InProcess } from "./helpers/inprocess.ts";

// Every limit of src/graphql/limits.ts and src/api/limits.ts, hit through the real server: a 4xx or a
// GraphQL error with a clear message and a code, over HTTP and over graphql-ws.

type Body = { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };

async function post(url: string, payload: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Body; headers: Headers }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(payload) });
  return { status: res.status, body: (await res.json()) as Body, headers: res.headers };
}

const codes = (body: Body) => (body.errors ?? []).map((e) => e.extensions?.code);

/** One operation over graphql-ws; resolves with what the server sent (errors included) instead of throwing. */
function wsOnce(client: Client, query: string): Promise<Body> {
  return new Promise((resolve) => {
    let last: Body = {};
    client.subscribe({ query }, {
      next: (msg) => void (last = msg as Body),
      error: (err) => resolve(Array.isArray(err) ? { errors: err as Body["errors"] } : { errors: [{ message: String((err as Error).message ?? err) }] }),
      complete: () => resolve(last),
    });
  });
}

/** Sends `head` and a partial body on a raw socket, then closes it mid-body (the declared length is never reached). */
async function abortMidBody(url: string, path: string, partial = '{"query":'): Promise<void> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n${partial}`);
  await new Promise((r) => setTimeout(r, 50)); // the server is reading the body
  socket.destroy();
  await new Promise((r) => setTimeout(r, 50));
}

const wsClient = (url: string) => createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });

const nested = (depth: number) => "{ plans { edges { node { " + "executions { edges { node { plan { ".repeat(depth) + "id" + " } } } }".repeat(depth) + " } } } }";

describe.skipIf(!infra().available)("hardening: limits and hostile input", () => {
  let env: InProcess;
  let locked: InProcess; // introspection and suggestions off, tight rate limit and WebSocket caps

  beforeAll(async () => {
    env = await startInProcess({ startWorker: false, limits: { maxBodyBytes: 64 * 1024 } });
    locked = await startInProcess({
      startWorker: false,
      limits: { corsOrigins: ["https://app.example"], introspection: false, fieldSuggestions: false, rateLimit: { perSecond: 0.5, burst: 3 }, wsMaxSubscriptions: 2, wsMaxPayloadBytes: 4096 },
    });
  });

  afterAll(async () => {
    await env?.stop();
    await locked?.stop();
  });

  it("refuses queries deeper than 12", async () => {
    const { status, body } = await post(env.url, { query: nested(3) });
    expect(status).toBeLessThan(500);
    expect(codes(body)).toContain("QUERY_TOO_DEEP"); // and QUERY_TOO_COSTLY: each connection without first costs 20 pages
    expect(body.errors?.find((e) => e.extensions?.code === "QUERY_TOO_DEEP")?.message).toMatch(/Query depth limit of 12 exceeded, found \d+/);
  });

  it("refuses queries costing more than 50000", async () => {
    const query = "{ plans(first: 100) { edges { node { id name executions(first: 100) { edges { node { id status priority createdAt lastSeq } } } } } } }";
    const { body } = await post(env.url, { query });
    expect(codes(body)).toContain("QUERY_TOO_COSTLY");
    expect(body.errors?.[0]?.message).toMatch(/Query Cost limit of 50000 exceeded/);
  });

  it("costs a variable first/last as the largest page and a missing one as the default page", async () => {
    const query = "query($f: Int) { plans(first: $f) { edges { node { id name executions(first: $f) { edges { node { id status priority createdAt lastSeq } } } } } } }";
    const literal = await post(env.url, { query: query.replace("query($f: Int)", "").replaceAll("$f", "100") });
    expect(codes(literal.body)).toEqual(["QUERY_TOO_COSTLY"]);
    // Validation does not know the variables' values (and is cached per document): any value costs the largest page.
    for (const variables of [{ f: 100 }, { f: 1 }, {}]) {
      const { status, body } = await post(env.url, { query, variables });
      expect(status).toBeLessThan(500);
      expect(body.errors, JSON.stringify(variables)).toEqual(literal.body.errors);
    }
    // Without first, a connection costs its default page of 20: 20 × 20 × 8 fits, 20 × 100 × 8 does not.
    const small = await post(env.url, { query: "{ plans { edges { node { id name executions { edges { node { id status priority createdAt lastSeq } } } } } } }" });
    expect(small.body.errors).toBeUndefined();
    const client = wsClient(env.url);
    try {
      expect(codes(await wsOnce(client, "{ plans(first: 100) { edges { node { executions(last: 100) { edges { node { id status priority createdAt lastSeq } } } } } } }"))).toEqual(["QUERY_TOO_COSTLY"]);
    } finally {
      await client.dispose();
    }
  });

  it("refuses more than 15 aliases", async () => {
    const query = `{ ${Array.from({ length: 20 }, (_, i) => `p${i}: plans(first: 1) { pageInfo { hasNextPage } }`).join(" ")} }`;
    const { body } = await post(env.url, { query });
    expect(codes(body)).toContain("TOO_MANY_ALIASES");
    expect(body.errors?.[0]?.message).toMatch(/Aliases limit of 15 exceeded/);
  });

  it("refuses more than 5000 tokens, before parsing the rest", async () => {
    const { status, body } = await post(env.url, { query: `{ ${"a ".repeat(6000)}}` });
    expect(status).toBeLessThan(500);
    expect(codes(body)).toEqual(["QUERY_TOO_LARGE"]);
    expect(body.errors?.[0]?.message).toMatch(/Token limit of 5000 exceeded/);
  });

  it("refuses more than 50 directives", async () => {
    const query = `{ ${"... on Query @include(if: true) { __typename } ".repeat(60)}}`;
    const { body } = await post(env.url, { query });
    expect(codes(body)).toContain("TOO_MANY_DIRECTIVES");
    expect(body.errors?.[0]?.message).toMatch(/Directives limit of 50 exceeded/);
  });

  it("applies the same limits to graphql-ws operations", async () => {
    const client = wsClient(env.url);
    try {
      expect(codes(await wsOnce(client, nested(3)))).toContain("QUERY_TOO_DEEP");
      expect(codes(await wsOnce(client, `{ ${"a ".repeat(6000)}}`))).toContain("QUERY_TOO_LARGE");
      expect(await wsOnce(client, "{ __typename }")).toEqual({ data: { __typename: "Query" } });
    } finally {
      await client.dispose();
    }
  });

  it("caps page sizes at 100 and nodes(ids:) at 100 IDs", async () => {
    // 101 plans: first: 100000 returns 100 of them and says there are more.
    const values = Array.from({ length: 101 }, (_, i) => `(gen_random_uuid(), 'cap-${i}')`).join(", ");
    await env.services.db.sql.query(`INSERT INTO "Plan" (id, name) VALUES ${values}`);
    const { body } = await post(env.url, { query: "query($f: Int) { plans(first: $f) { edges { node { id } } pageInfo { hasNextPage } } }", variables: { f: 100_000 } });
    expect(body.errors).toBeUndefined();
    const page = (body.data as { plans: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } }).plans;
    expect(page.edges).toHaveLength(100);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const ids = Array.from({ length: 101 }, () => encodeGlobalID("Plan", "8ff72ed9-4335-4090-ad5b-0076247191bd"));
    const nodes = await post(env.url, { query: "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", variables: { ids } });
    expect(nodes.body.errors?.[0]).toMatchObject({ message: "ids: at most 100 IDs at once, got 101", extensions: { code: "ValidationError", field: "ids" } });
  });

  it("nodes(ids:) answers each id like node(id:): InvalidIdError for a malformed one, null for an unknown one", async () => {
    const created = await post(env.url, { query: 'mutation { createPlan(input: { name: "nodes", tasks: [{ key: "a", handler: "noop" }] }) { ... on Plan { id } } }' });
    const planId = (created.body.data as { createPlan: { id: string } }).createPlan.id;
    const unknown = encodeGlobalID("Plan", "8ff72ed9-4335-4090-ad5b-0076247191bd");
    const ids = [planId, encodeGlobalID("Plan", "42"), unknown, encodeGlobalID("Nope", "8ff72ed9-4335-4090-ad5b-0076247191bd"), "not base64 !"];
    const { status, body } = await post(env.url, { query: "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", variables: { ids } });
    expect(status).toBeLessThan(500);
    expect(body.data).toEqual({ nodes: [{ id: planId }, null, null, null, null] });
    expect(body.errors?.map((e) => [e.extensions?.code, (e as { path?: unknown[] }).path])).toEqual([
      ["InvalidIdError", ["nodes", 1]],
      ["InvalidIdError", ["nodes", 3]],
      ["InvalidIdError", ["nodes", 4]],
    ]);
    for (const id of ids.slice(1)) {
      const one = await post(env.url, { query: "query($id: ID!) { node(id: $id) { id } }", variables: { id } });
      expect(one.body.errors?.map((e) => e.extensions?.code) ?? [], id).toEqual(id === unknown ? [] : ["InvalidIdError"]);
    }
  });

  it("answers a body over the limit with 413, declared or chunked, and keeps serving", async () => {
    const big = JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(100 * 1024) } });
    const declared = await fetch(env.url, { method: "POST", headers: { "content-type": "application/json" }, body: big });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ errors: [{ message: "request body larger than 65536 bytes", extensions: { code: "REQUEST_TOO_LARGE" } }] });
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode(big.slice(i * 11_000, (i + 1) * 11_000)));
        c.close();
      },
    });
    const chunked = await fetch(env.url, { method: "POST", headers: { "content-type": "application/json" }, body: chunks, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await post(env.url, { query: "{ __typename }" })).body).toEqual({ data: { __typename: "Query" } });
  });

  it("applies the body limit on every path yoga serves, not only /graphql", async () => {
    const big = JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(100 * 1024) } });
    const origin = new URL(env.url).origin;
    for (const path of ["/graphql/", "/x/graphql", "/?a=/graphql", "/graphql?x=1", "/anything"]) {
      const res = await fetch(origin + path, { method: "POST", headers: { "content-type": "application/json" }, body: big });
      expect(res.status, path).toBe(413);
      expect(await res.json(), path).toMatchObject({ errors: [{ extensions: { code: "REQUEST_TOO_LARGE" } }] });
    }
  });

  it("survives clients that close the socket mid-body (/graphql, /hooks/:id) and a failing key count", async () => {
    const hook = `/hooks/${"8ff72ed9-4335-4090-ad5b-0076247191bd"}`;
    for (const path of ["/graphql", hook, "/graphql", hook]) await abortMidBody(env.url, path);
    const health = await fetch(env.url.replace(/\/graphql$/, "/healthz"));
    expect(health.status).toBe(200);
    expect((await post(env.url, { query: "{ __typename }" })).body).toEqual({ data: { __typename: "Query" } });
    // Open mode counts the keys on every request; when that count fails, the last answer stands (no crash,
    // no 500, nothing about the table in the answer).
    await env.services.db.sql.query('ALTER TABLE "ApiKey" RENAME TO "ApiKey_hidden"');
    try {
      const metrics = await fetch(env.url.replace(/\/graphql$/, "/metrics"));
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).not.toContain("ApiKey");
    } finally {
      await env.services.db.sql.query('ALTER TABLE "ApiKey_hidden" RENAME TO "ApiKey"');
    }
    expect((await fetch(env.url.replace(/\/graphql$/, "/healthz"))).status).toBe(200);
  });

  it("rate-limits per client with 429 and Retry-After over HTTP, RATE_LIMITED over graphql-ws", async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await post(locked.url, { query: "{ __typename }" }));
    expect(results.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
    const limited = results[3]!;
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.body.errors?.[0]).toMatchObject({ extensions: { code: "RATE_LIMITED" } });
    expect(limited.body.errors?.[0]?.message).toMatch(/rate limit exceeded.*retry in \d+ s/);
    expect(limited.body.errors?.[0]?.extensions).not.toHaveProperty("http");
    const client = wsClient(locked.url);
    try {
      const ws = await wsOnce(client, "{ __typename }");
      expect(codes(ws)).toEqual(["RATE_LIMITED"]);
    } finally {
      await client.dispose();
    }
  });

  it("rate-limits per API key: one key's exhausted bucket leaves another key from the same address alone", async () => {
    const keyed = await startInProcess({ startWorker: false, limits: { rateLimit: { perSecond: 0.01, burst: 3 } } });
    try {
      // Open mode: this first key switches authentication on; the second is made with it.
      const admin = (await post(keyed.url, { query: `mutation { createApiKey(name: "admin", role: ADMIN) { ... on CreateApiKeyPayload { secret } } }` })).body as { data: { createApiKey: { secret: string } } };
      const adminKey = admin.data.createApiKey.secret;
      const second = (await post(keyed.url, { query: `mutation { createApiKey(name: "other", role: VIEWER) { ... on CreateApiKeyPayload { secret } } }` }, { authorization: `Bearer ${adminKey}` })).body as { data: { createApiKey: { secret: string } } };
      const as = (key: string) => ({ authorization: `Bearer ${key}` });
      // The admin key has used 1 of its 3 tokens; two more pass, the next is refused.
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await post(keyed.url, { query: "{ __typename }" }, as(adminKey))).status);
      expect(statuses).toEqual([200, 200, 429]);
      // Same address, another key: a bucket of its own.
      expect((await post(keyed.url, { query: "{ __typename }" }, as(second.data.createApiKey.secret))).status).toBe(200);
    } finally {
      await keyed.stop();
    }
  });

  it("rate-limits before parsing: 300 invalid queries from one client hit 429 (HTTP) and RATE_LIMITED (graphql-ws)", async () => {
    // A bucket of its own, refilling slowly enough that a loaded machine cannot keep pace with it by being slow.
    const fresh = await startInProcess({ startWorker: false, limits: { rateLimit: { perSecond: 2, burst: 200 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 300; i++) statuses.push((await post(fresh.url, { query: i % 2 ? "{ nope }" : "{ plans { " })).status);
      expect(statuses.slice(0, 150).every((s) => s === 200 || s === 400)).toBe(true);
      expect(statuses).toContain(429);
      const client = wsClient(fresh.url);
      try {
        const ws: unknown[][] = [];
        for (let i = 0; i < 300 && !ws.some((c) => c[0] === "RATE_LIMITED"); i++) ws.push(codes(await wsOnce(client, "{ nope }")));
        expect(ws).toContainEqual(["RATE_LIMITED"]); // the bucket refills at 2/s while we ask
        expect(ws.every((c) => c[0] === "RATE_LIMITED" || c[0] === "GRAPHQL_VALIDATION_FAILED")).toBe(true);
      } finally {
        await client.dispose();
      }
    } finally {
      await fresh.stop();
    }
  });

  it("caps operations per graphql-ws connection and the message size", async () => {
    await new Promise((r) => setTimeout(r, 2100)); // a token for the cap test
    const client = wsClient(locked.url);
    const open: (() => void)[] = [];
    try {
      const sub = (onError: (e: unknown) => void) => open.push(client.subscribe({ query: "subscription { alertTriggered { id } }" }, { next: () => undefined, error: onError, complete: () => undefined }));
      sub(() => undefined);
      sub(() => undefined);
      const third = await new Promise<unknown>((resolve) => sub(resolve));
      expect(third).toEqual([expect.objectContaining({ message: "too many operations on this connection: at most 2 at once", extensions: { code: "TOO_MANY_SUBSCRIPTIONS" } })]);
    } finally {
      for (const stop of open) stop();
      await client.dispose();
    }
    const socket = new WebSocket(locked.url.replace(/^http/, "ws"), "graphql-transport-ws");
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    await new Promise((r) => socket.once("open", r));
    socket.send(JSON.stringify({ type: "connection_init", payload: { pad: "x".repeat(8000) } }));
    expect(await closed).toBe(1009); // message too big
  });

  it("serves introspection and field suggestions in open mode by default", async () => {
    const intro = await post(env.url, { query: "{ __schema { queryType { name } } }" });
    expect(intro.body).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
    const typo = await post(env.url, { query: "{ plans { edgez { cursor } } }" });
    expect(typo.body.errors?.[0]?.message).toMatch(/Did you mean "edges"\?/);
  });

  it("turns introspection and field suggestions off when configured", async () => {
    await new Promise((r) => setTimeout(r, 4100)); // refill the tight bucket
    const intro = await post(locked.url, { query: "{ __schema { queryType { name } } }" });
    expect(intro.status).toBeLessThan(500);
    expect(codes(intro.body)).toEqual(["INTROSPECTION_DISABLED"]);
    expect(intro.body.errors?.[0]?.message).toMatch(/introspection.*off/i);
    const typo = await post(locked.url, { query: "{ plans { edgez { cursor } } }" });
    expect(typo.body.errors?.[0]?.message).toContain('Cannot query field "edgez"');
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean|"edges"/);
  });

  it("refuses browser-simple requests without the CSRF header; GraphiQL and JSON clients work", async () => {
    const get = await fetch(`${env.url}?query=${encodeURIComponent("{ __typename }")}`);
    expect(get.status).toBe(403);
    expect(JSON.stringify(await get.json())).toContain("Required CSRF header(s) not present");
    const form = await fetch(env.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "query=%7B__typename%7D" });
    expect(form.status).toBe(403);
    const text = await fetch(env.url, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: "{ __typename }" }) });
    expect(text.status).toBe(403);
    const withHeader = await fetch(`${env.url}?query=${encodeURIComponent("{ __typename }")}`, { headers: { "x-graphql-yoga-csrf": "1" } });
    expect(await withHeader.json()).toEqual({ data: { __typename: "Query" } });
    const graphiql = await fetch(env.url, { headers: { accept: "text/html" } });
    expect(graphiql.status).toBe(200);
    expect(await graphiql.text()).toContain("<html");
  });

  it("cross-site: no CORS headers for a foreign Origin unless CORS_ORIGINS lists it; WebSocket upgrades checked alike", async () => {
    const origin = new URL(env.url).origin;
    const corsOf = async (url: string, from: string, method = "POST") => {
      const res = await fetch(url, method === "OPTIONS"
        ? { method, headers: { origin: from, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } }
        : { method, headers: { origin: from, "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) });
      return { allow: res.headers.get("access-control-allow-origin"), credentials: res.headers.get("access-control-allow-credentials") };
    };
    for (const method of ["POST", "OPTIONS"]) {
      expect(await corsOf(env.url, "https://evil.example", method), method).toEqual({ allow: null, credentials: null });
      expect(await corsOf(locked.url, "https://evil.example", method), method).toEqual({ allow: null, credentials: null });
      expect(await corsOf(locked.url, "https://app.example", method), method).toEqual({ allow: "https://app.example", credentials: "true" });
    }
    // GraphiQL: same origin, nothing to allow.
    expect((await post(env.url, { query: "{ __typename }" }, { origin })).body).toEqual({ data: { __typename: "Query" } });

    const upgrade = (url: string, headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws", { headers });
        socket.once("open", () => (socket.close(), resolve(101)));
        socket.once("unexpected-response", (_req, res) => (socket.terminate(), resolve(res.statusCode ?? 0)));
        socket.on("error", () => resolve(-1));
      });
    expect(await upgrade(env.url, { origin: "https://evil.example" })).toBeGreaterThanOrEqual(400);
    expect(await upgrade(env.url, { origin: "null" })).toBeGreaterThanOrEqual(400);
    expect(await upgrade(env.url, {})).toBe(101); // no Origin: not a browser
    expect(await upgrade(env.url, { origin })).toBe(101); // GraphiQL
    expect(await upgrade(locked.url, { origin: "https://app.example" })).toBe(101);
    expect(await upgrade(locked.url, { origin: "https://evil.example" })).toBeGreaterThanOrEqual(400);
  });

  it("open mode serves only loopback Host names (DNS rebinding), over HTTP and WebSocket", async () => {
    const { port } = new URL(env.url);
    const get = (host: string, path = "/graphql") =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: { host, "content-type": "application/json" } }, (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c.toString())).on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.once("error", reject);
        req.end(JSON.stringify({ query: "{ __typename }" }));
      });
    for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `0.0.0.0:${port}`, `[::ffff:7f00:1]:${port}`]) {
      const res = await get(host);
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body), host).toMatchObject({ errors: [{ message: expect.stringMatching(/not allowed.*localhost, 127\.0\.0\.1 and \[::1\]/), extensions: { code: "HOST_NOT_ALLOWED" } }] });
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "localhost", "LOCALHOST"]) expect((await get(host)).status, host).toBe(200);
    expect((await get("evil.example", "/metrics")).status).toBe(403);
    const socket = new WebSocket(env.url.replace(/^http/, "ws"), "graphql-transport-ws", { headers: { host: `evil.example:${port}` } }).on("error", () => undefined);
    expect(await new Promise((resolve) => socket.once("unexpected-response", (_req, res) => (socket.terminate(), resolve(res.statusCode))).once("open", () => resolve(101)))).toBeGreaterThanOrEqual(400);
  });

  it("masks unexpected errors: no SQL, driver message or stack in the response", async () => {
    await env.services.db.sql.query('ALTER TABLE "Plan" RENAME TO "Plan_hidden"');
    try {
      const { status, body } = await post(env.url, { query: "{ plans { edges { node { id name } } } }" });
      expect(status).toBeLessThan(500);
      expect(body.errors).toEqual([expect.objectContaining({ message: "Unexpected error." })]);
      const text = JSON.stringify(body);
      for (const leak of ["Plan_hidden", "relation", "SELECT", "stack", "prisma", ".ts:", "originalError"]) expect(text).not.toContain(leak);
    } finally {
      await env.services.db.sql.query('ALTER TABLE "Plan_hidden" RENAME TO "Plan"');
    }
    expect((await post(env.url, { query: "{ plans { edges { node { id } } } }" })).body.errors).toBeUndefined();
  });
});
