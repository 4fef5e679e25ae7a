import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError, parse } from "graphql";
import type { Plugin } from "graphql-yoga";
import { useGraphQLSSE } from "@graphql-yoga/plugin-graphql-sse";
import type { AuthState } from "../domain/auth.ts";
import type { Services } from "../services/context.ts";
import type { Authenticator } from "./auth.ts";
import { trackResponse } from "./auth-transports.ts";
import { acceptsEventStream, csrfExposed, isSubscription } from "./csrf.ts";
import { clientErrorJSON } from "./client-errors.ts";
import { rateKey, rateLimited, type RateLimiter } from "./rate-limit.ts";
import { TICKET_PARAM, type StreamTickets } from "./stream-tickets.ts";

// graphql-sse's protocol (#16 item 4) at <graphql endpoint>/stream through yoga's plugin for it, in both
// modes: distinct connections (one SSE response per operation, as on /graphql itself) and single
// connection (PUT reserves a stream and answers its token; a GET with the token opens it; operations are
// POSTed with the token and their results arrive on the stream; DELETE ?operationId= stops one).
//
// The plugin answers before yoga parses anything, so this gate applies /graphql's rules first:
// - CSRF as on /graphql: a request a browser sends without a preflight needs x-graphql-yoga-csrf, except
//   a GET stream: a subscription (distinct mode) or the opening of a reserved stream (it runs nothing).
// - keys mode: a key in the Authorization header, or for a GET stream (an EventSource sends no header) a
//   stream ticket (distinct mode) or the reservation's token (single connection mode, below).
// - a rate-limit token per operation, and the operation allow-list of persisted operations (`check`).
// A reservation belongs to the key that made it: operations and DELETEs on it need that key (another key
// gets 404, as for an unknown token); its GET may come without a header, once, within the ticket time
// (STREAM_TICKET_TTL_MS), which makes the token a ticket too. A reservation not opened in that time is
// dropped. The stream ends when its key is revoked. Reservations live in the API process that made them:
// behind a load balancer, route by the token (X-GraphQL-Event-Stream-Token header, `token` parameter)
// or use distinct connections mode.

export const TOKEN_HEADER = "x-graphql-event-stream-token";
const TOKEN_PARAM = "token";
/** Reservations not yet opened, per key (or per open-mode client) and per API process. */
const MAX_PENDING_PER_OWNER = 16;
const MAX_RESERVATIONS = 10_000;

type ServerContext = { req?: IncomingMessage & { body?: Buffer }; res?: ServerResponse; auth?: AuthState };

interface Reservation {
  owner: string;
  opened: boolean;
  expiry?: NodeJS.Timeout;
}

export interface GraphQLSSEOptions {
  /** <graphql endpoint>/stream */
  path: string;
  services: Pick<Services, "db" | "log">;
  authenticator: Authenticator;
  tickets: StreamTickets;
  rateLimiter: RateLimiter;
  maxTokens: () => number;
  /** The persisted-operations rule for a document sent as text (null: allowed). */
  check?: (params: { query: string; extensions?: Record<string, unknown> }) => GraphQLError | null;
}

