import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getOperationAST, parse, print } from "graphql";
import { createClient as createWsClient, type SubscribePayload } from "graphql-ws";
import WebSocket from "ws";
import { EventSource } from "eventsource";
import { generate } from "@graphql-codegen/cli";
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { loadTrustedDocuments } from "../src/config/trusted-documents.ts";
import { startInProcess, modes, type InProcess } from "./helpers/inprocess.ts";

// Persisted operations (#16 item 3) through the real server: automatic persisted queries with Apollo
// Client's PersistedQueryLink (a query and a mutation), the same store over graphql-ws, its bound; and
// trusted documents from the manifest graphql-codegen's client preset emits (persistedDocuments: true)
// for test/operations.ts: accepted by hash or as their exact text, everything else refused, over HTTP
// (POST, GET, an EventSource's GET subscription), graphql-ws and graphql-sse's /graphql/stream.

type Result = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const codes = (r: Result) => (r.errors ?? []).map((e) => e.extensions?.code);

async function post(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; body: Result }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Result };
}

/** One operation over graphql-ws: its first result or its error. */
async function overWs(url: string, payload: SubscribePayload): Promise<Result> {
  const client = createWsClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  try {
    return await new Promise<Result>((resolve) => {
      const stop = client.subscribe(payload, {
        next: (r) => (resolve(r as Result), stop()),
        error: (e) => resolve(Array.isArray(e) ? { errors: e as Result["errors"] } : { errors: [{ message: String(e) }] }),
        complete: () => undefined,
      });
    });
  } finally {
    await client.dispose();
  }
}

const pq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe.each(modes())("automatic persisted queries ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded, limits: { apqMaxEntries: 3 } })));
  afterAll(async () => env?.stop());

  /** Apollo Client with PersistedQueryLink over HttpLink; `sent` records what went on the wire. */
  function apollo() {
    const sent: { query?: string; hash?: string; status?: number; codes?: (string | undefined)[] }[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body)) as { query?: string; extensions?: { persistedQuery?: { sha256Hash: string } } };
      const res = await fetch(input, init);
      const answer = (await res.clone().json()) as Result;
      sent.push({ query: body.query, hash: body.extensions?.persistedQuery?.sha256Hash, status: res.status, codes: codes(answer) });
      return res;
    };
    const link = ApolloLink.from([new PersistedQueryLink({ sha256 }), new HttpLink({ uri: env.url, fetch: recordingFetch })]);
    return { client: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
  }

  it("Apollo's PersistedQueryLink: an unknown hash is PERSISTED_QUERY_NOT_FOUND, the retry with the document registers it, then the hash alone runs (a query and a mutation)", async () => {
    const { client, sent } = apollo();
    const CREATE = gql`mutation ApqCreate($input: CreatePlanInput!) { createPlan(input: $input) { __typename ... on Plan { id name } } }`;
    const PLANS = gql`query ApqPlans { plans(first: 5) { edges { node { id name } } } }`;
    const created = await client.mutate({ mutation: CREATE, variables: { input: { name: "apq", tasks: [{ key: "a", handler: "noop" }] } } });
    expect(created.data).toMatchObject({ createPlan: { __typename: "Plan", name: "apq" } });
    const first = await client.query({ query: PLANS, fetchPolicy: "network-only" });
    expect(JSON.stringify(first.data)).toContain('"apq"');
    // Each first time: the hash alone (404 PERSISTED_QUERY_NOT_FOUND), then document + hash (registered).
    expect(sent.map((s) => [!!s.query, s.status, s.codes])).toEqual([
      [false, 404, ["PERSISTED_QUERY_NOT_FOUND"]],
      [true, 200, []],
      [false, 404, ["PERSISTED_QUERY_NOT_FOUND"]],
      [true, 200, []],
    ]);
    // The document sent is the one the hash names (Apollo hashes the document it sends, __typename added).
    for (const s of sent.filter((s) => s.query)) expect(s.hash).toBe(sha256(s.query!));
    const [createdHash, plansHash] = sent.filter((s) => s.query).map((s) => s.hash);
    // A second Apollo client (a fresh hash cache): the server knows both documents now.
    const again = apollo();
    await again.client.query({ query: PLANS, fetchPolicy: "network-only" });
    await again.client.mutate({ mutation: CREATE, variables: { input: { name: "apq-2", tasks: [{ key: "a", handler: "noop" }] } } });
    expect(again.sent.map((s) => [!!s.query, s.status])).toEqual([
      [false, 200],
      [false, 200],
    ]);
    expect(again.sent.map((s) => s.hash)).toEqual([plansHash, createdHash]);
  });

  it("by hand over HTTP and graphql-ws, which share the store: unknown hash, registration, mismatch", async () => {
    const query = "query ApqByHand { plans(first: 1) { edges { cursor } } }";
    const hash = sha256(query);
    const unknown = await post(env.url, { extensions: pq(hash) });
    expect([unknown.status, ...codes(unknown.body)]).toEqual([404, "PERSISTED_QUERY_NOT_FOUND"]);
    expect(codes(await overWs(env.url, { query: "", extensions: pq(hash) }))).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
    const mismatch = await post(env.url, { query, extensions: pq(sha256("{ __typename }")) });
    expect(codes(mismatch.body)).toEqual(["PERSISTED_QUERY_MISMATCH"]);
    // Registered over graphql-ws, run by hash over HTTP (GET too, with the CSRF header), and back.
    expect((await overWs(env.url, { query, extensions: pq(hash) })).data).toEqual({ plans: { edges: expect.any(Array) } });
    expect((await post(env.url, { extensions: pq(hash) })).body).toEqual({ data: { plans: { edges: expect.any(Array) } } });
    const get = await fetch(`${env.url}?extensions=${encodeURIComponent(JSON.stringify(pq(hash)))}`, { headers: { "x-graphql-yoga-csrf": "1" } });
    expect(await get.json()).toEqual({ data: { plans: { edges: expect.any(Array) } } });
    expect((await overWs(env.url, { query: "", extensions: pq(hash) })).data).toEqual({ plans: { edges: expect.any(Array) } });
  });

  it("keeps at most APQ_MAX_ENTRIES documents (least recently used go first)", async () => {
    const docs = [0, 1, 2, 3].map((i) => `query Bounded${i} { __typename }`);
    for (const query of docs) expect((await post(env.url, { query, extensions: pq(sha256(query)) })).status).toBe(200);
    const byHash = async (query: string) => codes((await post(env.url, { extensions: pq(sha256(query)) })).body);
    expect(await byHash(docs[0]!)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]); // evicted (limit 3)
    expect(await byHash(docs[3]!)).toEqual([]);
  });
});

