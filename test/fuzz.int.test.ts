import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { infra } from "./helpers/infra.ts";
import { startInProcess, type InProcess } from "./helpers/inprocess.ts";

// A few thousand malformed or hostile requests from a seeded PRNG (FUZZ_SEED=<n> replays a run): each must
// get a status below 500 and a JSON body with data or a non-empty, non-masked error message; afterwards
// the server still answers. The rate limit is off here (it has its own test in hardening.int.test.ts).
// `accept: multipart/mixed` found that rewriting yoga's multipart error answers produced invalid HTTP (both
// Content-Length and Transfer-Encoding); they are left as yoga writes them, and judged by their first part.

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
console.log(`fuzz: FUZZ_SEED=${SEED}`); // printed up front too, so a crash of the run still names its seed
const HTTP_REQUESTS = Number(process.env.FUZZ_HTTP_REQUESTS ?? 2000);
const WS_OPERATIONS = 300;

/** mulberry32: small, fast, good enough to pick cases. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

/** encodeURIComponent, also for strings with lone surrogates (sent as U+FFFD). */
const encode = (s: string) => [...Buffer.from(s, "utf8")].map((b) => "%" + b.toString(16).padStart(2, "0")).join("");

const UUID = "8ff72ed9-4335-4090-ad5b-0076247191bd";
const TOKENS = ["{", "}", "(", ")", ":", "$", "@", "...", "!", "[", "]", "=", "query", "mutation", "subscription", "fragment", "on", "plans", "plan", "id", "edges", "node", "first", "__schema", "__typename", "\"", "\"\"\"", "#", "\u0000", "é", "🚀", "1e999", "-0", "null", "true"];

function randomString(r: Rng, max = 40): string {
  const n = r.int(0, max);
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.pick([r.int(32, 126), r.int(0, 31), r.int(0x80, 0xffff)]));
  return s;
}

function randomId(r: Rng, planId: string): unknown {
  return r.pick([
    () => planId,
    () => UUID,
    () => encodeGlobalID(r.pick(["Plan", "Execution", "Schedule", "Alert", "Nope"]), r.pick([UUID, "42", "", randomString(r)])),
    () => randomString(r),
    () => Buffer.from(randomString(r)).toString("base64"),
    () => "x".repeat(r.int(200, 5000)),
    () => r.int(-1e9, 1e9),
    () => null,
    () => [planId],
    () => ({ id: planId }),
  ])();
}

function randomValue(r: Rng, planId: string, depth = 0): unknown {
  if (r.next() < 0.02) return "y".repeat(r.int(1000, 70_000)); // around the 64 KB params limit
  return r.pick([
    () => randomString(r),
    () => r.int(-(2 ** 31), 2 ** 31),
    () => r.next() * 1e308 * (r.next() < 0.5 ? -1 : 1),
    () => r.next() < 0.5,
    () => null,
    () => randomId(r, planId),
    () => (depth > 3 ? [] : Array.from({ length: r.int(0, 5) }, () => randomValue(r, planId, depth + 1))),
    () => (depth > 3 ? {} : Object.fromEntries(Array.from({ length: r.int(0, 5) }, () => [randomString(r, 8), randomValue(r, planId, depth + 1)]))),
  ])();
}

const OPERATIONS = [
  "query($id: ID!) { plan(id: $id) { id name tasks { key handler } } }",
  "query($id: ID!) { execution(id: $id) { id status timeline(first: 5) { edges { node { seq type } } } } }",
  "query($id: ID!) { node(id: $id) { id __typename } }",
  "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
  "query($first: Int, $after: String) { plans(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage } } }",
  "query($filter: ExecutionFilter, $first: Int) { executions(filter: $filter, first: $first) { edges { node { id status } } } }",
  "query($w: Int) { engineStats(windowMs: $w) { queueDepth } }",
  "mutation($input: CreatePlanInput!) { createPlan(input: $input) { __typename ... on Error { message } } }",
  "mutation($input: ScheduleExecutionInput!) { scheduleExecution(input: $input) { __typename ... on Error { message } } }",
  "mutation($id: ID!) { cancelExecution(id: $id) { __typename ... on Error { message } } }",
  "mutation($input: SetAlertInput!) { setAlert(input: $input) { __typename ... on Error { message } } }",
  "mutation($samples: [MetricSampleInput!]!) { reportMetrics(samples: $samples) { __typename } }",
];