const json = (status: number, message: string, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
const fromError = (error: GraphQLError) => {
  const http = (error.extensions.http ?? {}) as { status?: number; headers?: Record<string, string> };
  return new Response(JSON.stringify({ errors: [clientErrorJSON(error)] }), { status: http.status ?? 400, headers: { "content-type": "application/json; charset=utf-8", ...http.headers } });
};
const ownerOf = (auth: AuthState) => auth.key?.id ?? auth.mode;

/** The gate and yoga's graphql-sse plugin, in this order. */
export function useGraphQLSSEWithGate(opts: GraphQLSSEOptions): Plugin<ServerContext>[] {
  const reservations = new Map<string, Reservation>();
  const reserved = new WeakMap<Request, string>();
  const pending = (owner: string) => [...reservations.values()].filter((r) => r.owner === owner && !r.opened).length;

  // The plugin serves every URL whose path ends with its endpoint: the gate takes the same ones.
  const ours = (request: Request) => request.url.split("?")[0]!.endsWith(opts.path);
  const sse = useGraphQLSSE({
    endpoint: opts.path,
    authenticate: (req) => reserved.get(req.raw) ?? req.headers.get(TOKEN_HEADER) ?? new URL(req.url, "http://localhost").searchParams.get(TOKEN_PARAM) ?? undefined,
    // Results as graphql-ws sends them: coded, without yoga's internal extensions.http.
    onNext: (_ctx, _req, result) => (result.errors ? { ...result, errors: result.errors.map((e) => (e instanceof GraphQLError ? clientErrorJSON(e) : e)) } : undefined) as never,
  }) as Plugin<ServerContext>;
  let fetchAPI: { Request: typeof Request } = { Request };

  /** Drops a reservation: graphql-sse forgets a stream when its GET ends, so it is opened here and ended at once. */
  const drop = async (token: string, base: string) => {
    reservations.delete(token);
    const request = new fetchAPI.Request(`${base}?${TOKEN_PARAM}=${encodeURIComponent(token)}`, { headers: { accept: "text/event-stream", [TOKEN_HEADER]: token }, signal: AbortSignal.abort() });
    let response: Response | undefined;
    await (sse.onRequest as (p: object) => unknown)({ request, url: new URL(request.url), serverContext: {}, endResponse: (r: Response) => void (response = r), fetchAPI });
    await response?.body?.cancel().catch(() => undefined);
  };

  const gate: Plugin<ServerContext> = {
    onYogaInit({ yoga }) {
      fetchAPI = yoga.fetchAPI as never;
    },
    async onRequest({ request, url, endResponse, serverContext: initial }) {
      if (!ours(request)) return;
      const serverContext = initial as ServerContext;
      const method = request.method.toUpperCase();
      const stream = acceptsEventStream(request);
      const token = request.headers.get(TOKEN_HEADER) ?? url.searchParams.get(TOKEN_PARAM);
      const reservation = token === null ? undefined : reservations.get(token);
      if (token !== null && method !== "PUT" && !reservation) return endResponse(json(404, "Stream not found: reserve one with PUT first (it lasts until its stream ends, or a few seconds unopened)", "STREAM_NOT_FOUND"));

      // The operation, when the request carries one: in the URL (GET), in the JSON body (POST).
      const carries = (method === "GET" && !reservation) || (method === "POST" && stream) || (method === "POST" && !!reservation) || (method === "GET" && !!reservation && !stream);
      const params = carries ? paramsOf(method, url, serverContext.req?.body) : null;
      if (params && typeof params.query === "string") {
        try {
          parse(params.query, { maxTokens: opts.maxTokens(), noLocation: true });
        } catch (err) {
          // The codes /graphql gives: the token limit's, or a syntax error's.
          const message = (err as Error).message;
          return endResponse(fromError(new GraphQLError(message, { extensions: { code: /\d+ tokens\. Parsing aborted/.test(message) ? "QUERY_TOO_LARGE" : "GRAPHQL_PARSE_FAILED" } })));
        }
      }
      const openingReserved = method === "GET" && stream && !!reservation;
      if (csrfExposed(request) && !openingReserved && !(method === "GET" && stream && params && isSubscription(params, opts.maxTokens())))
        return endResponse(json(403, "Required CSRF header(s) not present: send x-graphql-yoga-csrf (any value); without it a GET may only run a subscription, with Accept: text/event-stream", "CSRF_HEADER_REQUIRED"));

      // Who asks.
      let auth: AuthState;
      const header = request.headers.get("authorization");
      const ticket = method === "GET" && stream && !header && !reservation ? url.searchParams.get(TICKET_PARAM) : null;
      if (ticket !== null) {
        if (!params || !isSubscription(params, opts.maxTokens())) return endResponse(json(400, "a stream ticket authenticates only a subscription (GET with Accept: text/event-stream)", "STREAM_TICKET_MISUSED"));
        const redeemed = await opts.tickets.redeem(ticket);
        if (!redeemed.ok) return endResponse(json(401, `the stream ticket is refused: ${redeemed.reason}`, "STREAM_TICKET_INVALID", { "www-authenticate": "Bearer" }));
        auth = redeemed.auth;
      } else if (openingReserved && !header) {
        auth = await ownerAuth(opts, reservation!.owner);
      } else {
        auth = await opts.authenticator.authenticate(header);
      }
      if (auth.mode === "keys" && !auth.key) {
        const why = auth.rejectedKey ? "the API key is invalid or revoked" : "no API key was given (Authorization: Bearer <key>; for a GET stream from an EventSource, a stream ticket)";
        return endResponse(json(401, `graphql-sse needs an API key: ${why}`, "UNAUTHENTICATED", { "www-authenticate": "Bearer" }));
      }
      if (reservation && reservation.owner !== ownerOf(auth)) return endResponse(json(404, "Stream not found: reserve one with PUT first", "STREAM_NOT_FOUND"));

      if (params) {
        const limited = rateLimited(opts.rateLimiter, rateKey({ auth, req: serverContext.req }), false);
        if (limited) return endResponse(fromError(limited[0]!));
        const refused = typeof params.query === "string" ? opts.check?.({ query: params.query, extensions: params.extensions }) : null;
        if (refused) return endResponse(fromError(refused));
      }

      if (method === "PUT") {
        const owner = ownerOf(auth);
        if (reservations.size >= MAX_RESERVATIONS || pending(owner) >= MAX_PENDING_PER_OWNER)
          return endResponse(json(429, `too many reserved streams not opened yet (at most ${MAX_PENDING_PER_OWNER} per key); open them or wait ${Math.ceil(opts.tickets.ttlMs / 1000)} s`, "TOO_MANY_STREAM_RESERVATIONS"));
        const fresh = randomBytes(24).toString("base64url");
        const entry: Reservation = { owner, opened: false };
        entry.expiry = setTimeout(() => void drop(fresh, url.origin + url.pathname).catch((err: Error) => opts.services.log.warn({ err: err.message }, "could not drop an unopened graphql-sse reservation")), opts.tickets.ttlMs);
        entry.expiry.unref();
        reservations.set(fresh, entry);
        reserved.set(request, fresh);
      } else if (openingReserved) {
        if (reservation!.opened) return endResponse(json(409, "Stream already open", "STREAM_ALREADY_OPEN"));
        reservation!.opened = true;
        clearTimeout(reservation!.expiry);
        serverContext.res?.once("close", () => reservations.delete(token!));
      }
      serverContext.auth = auth;
      trackResponse(opts.authenticator, auth, serverContext.res, stream);
    },
  };
  return [gate, sse];
}

/** A reserved stream opened without a header runs as the key that reserved it, if that key still works. */
async function ownerAuth(opts: GraphQLSSEOptions, owner: string): Promise<AuthState> {
  const mode = opts.authenticator.mode;
  if (mode !== "keys") return { mode, key: null };
  if (owner === "open" || owner === "disabled") return { mode, key: null };
  const row = await opts.services.db.prisma.apiKey.findUnique({ where: { id: owner }, select: { id: true, name: true, role: true, revokedAt: true } });
  return row && !row.revokedAt ? { mode, key: { id: row.id, name: row.name, role: row.role } } : { mode, key: null, rejectedKey: true };
}

interface Params {
  query?: unknown;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

/** The operation's params as graphql-sse will read them (null when it will refuse them itself). */
function paramsOf(method: string, url: URL, body: Buffer | undefined): (Params & { query?: string }) | null {
  try {
    const raw: Params =
      method === "GET"
        ? { query: url.searchParams.get("query") ?? undefined, operationName: url.searchParams.get("operationName") ?? undefined, extensions: JSON.parse(url.searchParams.get("extensions") ?? "null") ?? undefined }
        : (JSON.parse(body?.toString("utf8") ?? "null") as Params);
    if (!raw || typeof raw !== "object") return null;
    return { query: typeof raw.query === "string" ? raw.query : undefined, operationName: typeof raw.operationName === "string" ? raw.operationName : undefined, extensions: raw.extensions && typeof raw.extensions === "object" ? raw.extensions : undefined };
  } catch {
    return null;
  }
}
