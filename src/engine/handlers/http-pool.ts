import { createHash } from "node:crypto";
import { slotRetryDelayMs } from "../../domain/rate-limit.ts";
import type { SqlClient } from "../../infra/sql.ts";
import { takeRateSlot, type RateSlot } from "../../store/rate-limit.ts";
import { abortableDelay, HandlerError, type HandlerContext } from "./define.ts";
import { ResponseCache } from "./response-cache.ts";

// The shared HTTP resource of the built-in `http` handler: named rate limits counted in the database (every
// worker together) and an in-process response cache (per worker). Connections are pooled by Node's fetch
// (undici keeps connections alive per origin and reuses them), so there is no client pool of our own.

export const MAX_HTTP_BODY_BYTES = 256 * 1024;

export const HTTP_CACHE_LIMITS = { maxEntries: 500, maxEntryBytes: MAX_HTTP_BODY_BYTES, maxTotalBytes: 32 * 1024 * 1024, maxTtlMs: 86_400_000 } as const;

export interface CachedResponse {
  status: number;
  contentType: string | null;
  text: string;
}

export interface HttpPool {
  cache: ResponseCache<CachedResponse>;
  /** Absent where the process has no database (a bare HandlerRegistry in unit tests). */
  takeSlot?: (name: string) => Promise<RateSlot>;
  random: () => number;
}

/** One per process: the worker's http handler takes slots through sql and caches in memory. */
export function createHttpPool(sql?: SqlClient, random: () => number = Math.random): HttpPool {
  return { cache: new ResponseCache<CachedResponse>(HTTP_CACHE_LIMITS), takeSlot: sql ? (name) => takeRateSlot(sql, name) : undefined, random };
}

/**
 * The cache key of a request: a hash of method, URL and headers (names lower-cased, sorted), so neither
 * the URL's query string nor the headers, which may carry credentials, are kept in memory as such.
 */
export function cacheKey(method: string, url: string, headers: Record<string, string> = {}): string {
  const sorted = Object.entries(headers)
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify([method, url, sorted])).digest("base64url");
}

/**
 * Waits for a slot of the named rate limit: when its window is full, sleeps until the window ends and asks
 * again, so a rate-limited request is delayed, never failed. Rejects with the signal's reason on
 * cancel or timeout, and with a non-recoverable UNKNOWN_RATE_LIMIT when no limit has this name.
 */
export async function acquireSlot(pool: HttpPool, name: string, ctx: Pick<HandlerContext, "signal" | "log">): Promise<{ waitedMs: number }> {
  const takeSlot = pool.takeSlot;
  if (!takeSlot) throw new HandlerError(`rate limit "${name}": this process has no rate limiter (no database)`, "RATE_LIMIT_UNAVAILABLE", false, { rateLimit: name });
  const started = Date.now();
  for (let waits = 0; ; waits++) {
    ctx.signal.throwIfAborted();
    const slot = await takeSlot(name);
    switch (slot.kind) {
      case "granted": {
        const waitedMs = Date.now() - started;
        if (waits > 0) ctx.log("INFO", `rate limit "${name}": slot taken after waiting ${waitedMs} ms`, { rateLimit: name, waitedMs, waits });
        return { waitedMs };
      }
      case "unknown":
        throw new HandlerError(`no rate limit named "${name}" (create it with setRateLimit)`, "UNKNOWN_RATE_LIMIT", false, { rateLimit: name });
      case "wait": {
        const ms = slotRetryDelayMs(slot.waitMs, slot.windowMs, pool.random());
        if (waits === 0)
          ctx.log("INFO", `rate limit "${name}" is full (${slot.requests} per ${slot.windowMs} ms): waiting ${ms} ms for the next window`, {
            rateLimit: name,
            waitMs: ms,
          });
        await abortableDelay(ms, ctx.signal);
        break;
      }
    }
  }
}
