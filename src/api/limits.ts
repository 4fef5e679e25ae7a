import type { Config } from "../config/env.ts";
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from "../graphql/limits.ts";
import type { RateLimit } from "./rate-limit.ts";
import { parseOrigins } from "./origins.ts";

/** Everything one API process bounds per client: operations, bodies, request rate, WebSocket use. */
export interface ApiLimits extends QueryLimits {
  /** Largest POST /graphql body (413 past it). */
  maxBodyBytes: number;
  rateLimit: RateLimit;
  /** Operations running at once on one graphql-ws connection. */
  wsMaxSubscriptions: number;
  /** Largest graphql-ws message (the socket is closed with 1009 past it). */
  wsMaxPayloadBytes: number;
  /** Browser origins allowed cross-site (CORS and WebSocket upgrades), lower case; none: same origin only. */
  corsOrigins: string[];
  /** How long a stream ticket (and an unopened graphql-sse reservation) is good for (stream-tickets.ts). */
  streamTicketTtlMs: number;
  /** Automatic persisted queries: documents kept per API process, by count (0: APQ off) and total bytes (persisted.ts). */
  apqMaxEntries: number;
  apqMaxBytes: number;
  /** TRUSTED_DOCUMENTS: the only operations this API runs, by id (unset: any operation). */
  trustedDocuments?: ReadonlyMap<string, string>;
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  ...DEFAULT_QUERY_LIMITS,
  maxBodyBytes: 1024 * 1024,
  rateLimit: { perSecond: 50, burst: 200 },
  wsMaxSubscriptions: 100,
  wsMaxPayloadBytes: 1024 * 1024,
  corsOrigins: [],
  streamTicketTtlMs: 30_000,
  apqMaxEntries: 1000,
  apqMaxBytes: 16 * 1024 * 1024,
};

export function apiLimitsFrom(config: Config): ApiLimits {
  return {
    maxTokens: config.GRAPHQL_MAX_TOKENS,
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxCost: config.GRAPHQL_MAX_COST,
    maxAliases: config.GRAPHQL_MAX_ALIASES,
    maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
    introspection: config.GRAPHQL_INTROSPECTION,
    fieldSuggestions: config.GRAPHQL_FIELD_SUGGESTIONS,
    maxBodyBytes: config.GRAPHQL_MAX_BODY_BYTES,
    rateLimit: { perSecond: config.RATE_LIMIT_PER_SECOND, burst: config.RATE_LIMIT_BURST },
    wsMaxSubscriptions: config.WS_MAX_SUBSCRIPTIONS,
    wsMaxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
    corsOrigins: parseOrigins(config.CORS_ORIGINS),
    streamTicketTtlMs: config.STREAM_TICKET_TTL_MS,
    apqMaxEntries: config.APQ_MAX_ENTRIES,
    apqMaxBytes: config.APQ_MAX_BYTES,
    trustedDocuments: config.TRUSTED_DOCUMENTS,
  };
}