describe("APQ turned off (APQ_MAX_ENTRIES=0)", () => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded: true, limits: { apqMaxEntries: 0 } })));
  afterAll(async () => env?.stop());

  it("answers a hash alone with PERSISTED_QUERY_NOT_SUPPORTED, so Apollo's link sends documents from then on", async () => {
    const hash = sha256("{ __typename }");
    expect(codes((await post(env.url, { extensions: pq(hash) })).body)).toEqual(["PERSISTED_QUERY_NOT_SUPPORTED"]);
    expect(codes(await overWs(env.url, { query: "", extensions: pq(hash) }))).toEqual(["PERSISTED_QUERY_NOT_SUPPORTED"]);
    const client = new ApolloClient({ link: ApolloLink.from([new PersistedQueryLink({ sha256 }), new HttpLink({ uri: env.url })]), cache: new InMemoryCache() });
    expect((await client.query({ query: gql`query Off { __typename }` })).data).toEqual({ __typename: "Query" });
  });
});

describe.each(modes())("trusted documents ($mode)", ({ embedded }) => {
  let env: InProcess;
  let dir: string;
  let manifest: Record<string, string>;
  /** The manifest's id (`sha256:<hex>`) and document of the operation named `name`. */
  const op = (name: string) => {
    const [id, doc] = Object.entries(manifest).find(([, d]) => getOperationAST(parse(d))?.name?.value === name)!;
    return { id, hex: id.replace(/^sha256:/, ""), doc };
  };

  beforeAll(async () => {
    // The manifest graphql-codegen's client preset writes for the tests' own operations.
    dir = mkdtempSync(join(tmpdir(), "trusted-"));
    await generate({ schema: "schema/schema.graphql", documents: ["test/operations.ts"], generates: { [`${dir}/`]: { preset: "client", presetConfig: { persistedDocuments: true, fragmentMasking: false } } }, silent: true }, true);
    const path = join(dir, "persisted-documents.json");
    manifest = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
    env = await startInProcess({ embedded, limits: { trustedDocuments: loadTrustedDocuments(path) } });
  });
  afterAll(async () => {
    await env?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the manifest is the client preset's: sha256:<hex> ids of the documents' text", () => {
    expect(Object.keys(manifest).length).toBeGreaterThan(5);
    for (const [id, doc] of Object.entries(manifest)) expect(id).toBe(`sha256:${sha256(doc)}`);
  });

  it("HTTP: runs a manifest operation by hash (extensions or documentId, GET or POST) or as its exact text; refuses anything else", async () => {
    const create = op("CreatePlan");
    const input = { input: { name: "trusted", tasks: [{ key: "a", handler: "noop" }] } };
    expect((await post(env.url, { extensions: pq(create.hex), variables: input })).body.data).toMatchObject({ createPlan: { __typename: "Plan", name: "trusted" } });
    expect((await post(env.url, { documentId: create.id, variables: input })).body.data).toMatchObject({ createPlan: { __typename: "Plan" } });
    expect((await post(env.url, { query: create.doc, variables: input })).body.data).toMatchObject({ createPlan: { __typename: "Plan" } });
    const lists = op("Lists");
    const get = await fetch(`${env.url}?documentId=${encodeURIComponent(lists.id)}`, { headers: { "x-graphql-yoga-csrf": "1" } });
    expect(((await get.json()) as Result).data).toMatchObject({ plans: { edges: expect.any(Array) } });

    for (const body of [{ query: "{ __typename }" }, { query: print(parse(create.doc)), variables: input }, { query: "{ __schema { types { name } } }" }, { extensions: pq(sha256("{ __typename }")) }, { documentId: "sha256:0000" }]) {
      const refused = await post(env.url, body);
      expect({ body, status: refused.status, codes: codes(refused.body) }).toEqual({ body, status: 400, codes: ["PERSISTED_QUERY_NOT_IN_LIST"] });
    }
    expect(codes((await post(env.url, {})).body)).toEqual(["PERSISTED_QUERY_ID_REQUIRED"]);
  });

  it("graphql-ws: the same allow-list (a hash with query \"\", or the exact text)", async () => {
    const lists = op("Lists");
    expect((await overWs(env.url, { query: "", extensions: pq(lists.hex) })).data).toMatchObject({ plans: { edges: expect.any(Array) } });
    expect((await overWs(env.url, { query: lists.doc })).data).toMatchObject({ plans: { edges: expect.any(Array) } });
    expect(codes(await overWs(env.url, { query: "{ __typename }" }))).toEqual(["PERSISTED_QUERY_NOT_IN_LIST"]);
    expect(codes(await overWs(env.url, { query: "", extensions: pq(sha256("nope")) }))).toEqual(["PERSISTED_QUERY_NOT_IN_LIST"]);
    expect(codes(await overWs(env.url, { query: "subscription { alertTriggered { id } }" }))).toEqual(["PERSISTED_QUERY_NOT_IN_LIST"]);
  });

  it("SSE: an EventSource's GET subscription by hash, and graphql-sse's /graphql/stream by text; arbitrary documents refused", async () => {
    const planId = (((await post(env.url, { extensions: pq(op("CreatePlan").hex), variables: { input: { name: "watched", tasks: [{ key: "a", handler: "noop" }] } } })).body.data!.createPlan) as { id: string }).id;
    const exec = (await post(env.url, { extensions: pq(op("ScheduleExecution").hex), variables: { input: { planId } } })).body.data!.scheduleExecution as { id: string };
    const monitor = op("Monitor");
    const variables = JSON.stringify({ executionId: exec.id, afterSeq: 0 });
    const updates: { monitor: { seq: number; status: string } }[] = [];
    const es = new EventSource(`${env.url}?extensions=${encodeURIComponent(JSON.stringify(pq(monitor.hex)))}&variables=${encodeURIComponent(variables)}`);
    await new Promise<void>((resolve, reject) => {
      es.addEventListener("next", (e) => updates.push((JSON.parse((e as MessageEvent<string>).data) as { data: (typeof updates)[number] }).data));
      es.addEventListener("complete", () => (es.close(), resolve()));
      es.addEventListener("error", () => es.readyState === es.CLOSED && reject(new Error("EventSource refused")));
    });
    expect(updates.at(-1)!.monitor.status).toBe("COMPLETED");

    const stream = (query: string) => post(`${env.url}/stream`, { query, variables: JSON.parse(variables) as Record<string, unknown> }, { accept: "text/event-stream" });
    const refused = await stream("subscription { alertTriggered { id } }");
    expect([refused.status, ...codes(refused.body)]).toEqual([400, "PERSISTED_QUERY_NOT_IN_LIST"]);
    const res = await fetch(`${env.url}/stream`, { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify({ query: monitor.doc, variables: JSON.parse(variables) }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('"status":"COMPLETED"');
  });

  it("serves no GraphiQL: it could run nothing but the manifest", async () => {
    const res = await fetch(env.url, { headers: { accept: "text/html" } });
    expect(res.status).toBe(404);
    expect(codes((await res.json()) as Result)).toEqual(["GRAPHIQL_DISABLED"]);
  });
});
