import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSchema, type GraphQLObjectType } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import pg from "pg";
import { buildApp, type App } from "../src/api/app.ts";
import type { AuthOptions } from "../src/api/auth.ts";
import { roleAtLeast, neededRole, type Role, type Scope } from "../src/domain/auth.ts";
import { HandlerRegistry } from "../src/engine/handlers/registry.ts";
import { connectPostgres } from "../src/infra/db.ts";
import { createLogger } from "../src/infra/logger.ts";
import { createRedisBus, databaseNamespace } from "../src/infra/pubsub.ts";
import { schema as served } from "../src/graphql/schema.ts";
import type { Services } from "../src/services/context.ts";
import { createTestDatabase, infra, releaseTestDatabase } from "./helpers/infra.ts";
import { startApi, startProcess } from "./helpers/processes.ts";
import { fieldsOf, operationFor } from "./helpers/operations-from-schema.ts";

// Authentication and authorization through the real server: HTTP, SSE and graphql-ws clients, two API
// "processes" (apps) on one database and the real Redis bus, and real child processes for start-up modes.

type Result = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; requiredRole?: string } }[] };

/** Everything the apps of this file log, to prove no secret reaches a log line. */
let logged = "";
const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logged += chunk.toString()), done()) });

interface Api {
  url: string;
  services: Services;
  stop(): Promise<void>;
}

/** `namespace` apart from the database's own: a bus on which no other process of this database publishes. */
async function startApp(dbUrl: string, host: string, auth?: AuthOptions, namespace?: string): Promise<Api> {
  const log = createLogger("debug", "auth-test", sink);
  const db = connectPostgres({ url: dbUrl, log, poolSize: 4 });
  const bus = createRedisBus(infra().redisUrl, log, namespace ?? (await databaseNamespace(db.sql)));
  const services: Services = { db, bus, log, handlers: new HandlerRegistry(), clock: () => new Date() };
  const app: App = buildApp(services, { monitorBufferSize: 64, monitorIdleBackfillMs: 1000, leaseMs: 30_000, agingStepMs: 60_000, auth });
  const close = async () => (await bus.close(), await db.close());
  try {
    const { port } = await app.start(0, host);
    return { url: `http://127.0.0.1:${port}/graphql`, services, stop: async () => (await app.stop(), await close()) };
  } catch (err) {
    await close();
    throw err;
  }
}

async function post(url: string, query: string, key?: string, variables?: Record<string, unknown>): Promise<Result> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Result;
}