const VARIABLE_NAMES = ["id", "ids", "first", "after", "filter", "w", "input", "samples"];

interface Case {
  kind: string;
  init: RequestInit & { headers: Record<string, string> };
  query?: string;
}

const json = (payload: unknown, headers: Record<string, string> = {}): Case["init"] => ({ method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(payload) });

function randomVariables(r: Rng, planId: string): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const name of VARIABLE_NAMES) if (r.next() < 0.6) vars[name] = name === "input" && r.next() < 0.5 ? { planId: randomId(r, planId), name: randomValue(r, planId), tasks: randomValue(r, planId), params: randomValue(r, planId), priority: randomValue(r, planId) } : randomValue(r, planId);
  return vars;
}

function randomCase(r: Rng, planId: string): Case {
  if (r.next() < 0.03) {
    // 1 MB+ strings: rarer, they cost the most to send
    if (r.next() < 0.5) return { kind: "huge-string", init: json({ query: r.pick(OPERATIONS), variables: { id: "z".repeat(r.int(1_048_577, 1_300_000)) } }) };
    return { kind: "huge-query", init: json({ query: `{ plan(id: "${"q".repeat(r.int(100_000, 1_100_000))}") { id } }` }) };
  }
  const gen = r.pick([
    () => ({ kind: "wrong-variables", init: json({ query: r.pick(OPERATIONS), variables: randomVariables(r, planId) }) }),
    () => ({ kind: "deep", init: json({ query: "{ plans { edges { node { " + "executions { edges { node { plan { ".repeat(r.int(1, 30)) + "id" + " } } } }".repeat(r.int(0, 30)) + " } } } }" }) }),
    () => ({ kind: "aliases", init: json({ query: `{ ${Array.from({ length: r.int(10, 400) }, (_, i) => `a${i}: plans(first: ${r.int(-5, 500)}) { edges { node { id } } }`).join(" ")} }` }) }),
    () => ({ kind: "invalid-id", init: json({ query: r.pick(OPERATIONS.slice(0, 4)), variables: { id: randomId(r, planId), ids: Array.from({ length: r.int(0, 150) }, () => randomId(r, planId)) } }) }),
    () => ({ kind: "broken-json", init: { method: "POST", headers: { "content-type": "application/json" }, body: r.pick([JSON.stringify({ query: "{ plans { edges { node { id } } } }" }).slice(0, r.int(0, 30)), "", "null", "[]", "123", '"q"', '{"query": 5}', '{"query": null}', '{"query": "{ __typename }", "variables": "x"}', '{"query": "{ __typename }", "extensions": 7}', randomString(r, 200)]) } }),
    () => ({ kind: "content-type", init: { method: "POST", headers: { "content-type": r.pick(["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/graphql", "", "application/json; charset=latin1", "*/*"]), "x-graphql-yoga-csrf": r.pick(["1", ""]) }, body: r.pick([JSON.stringify({ query: "{ __typename }" }), "query={__typename}", "--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{}\r\n--x--", randomString(r, 300)]) } }),
    () => ({ kind: "random-text", init: json({ query: Array.from({ length: r.int(1, 80) }, () => r.pick(TOKENS)).join(r.pick([" ", ""])) }) }),
    () => ({ kind: "operation-name", init: json({ query: "query A { __typename } query B { plans { edges { node { id } } } }", operationName: r.pick(["A", "B", "C", "", null, 5, {}, [], randomString(r)]) }) }),
    () => ({ kind: "batched", init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(Array.from({ length: r.int(0, 20) }, () => ({ query: r.pick(OPERATIONS), variables: randomVariables(r, planId) }))) } }),
    () => ({ kind: "get", init: { method: "GET", headers: r.next() < 0.7 ? { "x-graphql-yoga-csrf": "1" } : {} }, query: `?query=${encode(r.next() < 0.5 ? r.pick(OPERATIONS) : randomString(r, 200))}&variables=${encode(r.next() < 0.5 ? JSON.stringify(randomVariables(r, planId)).slice(0, 4000) : randomString(r))}` }),
    () => ({ kind: "method-accept", init: { method: r.pick(["PUT", "DELETE", "PATCH", "OPTIONS", "POST"]), headers: { "content-type": "application/json", accept: r.pick(["application/json", "text/event-stream", "application/graphql-response+json", "multipart/mixed", "text/html", "image/png", "*/*"]) }, body: JSON.stringify({ query: r.pick(OPERATIONS), variables: randomVariables(r, planId) }) } }),
  ]);
  return gen() as Case;
}

