import { z } from "zod";
import { RATE_LIMIT_LIMITS } from "../../domain/rate-limit.ts";
import { defineHandler, HandlerError } from "./define.ts";
import { acquireSlot, cacheKey, createHttpPool, HTTP_CACHE_LIMITS, MAX_HTTP_BODY_BYTES, type CachedResponse, type HttpPool } from "./http-pool.ts";

export const httpInput = z
  .object({
    method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
    url: z.url({ protocol: /^https?$/ }),
    headers: z.record(z.string(), z.string().max(8192)).optional(),
    body: z.unknown().optional(),
    timeoutMs: z.number().int().min(1).max(300_000).default(30_000),
    expectStatus: z.array(z.number().int().min(100).max(599)).max(50).optional(),
    /** The name of a rate limit (setRateLimit): each request takes a slot, waiting for the next window when it is full. */
    rateLimit: z.string().regex(RATE_LIMIT_LIMITS.name, "a rate limit name: 1 to 100 characters of letters, digits, _ . : -").optional(),
    /** GET and HEAD answers with a 2xx status are served from this worker's memory for ttlMs. */
    cache: z.object({ ttlMs: z.number().int().min(1).max(HTTP_CACHE_LIMITS.maxTtlMs) }).strict().optional(),
  })
  .strict();

/** The `http` built-in, going through `pool` (rate limits and the response cache). */
export function createHttp(pool: HttpPool = createHttpPool()) {
  return defineHandler("http", {
    input: httpInput,
    async run(input, ctx) {
      // Origin and path only: query strings and headers may carry credentials.
      const { origin, pathname } = new URL(input.url);
      const where = `${input.method} ${origin}${pathname}`;
      const cached = input.cache && (input.method === "GET" || input.method === "HEAD") ? { key: cacheKey(input.method, input.url, input.headers), ttlMs: input.cache.ttlMs } : null;
      if (cached) {
        const hit = pool.cache.get(cached.key, cached.ttlMs);
        if (hit) {
          ctx.log("INFO", `${where} served from cache (${hit.ageMs} ms old)`, { status: hit.value.status, cache: "hit", ageMs: hit.ageMs });
          return answer(input, hit.value);
        }
      }
      if (input.rateLimit) await acquireSlot(pool, input.rateLimit, ctx);
      const body = input.body === undefined ? undefined : typeof input.body === "string" ? input.body : JSON.stringify(input.body);
      const response = await fetch(input.url, {
        method: input.method,
        headers: { ...(typeof input.body === "object" && input.body !== null ? { "content-type": "application/json" } : {}), ...input.headers },
        body,
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(input.timeoutMs)]),
      });
      const text = await readBounded(response);
      const bytes = Buffer.byteLength(text);
      ctx.log("INFO", `${where} answered ${response.status}`, { status: response.status, bytes, ...(cached ? { cache: "miss" } : {}) });
      const got: CachedResponse = { status: response.status, contentType: response.headers.get("content-type"), text };
      const output = answer(input, got);
      if (cached && response.ok) pool.cache.set(cached.key, got, bytes, cached.ttlMs);
      return output;
    },
  });
}

/** The task's output from a response, live or cached; throws HTTP_STATUS when the status is not the expected one. */
function answer(input: z.output<typeof httpInput>, r: CachedResponse): { status: number; body: unknown } {
  const ok = input.expectStatus ? input.expectStatus.includes(r.status) : r.status >= 200 && r.status < 300;
  if (!ok)
    throw new HandlerError(`${input.method} ${new URL(input.url).origin} answered ${r.status}`, "HTTP_STATUS", r.status >= 500, { status: r.status });
  let parsed: unknown = r.text;
  if (r.text !== "" && r.contentType?.includes("json")) parsed = JSON.parse(r.text);
  return { status: r.status, body: parsed };
}

// A hostile or huge response must not exhaust memory: stop reading past the bound.
async function readBounded(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_HTTP_BODY_BYTES) {
      await reader.cancel();
      throw new HandlerError(`response body exceeds ${MAX_HTTP_BODY_BYTES} bytes`, "HTTP_BODY_TOO_LARGE");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export const http = createHttp();
