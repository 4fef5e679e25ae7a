import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LRUCache } from "lru-cache";
import type { Plugin } from "graphql-yoga";
import type { AuthState } from "../domain/auth.ts";
import type { Services } from "../services/context.ts";
import type { Authenticator } from "./auth.ts";
import { acceptsEventStream } from "./csrf.ts";
import { rateKey, rateLimited, type RateLimiter } from "./rate-limit.ts";

// Stream tickets (#16 item 4): how a browser's EventSource, which can send no header, authenticates a
// GET subscription in keys mode without the API key in the URL (URLs end up in proxy and access logs).
// The page POSTs to /graphql/stream-ticket with its key in the Authorization header and opens
// `EventSource("/graphql?query=subscription…&ticket=est_…")` right away. A ticket:
//  - is good for one subscription over SSE (a GET asking for text/event-stream), nothing else;
//  - expires STREAM_TICKET_TTL_MS (30 s) after it was minted, and is refused once used (per API process);
//  - runs the stream as its key (role, revocation: the stream ends when the key is revoked);
//  - is `est_<keyId>.<expiresAtMs>.<nonce>.<hmac>`, the HMAC keyed by what the database holds of the key
//    (its secret's SHA-256), so every API process can check it without shared state, and nobody without
//    the key (or the database) can make one. A ticket in a log is spent, or worthless within seconds.

export const TICKET_PREFIX = "est_";
/** The URL parameter that carries a ticket. */
export const TICKET_PARAM = "ticket";
const NONCE_BYTES = 18;

export type Redeemed = { ok: true; auth: AuthState } | { ok: false; reason: string };

export class StreamTickets {
  /** Tickets redeemed here, until they expire (bounded: past `max`, the oldest go, and their tickets have seconds left at most). */
  private readonly used: LRUCache<string, true>;

  constructor(
    private readonly services: Pick<Services, "db" | "clock">,
    private readonly authenticator: Pick<Authenticator, "mode">,
    readonly ttlMs: number,
  ) {
    this.used = new LRUCache({ max: 100_000, ttl: ttlMs + 1000, ttlAutopurge: false });
  }

  /** A ticket for the caller's key; in open and disabled mode one that is not checked (none is needed). */
  async mint(auth: AuthState): Promise<{ ticket: string; expiresAt: Date } | null> {
    const expires = this.services.clock().getTime() + this.ttlMs;
    const nonce = randomBytes(NONCE_BYTES).toString("base64url");
    if (auth.mode !== "keys") return { ticket: `${TICKET_PREFIX}${auth.mode}.${expires}.${nonce}.-`, expiresAt: new Date(expires) };
    if (!auth.key) return null;
    const row = await this.services.db.prisma.apiKey.findUnique({ where: { id: auth.key.id }, select: { hash: true, revokedAt: true } });
    if (!row || row.revokedAt) return null;
    const body = `${auth.key.id}.${expires}.${nonce}`;
    return { ticket: `${TICKET_PREFIX}${body}.${sign(row.hash, body)}`, expiresAt: new Date(expires) };
  }

  /** The AuthState a ticket gives (keys mode), once; in open and disabled mode tickets are not checked. */
  async redeem(ticket: string): Promise<Redeemed> {
    const mode = this.authenticator.mode;
    if (mode !== "keys") return { ok: true, auth: { mode, key: null } };
    const parts = ticket.startsWith(TICKET_PREFIX) ? ticket.slice(TICKET_PREFIX.length).split(".") : [];
    if (parts.length !== 4 || !/^[0-9a-f-]{36}$/.test(parts[0]!)) return { ok: false, reason: "it is not a stream ticket of this API in keys mode" };
    const [keyId, expiresText, , signature] = parts as [string, string, string, string];
    const expires = Number(expiresText);
    const now = this.services.clock().getTime();
    if (!Number.isSafeInteger(expires) || expires <= now) return { ok: false, reason: "it expired (tickets last a few seconds: mint one right before opening the stream)" };
    if (expires > now + this.ttlMs + 60_000) return { ok: false, reason: "its expiry is too far ahead" };
    if (this.used.has(ticket)) return { ok: false, reason: "it was used already (a ticket opens one stream)" };
    const row = await this.services.db.prisma.apiKey.findUnique({ where: { id: keyId }, select: { id: true, name: true, role: true, hash: true, revokedAt: true } });
    const body = parts.slice(0, 3).join(".");
    if (!row || !equal(signature, sign(row.hash, body))) return { ok: false, reason: "its signature does not match any API key" };
    if (row.revokedAt) return { ok: false, reason: "its API key is revoked" };
    if (this.used.has(ticket)) return { ok: false, reason: "it was used already (a ticket opens one stream)" }; // a concurrent redemption won
    this.used.set(ticket, true);
    return { ok: true, auth: { mode: "keys", key: { id: row.id, name: row.name, role: row.role } } };
  }
}

/** HMAC-SHA256 of the ticket body, keyed by a key derived from the API key's stored hash. */
function sign(keyHash: string, body: string): string {
  const key = createHmac("sha256", keyHash).update("engine stream ticket v1").digest();
  return createHmac("sha256", key).update(body).digest("base64url");
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The ticket a request brings: only a GET asking for an event stream, with no Authorization header, may bring one. */
export function ticketOf(request: { method?: string; url?: string; headers: Headers }): string | null {
  if (request.method !== "GET" || request.url === undefined || request.headers.has("authorization") || !acceptsEventStream(request)) return null;
  return new URL(request.url, "http://localhost").searchParams.get(TICKET_PARAM);
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });
const refusal = (status: number, message: string, code: string, headers: Record<string, string> = {}) => json(status, { errors: [{ message, extensions: { code } }] }, headers);

/**
 * POST <graphql endpoint>/stream-ticket with `Authorization: Bearer <key>`: 201 `{ ticket, expiresAt }`.
 * Served through yoga, so CORS (CORS_ORIGINS) applies to it as to /graphql; it takes a rate-limit token.
 */
export function useStreamTicketEndpoint(opts: {
  /** <graphql endpoint>/stream-ticket */
  path: string;
  tickets: StreamTickets;
  authenticate: (request: Request, res: ServerResponse | undefined) => Promise<AuthState>;
  rateLimiter: RateLimiter;
}): Plugin {
  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      if (url.pathname !== opts.path) return;
      if (request.method !== "POST") return endResponse(refusal(405, `use POST ${opts.path} with Authorization: Bearer <key>`, "HTTP_405", { allow: "POST" }));
      const auth = await opts.authenticate(request, undefined);
      const limited = rateLimited(opts.rateLimiter, rateKey({ auth, req: (serverContext as { req?: IncomingMessage }).req }), false);
      if (limited) return endResponse(refusal(429, limited[0]!.message, "RATE_LIMITED", { "retry-after": String(limited[0]!.extensions.retryAfterSeconds) }));
      const minted = await opts.tickets.mint(auth);
      if (!minted) {
        const why = auth.rejectedKey ? "the API key is invalid or revoked" : "no API key was given (Authorization: Bearer <key>)";
        return endResponse(refusal(401, `a stream ticket needs an API key: ${why}`, "UNAUTHENTICATED", { "www-authenticate": "Bearer" }));
      }
      endResponse(json(201, { ticket: minted.ticket, expiresAt: minted.expiresAt.toISOString() }));
    },
  };
}
