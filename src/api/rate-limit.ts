import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import { accessOf } from "../graphql/access.ts";

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
 * One token per operation (query, mutation or subscription start), taken once the context (and so the
 * caller's key) is known. Over HTTP a refusal is a 429 with Retry-After; over graphql-ws (a context with
 * `socket`) the operation gets a GraphQL error; both with code RATE_LIMITED.
 */
export function useRateLimit(limiter: RateLimiter): Plugin {
  const refuse = (contextValue: unknown, set: (result: { errors: GraphQLError[] }) => void) => {
    const taken = limiter.take(rateKey(contextValue));
    if (taken.ok) return;
    const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    const ws = (contextValue as { socket?: unknown }).socket !== undefined;
    const { perSecond, burst } = limiter.limit;
    const message = `rate limit exceeded: ${perSecond} requests per second (bursts of ${burst}) per API key or client address; retry in ${seconds} s`;
    const http = ws ? {} : { http: { status: 429, headers: { "Retry-After": String(seconds) } } };
    set({ errors: [new GraphQLError(message, { extensions: { code: "RATE_LIMITED", retryAfterSeconds: seconds, ...http } })] });
  };
  return {
    onExecute: ({ args, setResultAndStopExecution }) => refuse(args.contextValue, setResultAndStopExecution),
    onSubscribe: ({ args, setResultAndStopExecution }) => refuse(args.contextValue, setResultAndStopExecution),
  };
}
