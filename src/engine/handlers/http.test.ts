import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RateSlot } from "../../store/rate-limit.ts";
import type { HandlerContext, LogFn } from "./define.ts";
import { createHttpPool, cacheKey, acquireSlot, type HttpPool } from "./http-pool.ts";
import { createHttp, httpInput } from "./http.ts";
import { HandlerRegistry } from "./registry.ts";
import { testContext } from "./test-context.ts";

const ctx = (signal: AbortSignal = new AbortController().signal, log: LogFn = () => {}): HandlerContext => testContext({ signal, log });

/** A pool whose limiter answers from a script (one slot per call, the last one repeating). */
function scriptedPool(script: RateSlot[]): HttpPool & { calls: string[] } {
  const calls: string[] = [];
  const pool = createHttpPool(undefined, () => 0);
  return { ...pool, calls, takeSlot: async (name) => (calls.push(name), script[Math.min(calls.length - 1, script.length - 1)]!) };
}
const granted: RateSlot = { kind: "granted", count: 1, requests: 1, windowMs: 100, windowEnd: new Date() };
const full = (waitMs: number): RateSlot => ({ kind: "wait", requests: 1, windowMs: 100, windowEnd: new Date(), waitMs });

describe("http with the shared HTTP resource", () => {
  let server: Server;
  let base: string;
  let hits: string[];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      if (req.url?.startsWith("/json")) return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ n: hits.length }));
      if (req.url === "/missing") return res.writeHead(404).end("missing");
      res.writeHead(200, { "content-type": "text/plain" }).end(`hit ${hits.length}`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    hits = [];
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const run = (pool: HttpPool, input: unknown, c = ctx()) => createHttp(pool).run(httpInput.parse(input), c);

  it("takes a slot before each request; a full window waits, then asks again", async () => {
    const pool = scriptedPool([full(30), full(20), granted]);
    const logs: string[] = [];
    const started = Date.now();
    await expect(run(pool, { url: `${base}/json`, rateLimit: "api" }, ctx(undefined, (_l, m) => logs.push(m)))).resolves.toEqual({ status: 200, body: { n: 1 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(pool.calls).toEqual(["api", "api", "api"]);
    expect(logs[0]).toBe('rate limit "api" is full (1 per 100 ms): waiting 30 ms for the next window');
    expect(logs[1]).toMatch(/^rate limit "api": slot taken after waiting \d+ ms$/);
  });

  it("stops waiting on cancel or timeout with the signal's reason", async () => {
    const pool = scriptedPool([full(10_000)]);
    const ac = new AbortController();
    const reason = new Error("cancelled");
    setTimeout(() => ac.abort(reason), 30);
    await expect(run(pool, { url: `${base}/json`, rateLimit: "api" }, ctx(ac.signal))).rejects.toBe(reason);
    expect(hits).toEqual([]);
  });

  it("fails an unknown limit name with a clear non-recoverable error", async () => {
    const pool = scriptedPool([{ kind: "unknown" }]);
    await expect(run(pool, { url: `${base}/json`, rateLimit: "nope" })).rejects.toMatchObject({
      name: "HandlerError",
      code: "UNKNOWN_RATE_LIMIT",
      recoverable: false,
      message: 'no rate limit named "nope" (create it with setRateLimit)',
    });
    expect(hits).toEqual([]);
  });

  it("without a database a named limit is refused, not ignored", async () => {
    await expect(acquireSlot(createHttpPool(), "api", ctx())).rejects.toMatchObject({ code: "RATE_LIMIT_UNAVAILABLE" });
  });

  it("serves a repeated GET from the cache within ttlMs, without a slot, and logs the hit", async () => {
    const pool = scriptedPool([granted]);
    const logs: { message: string; context?: Record<string, unknown> }[] = [];
    const c = ctx(undefined, (_l, message, context) => logs.push({ message, context }));
    const input = { url: `${base}/json?token=secret`, headers: { authorization: "Bearer secret" }, rateLimit: "api", cache: { ttlMs: 200 } };
    const first = await run(pool, input, c);
    const second = await run(pool, input, c);
    expect(second).toEqual(first);
    expect(hits).toHaveLength(1);
    expect(pool.calls).toHaveLength(1);
    expect(logs.at(-1)).toMatchObject({ message: expect.stringMatching(new RegExp(`^GET ${base}/json served from cache \\(\\d+ ms old\\)$`)), context: { cache: "hit", status: 200 } });
    // Neither the query string nor the headers are logged.
    expect(JSON.stringify(logs)).not.toContain("secret");
    await new Promise((r) => setTimeout(r, 220));
    await run(pool, input, c);
    expect(hits).toHaveLength(2);
    expect(pool.calls).toHaveLength(2);
  });

  it("keys the cache by method, URL and headers; caches neither other methods nor non-2xx answers", async () => {
    const pool = createHttpPool();
    const cache = { ttlMs: 10_000 };
    await run(pool, { url: `${base}/json`, cache });
    await run(pool, { url: `${base}/json`, cache, headers: { "x-a": "1" } });
    await run(pool, { url: `${base}/json`, cache, headers: { "X-A": "1" } }); // header names are case-insensitive
    await run(pool, { url: `${base}/json?x=1`, cache });
    await run(pool, { method: "HEAD", url: `${base}/json`, cache });
    await run(pool, { method: "POST", url: `${base}/json`, cache, body: {} });
    await run(pool, { method: "POST", url: `${base}/json`, cache, body: {} });
    await run(pool, { url: `${base}/missing`, cache, expectStatus: [404] });
    await run(pool, { url: `${base}/missing`, cache, expectStatus: [404] });
    await run(pool, { url: `${base}/json` }); // no cache asked: always goes out
    expect(hits).toEqual([
      "GET /json", "GET /json", "GET /json?x=1", "HEAD /json", "POST /json", "POST /json", "GET /missing", "GET /missing", "GET /json",
    ]);
    expect(pool.cache.size).toBe(4);
  });

  it("a shorter ttlMs does not accept an older cached answer", async () => {
    const pool = createHttpPool();
    await run(pool, { url: `${base}/text`, cache: { ttlMs: 10_000 } });
    await new Promise((r) => setTimeout(r, 60));
    await run(pool, { url: `${base}/text`, cache: { ttlMs: 50 } });
    await run(pool, { url: `${base}/text`, cache: { ttlMs: 10_000 } });
    expect(hits).toHaveLength(2);
  });

  it("cache keys hide the URL and headers", () => {
    const key = cacheKey("GET", "http://x/?token=secret", { Authorization: "secret" });
    expect(key).not.toContain("secret");
    expect(key).toBe(cacheKey("GET", "http://x/?token=secret", { authorization: "secret" }));
    expect(key).not.toBe(cacheKey("HEAD", "http://x/?token=secret", { authorization: "secret" }));
  });

  it("validates rateLimit and cache in the input, naming the field", () => {
    const registry = new HandlerRegistry();
    const fieldOf = (input: unknown) => {
      try {
        registry.parseInput("http", input, "tasks[0].input");
        return null;
      } catch (e) {
        return (e as { field: string }).field;
      }
    };
    expect(fieldOf({ url: "http://example.com", rateLimit: "bad name" })).toBe("tasks[0].input.rateLimit");
    expect(fieldOf({ url: "http://example.com", cache: { ttlMs: 0 } })).toBe("tasks[0].input.cache.ttlMs");
    expect(fieldOf({ url: "http://example.com", cache: { ttlMs: 86_400_001 } })).toBe("tasks[0].input.cache.ttlMs");
    expect(fieldOf({ url: "http://example.com", cache: { ttl: 5 } })).toBe("tasks[0].input.cache.ttlMs"); // required
    expect(fieldOf({ url: "http://example.com", rateLimit: "api.v1", cache: { ttlMs: 1000 } })).toBeNull();
  });
});
