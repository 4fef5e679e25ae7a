import http from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WALKTHROUGH, WALKTHROUGH_HEADERS, WALKTHROUGH_VARIABLES } from "../src/api/graphiql.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";

// GraphiQL through the real server over HTTP: the page compressed and cached (ETag, 304), GraphQL GETs
// untouched, and the walkthrough run with its panes as GraphiQL sends them (JSON POSTs, SSE for Watch),
// in open mode (the placeholder key is ignored) and once a key exists (the key in the headers pane works).

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A GET with exactly these headers (node:http adds no Accept-Encoding and decodes nothing, unlike fetch). */
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

const BROWSER = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

/** The panes are JSON with whole-line // comments (GraphiQL reads them as JSONC). */
const jsonc = (text: string) => JSON.parse(text.split("\n").filter((l) => !l.trim().startsWith("//")).join("\n")) as Record<string, string>;

type Result = { data?: Record<string, Record<string, unknown> | null> | null; errors?: { message: string; extensions?: { code?: string } }[] };

/** One walkthrough operation as GraphiQL sends it: the whole document, the operation's name, both panes. */
async function run(url: string, operationName: string, variables: Record<string, string>, headers: Record<string, string>): Promise<{ status: number; body: Result }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json", accept: "application/graphql-response+json, application/json, multipart/mixed" },
    body: JSON.stringify({ query: WALKTHROUGH, operationName, variables }),
  });
  return { status: res.status, body: (await res.json()) as Result };
}

/** Watch as GraphiQL subscribes (SSE, POSTed): every `next` payload until the stream completes. */
async function watch(url: string, variables: Record<string, string>, headers: Record<string, string>): Promise<Result[]> {
  const res = await fetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ query: WALKTHROUGH, operationName: "Watch", variables }),
    signal: AbortSignal.timeout(30_000),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const received: Result[] = [];
  let buffer = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += Buffer.from(chunk).toString();
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (frame.startsWith("event: complete")) return received;
      const data = /^event: next\ndata: (.*)$/s.exec(frame);
      if (data) received.push(JSON.parse(data[1]!) as Result);
    }
  }
  return received;
}

/** The walkthrough top to bottom, with the headers pane as given and the ids pasted into the variables pane. */
async function walkthrough(url: string, headers: Record<string, string>) {
  const variables = jsonc(WALKTHROUGH_VARIABLES);
  const created = await run(url, "CreateDiamond", variables, headers);
  expect(created.body.errors).toBeUndefined();
  const plan = created.body.data!.createPlan!;
  expect(plan).toMatchObject({ __typename: "Plan", name: "diamond" });
  variables.planId = plan.id as string;
  const scheduled = await run(url, "Run", variables, headers);
  const execution = scheduled.body.data!.scheduleExecution!;
  expect(execution).toMatchObject({ __typename: "Execution" });
  variables.executionId = execution.id as string;
  const updates = await watch(url, variables, headers);
  const monitor = updates.map((u) => u.data!.monitor!);
  expect(monitor.map((u) => u.seq)).toEqual(monitor.map((_, i) => i + 1));
  expect(monitor.at(-1)).toMatchObject({ status: "COMPLETED", progress: { percentage: 100, completedTasks: 4, totalTasks: 4 } });
  const result = (await run(url, "Result", variables, headers)).body.data!.execution!;
  expect(result.status).toBe("COMPLETED");
  expect((result.tasks as { key: string; status: string }[]).map((t) => [t.key, t.status]).sort()).toEqual([["a", "COMPLETED"], ["b", "COMPLETED"], ["c", "COMPLETED"], ["d", "COMPLETED"]]);
}

