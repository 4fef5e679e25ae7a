import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import { accessOf } from "../graphql/access.ts";
import { keyRefusal } from "../graphql/auth.ts";
import type { AuthState } from "../domain/auth.ts";

export interface RateLimit {
  /** Tokens added per second; 0 turns the limit off. */
  perSecond: number;
  /** Bucket size: requests allowed at once after a quiet spell. */
  burst: number;
}

export type Take = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Token buckets per client, in memory (each API process limits on its own). The map is bounded:
 * buckets are kept in least-recently-used order and the oldest is dropped past `maxKeys` (a bucket idle
 * for burst/perSecond seconds is full again, so dropping it loses nothing).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  take(key: string): Take {
    if (this.limit.perSecond <= 0) return { ok: true };
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    this.buckets.delete(key); // re-inserted last: Map order is the LRU order
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    const ok = bucket.tokens >= 1;
    if (ok) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return ok ? { ok: true } : { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / this.limit.perSecond) * 1000) };
  }
}

/** The bucket of a request: its API key, or else the client's address. */
export function rateKey(ctx: unknown): string {
  const { keyId } = accessOf(ctx);
  if (keyId) return `key:${keyId}`;
  const req = (ctx as { req?: IncomingMessage } | undefined)?.req;
  return `ip:${req?.socket?.remoteAddress ?? "unknown"}`;
}

/**
 * One token per operation of the bucket `key`; null when taken, else the refusal: over HTTP a 429 with
 * Retry-After, over graphql-ws (`ws`) a GraphQL error; both with code RATE_LIMITED.
 */
export function rateLimited(limiter: RateLimiter, key: string, ws: boolean): GraphQLError[] | null {
  const taken = limiter.take(key);
  if (taken.ok) return null;
  const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
  const { perSecond, burst } = limiter.limit;
  const message = `rate limit exceeded: ${perSecond} requests per second (bursts of ${burst}) per API key or client address; retry in ${seconds} s`;
  const http = ws ? {} : { http: { status: 429, headers: { "Retry-After": String(seconds) } } };
  return [new GraphQLError(message, { extensions: { code: "RATE_LIMITED", retryAfterSeconds: seconds, ...http } })];
}

/**
 * HTTP and SSE: each operation's params, before anything is parsed or validated, are refused without a
 * usable key (keys mode: 401) and take a rate-limit token (429 past it). The caller's auth is kept in the
 * server context, so the request's context reuses it. graphql-ws does the same in app.ts onSubscribe.
 */
export function useRateLimit(limiter: RateLimiter, authenticate: (request: Request, res: ServerResponse | undefined) => Promise<AuthState>): Plugin {
  return {
    async onParams({ params, request, context, setResult }) {
      const server = context as { req?: IncomingMessage; res?: ServerResponse; auth?: AuthState };
      const auth = (server.auth ??= await authenticate(request, server.res));
      const refused = keyRefusal({ auth }, params.operationName);
      if (refused) return setResult(refused);
      const errors = rateLimited(limiter, rateKey({ ...server, auth }), false);
      if (errors) setResult({ errors });
    },
  };
}