/** The operation of an HTTP case's JSON body; null for broken or huge JSON (a random operation instead). */
function wsPayload(body: unknown): { query?: unknown; variables?: unknown } | null {
  if (typeof body !== "string" || body.length >= 500_000) return null;
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === "object" ? (value as { query?: unknown; variables?: unknown }) : null;
  } catch {
    return null;
  }
}

const describeCase = (c: Case) => `${c.init.method} ${JSON.stringify(c.init.headers)} ${(c.query ?? "").slice(0, 200)} ${String(c.init.body ?? "").slice(0, 300)}`;

/** A response that is JSON with data, or with errors that each say something (and nothing masked). */
function problem(status: number, text: string): string | null {
  if (status >= 500) return `status ${status}`;
  if (text === "" && (status === 204 || status === 200)) return null; // OPTIONS preflight
  let body: { data?: unknown; errors?: { message?: unknown }[] };
  // An SSE answer (accept: text/event-stream): judge the data of its first event.
  const sse = text.startsWith(":") || text.startsWith("event:") ? /^data: ?(.*)$/m.exec(text)?.[1] : undefined;
  // A multipart/mixed answer: judge its first part's JSON.
  const part = text.startsWith("\r\n---") ? /\r\n\r\n(.*)\r\n---/s.exec(text)?.[1] : undefined;
  try {
    body = JSON.parse(sse ?? part ?? text);
  } catch {
    return `status ${status} with a body that is not JSON: ${text.slice(0, 120)}`;
  }
  if (body.errors !== undefined) {
    if (!Array.isArray(body.errors) || body.errors.length === 0) return "errors is not a non-empty list";
    for (const e of body.errors) {
      if (typeof e.message !== "string" || e.message.trim() === "") return "an error without a message";
      if (e.message === "Unexpected error.") return "a masked unexpected error (input that should have been refused clearly)";
    }
    return null;
  }
  return body.data != null ? null : `status ${status}: neither data nor errors`;
}