/** A subscription over SSE: its first event, or null when none came within waitMs (it is running). */
async function sseFirst(url: string, query: string, key?: string, waitMs = 400): Promise<Result | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), waitMs);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query }),
      signal: abort.signal,
    });
    let buffer = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += Buffer.from(chunk).toString();
      const m = /event: next\ndata: (.*)\n\n/.exec(buffer);
      if (m) return JSON.parse(m[1]!) as Result;
    }
    return null;
  } catch (err) {
    if ((err as Error).name === "AbortError") return null;
    throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

const codes = (r: Result | null) => (r?.errors ?? []).map((e) => e.extensions?.code);
const authCodes = (r: Result | null) => codes(r).filter((c) => c === "FORBIDDEN" || c === "UNAUTHENTICATED");

async function createKey(url: string, name: string, role: Role, key?: string): Promise<{ id: string; secret: string }> {
  const r = await post(url, `mutation($name: String!, $role: ApiRole!) { createApiKey(name: $name, role: $role) { __typename ... on CreateApiKeyPayload { secret apiKey { id } } } }`, key, { name, role });
  const p = r.data?.createApiKey as { secret: string; apiKey: { id: string } } | undefined;
  if (!p?.secret) throw new Error(`createApiKey failed: ${JSON.stringify(r)}`);
  return { id: p.apiKey.id, secret: p.secret };
}

const revoke = (url: string, id: string, admin: string) => post(url, `mutation($id: ID!) { revokeApiKey(id: $id) { __typename ... on ApiKey { revokedAt } } }`, admin, { id });

/** The role a root field needs, as the served schema declares it (type-level scope plus the field's own). */
function roleNeeded(root: "Query" | "Mutation" | "Subscription", field: string): Role {
  const typeScope: Scope = root === "Mutation" ? "operator" : "viewer";
  const f = (served.getType(root) as GraphQLObjectType).getFields()[field]!;
  const own = (f.extensions?.pothosOptions as { authScopes?: Record<string, unknown> } | undefined)?.authScopes ?? {};
  return neededRole([typeScope, ...(Object.keys(own).filter((k) => own[k]) as Scope[])]);
}

const sdl = buildSchema(readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8"));
const walk = {
  query: fieldsOf(sdl.getQueryType()).map((f) => ({ name: f.name, root: "Query", op: operationFor("query", f), needs: roleNeeded("Query", f.name) })),
  mutation: fieldsOf(sdl.getMutationType()).map((f) => ({ name: f.name, root: "Mutation", op: operationFor("mutation", f), needs: roleNeeded("Mutation", f.name) })),
  subscription: fieldsOf(sdl.getSubscriptionType()).map((f) => ({ name: f.name, root: "Subscription", op: operationFor("subscription", f), needs: roleNeeded("Subscription", f.name) })),
};

describe.skipIf(!infra().available)("authentication and authorization", () => {
  let dbUrl: string;
  let a: Api;
  let b: Api;
  const keys = {} as Record<Role, string>;
  const secrets: string[] = [];

  beforeAll(async () => {
    dbUrl = await createTestDatabase();
    a = await startApp(dbUrl, "127.0.0.1");
    b = await startApp(dbUrl, "127.0.0.1");
    // Open mode (loopback, no key): the first key is created without one and switches authentication on.
    const admin = await createKey(a.url, "admin", "ADMIN");
    keys.ADMIN = admin.secret;
    keys.OPERATOR = (await createKey(a.url, "operator", "OPERATOR", keys.ADMIN)).secret;
    keys.VIEWER = (await createKey(a.url, "viewer", "VIEWER", keys.ADMIN)).secret;
    secrets.push(...Object.values(keys));
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it("the schema walk covers every root field and the classification is as designed", () => {
    expect(walk.mutation.length).toBeGreaterThan(20);
    expect(walk.subscription.map((f) => f.name)).toEqual(expect.arrayContaining(["monitor", "alertTriggered"]));
    // The exact role of every mutation: a new one fails here until it is classified.
    const ADMIN = ["createPlan", "createSchedule", "updateSchedule", "setScheduleEnabled", "deleteSchedule", "triggerSchedule", "createTrigger", "setTriggerEnabled", "deleteTrigger", "createResource", "updateResource", "setRateLimit", "removeRateLimit", "createApiKey", "revokeApiKey"];
    const OPERATOR = ["scheduleExecution", "pauseExecution", "resumeExecution", "cancelExecution", "retryExecution", "createCheckpoint", "restoreFromCheckpoint", "setAlert", "removeAlert", "acknowledgeAlert", "reportMetrics", "allocateResources", "releaseResources"];
    const table = Object.fromEntries([...ADMIN.map((n) => [n, "ADMIN"]), ...OPERATOR.map((n) => [n, "OPERATOR"])].sort(([a], [b]) => a!.localeCompare(b!)));
    expect(Object.fromEntries(walk.mutation.map((f) => [f.name, f.needs]).sort(([a], [b]) => a!.localeCompare(b!)))).toEqual(table);
    expect(walk.query.find((f) => f.name === "apiKeys")?.needs).toBe("ADMIN");
    expect(walk.subscription.every((f) => f.needs === "VIEWER")).toBe(true);
  });

  it("the other API process left open mode too: no key is UNAUTHENTICATED on every query, mutation and subscription", async () => {
    for (const api of [a, b]) {
      for (const f of [...walk.query, ...walk.mutation]) {
        const r = await post(api.url, f.op);
        expect(codes(r), `${f.name}: ${JSON.stringify(r.errors)}`).toContain("UNAUTHENTICATED");
      }
      for (const f of walk.subscription) expect(codes(await sseFirst(api.url, f.op)), f.name).toContain("UNAUTHENTICATED");
    }
    // A wrong key is no better, and the message says so without echoing it.
    const r = await post(a.url, "{ plans { edges { cursor } } }", "eng_not-a-key");
    expect(r.errors?.[0]).toMatchObject({ message: expect.stringMatching(/invalid or revoked/), extensions: { code: "UNAUTHENTICATED" } });
    expect(JSON.stringify(r)).not.toContain("eng_not-a-key");
    const raw = await fetch(a.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ plans { edges { cursor } } }" }) });
    expect(raw.status).toBe(401);
    expect(raw.headers.get("www-authenticate")).toBe("Bearer");
    // Refused before parsing and validation: an invalid query without a key learns nothing about the schema.
    for (const query of ["{ nope }", "{ plans { ", "{ __schema { types { name } } }"]) {
      const res = await fetch(a.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
      expect(res.status, query).toBe(401);
      expect(codes((await res.json()) as Result), query).toEqual(["UNAUTHENTICATED"]);
    }
  });

  it("leaving open mode does not wait for the bus: an API that hears no message refuses keyless requests as soon as a key exists", async () => {
    const url = await createTestDatabase();
    const x = await startApp(url, "127.0.0.1");
    const deaf = await startApp(url, "127.0.0.1", undefined, `deaf-${process.pid}-${Date.now()}`);
    try {
      expect((await post(deaf.url, "{ plans { edges { cursor } } }")).data?.plans).toEqual({ edges: [] }); // open mode
      await createKey(x.url, "first", "ADMIN");
      // Well inside the 5 s key cache: a count per open-mode request, not a timer or a message, ended it.
      expect(codes(await post(deaf.url, "{ plans { edges { cursor } } }"))).toEqual(["UNAUTHENTICATED"]);
    } finally {
      await x.stop();
      await deaf.stop();
      await releaseTestDatabase(url);
    }
  });

  it.each(["VIEWER", "OPERATOR", "ADMIN"] as const)("%s: exactly the fields above its role are FORBIDDEN, naming the field and role", async (role) => {
    for (const f of [...walk.query, ...walk.mutation]) {
      const r = await post(a.url, f.op, keys[role]);
      if (roleAtLeast(role, f.needs)) {
        expect(authCodes(r), `${role} ${f.name}: ${JSON.stringify(r.errors)}`).toEqual([]);
      } else {
        expect(codes(r), `${role} ${f.name}: ${JSON.stringify(r)}`).toEqual(["FORBIDDEN"]);
        expect(r.errors![0]!.message).toBe(`${f.root}.${f.name} needs role ${f.needs} or higher; this API key has role ${role}`);
        expect(r.errors![0]!.extensions?.requiredRole).toBe(f.needs);
      }
    }
    for (const f of walk.subscription) {
      const r = await sseFirst(a.url, f.op, keys[role]);
      expect(authCodes(r), `${role} ${f.name}: ${JSON.stringify(r)}`).toEqual([]);
    }
  });

  it("a VIEWER cannot read an API key through node(id) either", async () => {
    const { id } = await createKey(a.url, "probe", "VIEWER", keys.ADMIN);
    const r = await post(a.url, `query($id: ID!) { node(id: $id) { id ... on ApiKey { name role prefix } } }`, keys.VIEWER, { id });
    expect(authCodes(r)).toContain("FORBIDDEN");
    expect(JSON.stringify(r.data)).not.toContain("probe");
    const ok = await post(a.url, `query($id: ID!) { node(id: $id) { ... on ApiKey { name role } } }`, keys.ADMIN, { id });
    expect(ok.data?.node).toEqual({ name: "probe", role: "VIEWER" });
  });

  it("the secret is returned once; the database holds only its SHA-256 and a display prefix", async () => {
    const created = await createKey(a.url, "once", "OPERATOR", keys.ADMIN);
    secrets.push(created.secret);
    expect(created.secret).toMatch(/^eng_[A-Za-z0-9_-]{43}$/);
    const listed = await post(a.url, `{ apiKeys(first: 100) { edges { node { id name role prefix active lastUsedAt } } } }`, keys.ADMIN);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const node = (listed.data!.apiKeys as { edges: { node: { id: string; prefix: string } }[] }).edges.find((e) => e.node.id === created.id)!.node;
    expect(node.prefix).toBe(created.secret.slice(0, 12));
    expect(sdl.getType("ApiKey")!.toString()).toBe("ApiKey");
    expect(Object.keys((sdl.getType("ApiKey") as GraphQLObjectType).getFields())).not.toEqual(expect.arrayContaining(["secret"]));
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    try {
      const rows = (await client.query(`SELECT * FROM "ApiKey"`)).rows as Record<string, unknown>[];
      const mine = rows.find((r) => r.hash === createHash("sha256").update(created.secret).digest("hex"));
      expect(mine).toBeDefined();
      for (const s of secrets) expect(JSON.stringify(rows)).not.toContain(s.slice(12));
    } finally {
      await client.end();
    }
  });

  it("a revoked key fails at once over HTTP, here and (over the bus) on the other API process; its SSE stream and WebSockets end", async () => {
    const victim = await createKey(a.url, "victim", "VIEWER", keys.ADMIN);
    secrets.push(victim.secret);
    const plans = "{ plans(first: 1) { edges { cursor } } }";
    expect(authCodes(await post(a.url, plans, victim.secret))).toEqual([]);
    expect(authCodes(await post(b.url, plans, victim.secret))).toEqual([]); // b caches it now

    // Open sessions with the key: a graphql-ws subscription on each process, and an SSE stream on b.
    const ws = [a, b].map((api) => {
      const client = createClient({ url: api.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined, connectionParams: { authorization: `Bearer ${victim.secret}` } });
      const ended = new Promise<unknown>((resolve) => {
        client.subscribe({ query: "subscription { alertTriggered { id } }" }, { next: () => undefined, error: resolve, complete: () => resolve("complete") });
      });
      return { client, ended };
    });
    const sse = fetch(b.url, { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${victim.secret}` }, body: JSON.stringify({ query: "subscription { alertTriggered { id } }" }) });
    const sseEnded = sse.then(async (res) => {
      try {
        for await (const _ of res.body as unknown as AsyncIterable<Uint8Array>) void _;
      } catch {
        /* destroyed by the server */
      }
      return "ended";
    });
    await new Promise((r) => setTimeout(r, 300)); // the subscriptions are running

    const revokedAt = Date.now();
    const r = await revoke(a.url, victim.id, keys.ADMIN);
    expect((r.data?.revokeApiKey as { __typename: string }).__typename).toBe("ApiKey");
    const denied = await post(a.url, plans, victim.secret);
    expect(denied.errors?.[0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" }, message: expect.stringMatching(/invalid or revoked/) });

    // The other process: the bus message drops it from the cache well within the cache time.
    for (;;) {
      if (authCodes(await post(b.url, plans, victim.secret)).length > 0) break;
      expect(Date.now() - revokedAt).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const { ended } of ws) expect(await ended).toMatchObject({ code: 4401 });
    expect(await sseEnded).toBe("ended");
    expect(Date.now() - revokedAt).toBeLessThan(5000);
    for (const { client } of ws) await client.dispose();

    // A new connection with the revoked key is refused at connection_init.
    const again = createClient({ url: a.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${victim.secret}` } });
    const refused = await new Promise<unknown>((resolve) => again.subscribe({ query: "subscription { alertTriggered { id } }" }, { next: () => undefined, error: resolve, complete: () => resolve("complete") }));
    expect(refused).toMatchObject({ code: 4401 });
    await again.dispose();
  });

  it("open-mode WebSocket and SSE sessions end when the first key is created", async () => {
    const fresh = await startApp(await createTestDatabase(), "127.0.0.1");
    try {
      const client = createClient({ url: fresh.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
      const wsEnded = new Promise<unknown>((resolve) => client.subscribe({ query: "subscription { alertTriggered { id } }" }, { next: () => undefined, error: resolve, complete: () => resolve("complete") }));
      const sse = await fetch(fresh.url, { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify({ query: "subscription { alertTriggered { id } }" }) });
      const sseEnded = (async () => {
        try {
          for await (const _ of sse.body as unknown as AsyncIterable<Uint8Array>) void _;
        } catch {
          /* destroyed by the server */
        }
        return "ended";
      })();
      await new Promise((r) => setTimeout(r, 300)); // both are running
      const admin = await createKey(fresh.url, "first", "ADMIN"); // open mode: no key needed, and the secret still arrives
      secrets.push(admin.secret);
      expect(await wsEnded).toMatchObject({ code: 4401 });
      expect(await sseEnded).toBe("ended");
      await client.dispose();
    } finally {
      await fresh.stop();
    }
  });

  it("graphql-ws without a key is refused at connection_init with 4401; /metrics needs a key", async () => {
    const client = createClient({ url: a.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0 });
    const refused = await new Promise<unknown>((resolve) => client.subscribe({ query: "subscription { alertTriggered { id } }" }, { next: () => undefined, error: resolve, complete: () => resolve("complete") }));
    expect(refused).toMatchObject({ code: 4401 });
    await client.dispose();
    const metricsUrl = a.url.replace(/\/graphql$/, "/metrics");
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: { authorization: `Bearer ${keys.VIEWER}` } })).status).toBe(200);
    expect((await fetch(a.url.replace(/\/graphql$/, "/healthz"))).status).toBe(200);
  });

  it("no secret appears in what the API processes logged", () => {
    expect(logged).toContain("authentication is on from now on");
    for (const s of secrets) expect(logged).not.toContain(s);
  });
});

describe.skipIf(!infra().available)("start-up modes", () => {
  it("in process: 0.0.0.0 without keys refuses to start; AUTH_DISABLED starts; a bootstrap key switches auth on", async () => {
    const dbUrl = await createTestDatabase();
    await expect(startApp(dbUrl, "0.0.0.0")).rejects.toThrow(/refusing to listen on 0\.0\.0\.0 without API keys/);
    const disabled = await startApp(dbUrl, "0.0.0.0", { disabled: true });
    expect(authCodes(await post(disabled.url, `mutation { reportMetrics(samples: []) { __typename } }`))).toEqual([]);
    await disabled.stop();

    const bootstrap = "bootstrap-admin-key-for-the-test-0123456789";
    const api = await startApp(dbUrl, "0.0.0.0", { bootstrapAdminKey: bootstrap });
    expect(codes(await post(api.url, "{ apiKeys { edges { cursor } } }"))).toEqual(["UNAUTHENTICATED"]);
    const listed = await post(api.url, "{ apiKeys { edges { node { name role prefix } } } }", bootstrap);
    expect(listed.data?.apiKeys).toEqual({ edges: [{ node: { name: "bootstrap", role: "ADMIN", prefix: "boot" } }] });
    await api.stop();
    // Idempotent: a second start stores nothing new.
    const again = await startApp(dbUrl, "0.0.0.0", { bootstrapAdminKey: bootstrap });
    expect((await post(again.url, "{ apiKeys { edges { cursor } } }", bootstrap)).data?.apiKeys).toMatchObject({ edges: [expect.anything()] });
    await again.stop();
    expect(logged).not.toContain(bootstrap);
  });

  it("real processes: refusal with the message and exit code 1; loopback logs open access; the bootstrap key is never logged", async () => {
    const env = { DATABASE_URL: await createTestDatabase(), REDIS_URL: infra().redisUrl };
    const refused = startProcess("src/api/main.ts", { ...env, PORT: "0", HOST: "0.0.0.0" });
    const fatal = await refused.waitFor((l) => l.level === 60);
    expect(fatal.msg).toMatch(/refusing to listen on 0\.0\.0\.0 without API keys: set BOOTSTRAP_ADMIN_KEY.*AUTH_DISABLED=true/);
    const code = refused.child.exitCode ?? (await new Promise((resolve) => refused.child.once("exit", resolve)));
    expect(code).toBe(1);

    const open = await startApi(env);
    expect(open.proc.logs.find((l) => l.auth === "open")?.msg).toMatch(/access is open/);
    await open.proc.stop();

    const bootstrap = "eng_process-bootstrap-key-0123456789abcdef";
    const { proc, url } = await startApi({ ...env, HOST: "0.0.0.0", BOOTSTRAP_ADMIN_KEY: bootstrap, LOG_LEVEL: "debug" });
    expect(proc.logs.find((l) => l.auth === "keys")).toBeDefined();
    const local = url.replace("localhost", "127.0.0.1");
    expect(authCodes(await post(local, "{ apiKeys { edges { cursor } } }", bootstrap))).toEqual([]);
    expect(codes(await post(local, "{ apiKeys { edges { cursor } } }", "eng_wrong"))).toEqual(["UNAUTHENTICATED"]);
    await proc.stop();
    expect(JSON.stringify(proc.logs)).not.toContain(bootstrap);
  });
});