describe.each(modes())("GraphiQL ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => {
    env = await startInProcess({ embedded });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("serves the page gzip-compressed when the browser accepts gzip, opening on the walkthrough", async () => {
    const res = await get(env.url, { ...BROWSER, "accept-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["content-length"]).toBe(String(res.body.length));
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers.vary).toBe("Accept, Accept-Encoding");
    expect(res.headers.etag).toMatch(/^"[\w-]+-gzip"$/);
    const html = gunzipSync(res.body);
    const text = html.toString("utf8");
    expect(text).toContain("<html");
    expect(text).toContain("mutation CreateDiamond");
    expect(text).toContain(JSON.stringify(WALKTHROUGH_HEADERS)); // the headers pane, as the page's options carry it
    expect(res.body.length).toBeLessThan(html.length / 3);
  });

  it("serves brotli to a browser that accepts it, the same page", async () => {
    const res = await get(env.url, { ...BROWSER, "accept-encoding": "gzip, deflate, br, zstd" });
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers.etag).toMatch(/-br"$/);
    const gz = await get(env.url, { ...BROWSER, "accept-encoding": "gzip" });
    const html = brotliDecompressSync(res.body);
    expect(html.equals(gunzipSync(gz.body))).toBe(true);
  });

  it("answers If-None-Match with its ETag by 304 without a body; another ETag gets the page", async () => {
    const first = await get(env.url, { ...BROWSER, "accept-encoding": "gzip" });
    const etag = first.headers.etag!;
    const again = await get(env.url, { ...BROWSER, "accept-encoding": "gzip", "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers["cache-control"]).toBe("no-cache");
    expect((await get(env.url, { ...BROWSER, "accept-encoding": "gzip", "if-none-match": `"stale", W/${etag}` })).status).toBe(304);
    // A stale tag, or the gzip tag on a request that gets another encoding: the full page.
    const stale = await get(env.url, { ...BROWSER, "accept-encoding": "gzip", "if-none-match": '"stale"' });
    expect(stale.status).toBe(200);
    expect(stale.body.equals(first.body)).toBe(true);
    const plain = await get(env.url, { ...BROWSER, "if-none-match": etag });
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
  });

  it("serves plain HTML without Accept-Encoding (or with gzip refused), under its own ETag", async () => {
    const gz = await get(env.url, { ...BROWSER, "accept-encoding": "gzip" });
    for (const headers of [BROWSER, { ...BROWSER, "accept-encoding": "gzip;q=0, deflate" }]) {
      const res = await get(env.url, headers);
      expect(res.status).toBe(200);
      expect(res.headers["content-encoding"]).toBeUndefined();
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(res.body.equals(gunzipSync(gz.body))).toBe(true);
      expect(res.body.toString("utf8")).toContain("mutation CreateDiamond");
      expect(res.headers.etag).toBe(gz.headers.etag!.replace(/-gzip"$/, '"'));
    }
  });

  it("serves the page on /graphql/ and with GraphiQL's ?query= too; only to a GET that accepts text/html", async () => {
    expect((await get(`${env.url}/`, { ...BROWSER, "accept-encoding": "gzip" })).headers["content-encoding"]).toBe("gzip");
    const withQuery = await get(`${env.url}?query=${encodeURIComponent("{ __typename }")}`, { ...BROWSER, "accept-encoding": "gzip" });
    expect(withQuery.headers["content-type"]).toBe("text/html; charset=utf-8");
    // A POST that accepts HTML is GraphQL's (yoga answers it as JSON).
    const post = await fetch(env.url, { method: "POST", headers: { "content-type": "application/json", accept: "text/html, application/json" }, body: JSON.stringify({ query: "{ __typename }" }) });
    expect(post.headers.get("content-type")).toContain("application/json");
    expect(await post.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("leaves GraphQL GET requests as they were: JSON, uncompressed, no ETag, the CSRF header still required", async () => {
    const url = `${env.url}?query=${encodeURIComponent("{ __typename }")}`;
    const res = await get(url, { accept: "application/graphql-response+json, application/json", "accept-encoding": "gzip, br", "x-graphql-yoga-csrf": "1" });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("json");
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
    expect(JSON.parse(res.body.toString())).toEqual({ data: { __typename: "Query" } });
    const noCsrf = await get(url, { accept: "application/json", "accept-encoding": "gzip" });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.toString()).toContain("CSRF");
  });

  it("runs the walkthrough top to bottom as GraphiQL sends it; open mode ignores the placeholder key", async () => {
    await walkthrough(env.url, jsonc(WALKTHROUGH_HEADERS));
  });

  // Last: the first key switches this API's authentication on.
  it("once a key exists: the page needs none, the placeholder is a 401 that says so, the pasted key runs the walkthrough (Watch included)", async () => {
    const res = await fetch(env.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: "mutation { createApiKey(name: \"graphiql\", role: ADMIN) { ... on CreateApiKeyPayload { secret } } }" }),
    });
    const secret = ((await res.json()) as { data: { createApiKey: { secret: string } } }).data.createApiKey.secret;
    expect(secret).toMatch(/^eng_/);

    expect((await get(env.url, { ...BROWSER, "accept-encoding": "gzip" })).status).toBe(200);
    const placeholder = await run(env.url, "CreateDiamond", jsonc(WALKTHROUGH_VARIABLES), jsonc(WALKTHROUGH_HEADERS));
    expect(placeholder.status).toBe(401);
    expect(placeholder.body.errors?.[0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
    expect(placeholder.body.errors?.[0]?.message).toContain("invalid or revoked");

    const pasted = jsonc(WALKTHROUGH_HEADERS.replace('"Bearer <your API key>"', `"Bearer ${secret}"`));
    expect(pasted).toEqual({ Authorization: `Bearer ${secret}` });
    await walkthrough(env.url, pasted);
  });
});