describe.skipIf(!infra().available)(`fuzz: hostile requests (FUZZ_SEED=${SEED})`, () => {
  let env: InProcess;
  let planId: string;

  beforeAll(async () => {
    env = await startInProcess({ startWorker: false, limits: { rateLimit: { perSecond: 0, burst: 1 } } });
    const res = await fetch(env.url, json({ query: 'mutation { createPlan(input: { name: "fuzz", tasks: [{ key: "a", handler: "noop" }] }) { ... on Plan { id } } }' }));
    planId = ((await res.json()) as { data: { createPlan: { id: string } } }).data.createPlan.id;
  });

  afterAll(async () => env?.stop());

  it(`answers ${HTTP_REQUESTS} hostile HTTP requests below 500 with a clear error`, { timeout: 60_000 }, async () => {
    const r = prng(SEED);
    const cases = Array.from({ length: HTTP_REQUESTS }, () => randomCase(r, planId));
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i]!;
        try {
          const started = performance.now();
          const res = await fetch(env.url + (c.query ?? ""), c.init);
          const why = problem(res.status, await res.text());
          if (process.env.FUZZ_DEBUG) console.log(c.kind, res.status, Math.round(performance.now() - started));
          if (why) failures.push(`#${i} ${c.kind}: ${why} — ${describeCase(c)}`);
        } catch (err) {
          failures.push(`#${i} ${c.kind}: request failed: ${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? "")} — ${describeCase(c)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(failures, `FUZZ_SEED=${SEED} reproduces these`).toEqual([]);
  });

  it(`answers ${WS_OPERATIONS} hostile graphql-ws operations with a result or an error, on one connection`, { timeout: 30_000 }, async () => {
    const r = prng(SEED + 1);
    let closed: string | null = null;
    const client = createClient({ url: env.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, on: { closed: (e) => void (closed = `closed ${(e as { code?: number }).code}`) } });
    const failures: string[] = [];
    try {
      for (let i = 0; i < WS_OPERATIONS; i++) {
        const c = randomCase(r, planId);
        const payload = wsPayload(c.init.body);
        const query = typeof payload?.query === "string" ? payload.query : r.pick(OPERATIONS);
        const variables = payload?.variables && typeof payload.variables === "object" ? (payload.variables as Record<string, unknown>) : randomVariables(r, planId);
        const outcome = await new Promise<string | null>((resolve) => {
          let got = false;
          client.subscribe({ query, variables }, {
            next: (msg) => void (got = got || msg.data != null || (msg.errors ?? []).every((e) => typeof e.message === "string" && e.message !== "" && e.message !== "Unexpected error.")),
            error: (err) => resolve(Array.isArray(err) && err.every((e: { message?: string }) => !!e.message && e.message !== "Unexpected error.") ? null : `error without a clear message: ${JSON.stringify(err).slice(0, 200)}`),
            complete: () => resolve(got ? null : "completed without a result"),
          });
        });
        if (outcome) failures.push(`#${i} ${c.kind}: ${outcome}`);
        if (closed) break;
      }
    } finally {
      await client.dispose();
    }
    expect(closed, `FUZZ_SEED=${SEED + 1}`).toBeNull();
    expect(failures, `FUZZ_SEED=${SEED + 1} reproduces these`).toEqual([]);
  });

  it("closes a WebSocket that sends garbage frames with a 4xxx code, and keeps serving", async () => {
    const r = prng(SEED + 2);
    for (let i = 0; i < 20; i++) {
      const socket = new WebSocket(env.url.replace(/^http/, "ws"), "graphql-transport-ws");
      const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
      await new Promise((resolve) => socket.once("open", resolve));
      socket.send(r.pick([randomString(r, 100), "{}", '{"type":"subscribe","id":"1","payload":{"query":"{ __typename }"}}', '{"type":"connection_init","payload":5}', "[]"]));
      const code = await closed;
      expect(code, `FUZZ_SEED=${SEED + 2} frame ${i}`).toBeGreaterThanOrEqual(4000);
      expect(code).not.toBe(4500); // internal error
    }
  });

  it("survives aborted and partial bodies on raw sockets, and answers path variants below 500", { timeout: 30_000 }, async () => {
    const r = prng(SEED + 3);
    const { hostname, port, origin } = new URL(env.url);
    const paths = ["/graphql", "/graphql/", "/x/graphql", "/?a=/graphql", "/graphql?x=1", "/hooks/8ff72ed9-4335-4090-ad5b-0076247191bd", "/hooks/x", "/metrics", "/nope"];
    for (let i = 0; i < 60; i++) {
      const socket = net.connect(Number(port), hostname).on("error", () => undefined);
      await new Promise((resolve) => socket.once("connect", resolve));
      const body = JSON.stringify({ query: r.pick(OPERATIONS), variables: randomVariables(r, planId) });
      const declared = r.pick([body.length + r.int(1, 5000), body.length * 2, 1000]);
      socket.write(`POST ${r.pick(paths)} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n${body.slice(0, r.int(0, body.length))}`);
      await new Promise((resolve) => setTimeout(resolve, r.int(0, 20)));
      r.next() < 0.5 ? socket.destroy() : socket.end(); // reset, or a half-close before the declared length
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const failures: string[] = [];
    for (const path of paths.slice(0, 5)) {
      const res = await fetch(origin + path, json({ query: "{ plans(first: 1) { edges { node { id } } } }" }));
      const why = problem(res.status, await res.text());
      if (why) failures.push(`${path}: ${why}`);
    }
    expect(failures, `FUZZ_SEED=${SEED + 3}`).toEqual([]);
    expect((await fetch(origin + "/healthz")).status).toBe(200);
  });

  it("still answers /healthz and a normal query afterwards", async () => {
    const health = await fetch(env.url.replace(/\/graphql$/, "/healthz"));
    expect(health.status).toBe(200);
    const res = await fetch(env.url, json({ query: "{ plans(first: 1) { edges { node { id } } } }" }));
    expect(((await res.json()) as { errors?: unknown }).errors, "a normal query").toBeUndefined();
  });
});
