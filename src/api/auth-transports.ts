import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebSocket } from "ws";
import { GraphQLError } from "graphql";
import { scopesFor, type AuthState } from "../domain/auth.ts";
import { OPEN_SESSIONS, type Authenticator } from "./auth.ts";
import { ticketOf } from "./stream-tickets.ts";

// Where each transport carries the key, and how its sessions end when the key is revoked:
// HTTP and SSE: `Authorization: Bearer <key>` (an SSE stream is closed on revocation); a browser's
// EventSource, which sends no header, brings a stream ticket instead (stream-tickets.ts);
// graphql-ws: connectionParams `{ authorization: "Bearer <key>" }` (or the upgrade request's header),
// checked in onConnect and again before every operation; the socket closes with 4401 on revocation.

/** graphql-ws closes a connection whose key is missing, invalid or revoked with this code (the client does not retry it). */
export const WS_UNAUTHORIZED = 4401;

/** ctx.auth for an HTTP request or SSE stream; a response made with a key ends if the key is revoked. */
export async function httpAuth(authenticator: Authenticator, request: { headers: Headers; method?: string; url?: string } | undefined, res: ServerResponse | undefined, tickets?: TicketAuth): Promise<AuthState> {
  const ticket = tickets && request ? ticketOf(request) : null;
  const auth = ticket !== null ? await tickets!.redeem(request!, ticket) : await authenticator.authenticate(request?.headers.get("authorization"));
  // Without a key (open mode), only streams (SSE, multipart) are tracked: they end when open mode does.
  trackResponse(authenticator, auth, res, /text\/event-stream|multipart\/mixed/.test(request?.headers.get("accept") ?? ""));
  return auth;
}

/** Ends `res` when the key of `auth` is revoked (or, for a stream made in open mode, when open mode ends). */
export function trackResponse(authenticator: Authenticator, auth: AuthState, res: ServerResponse | undefined, stream: boolean): void {
  if ((auth.key || (auth.mode === "open" && stream)) && res && !res.writableEnded) {
    const untrack = authenticator.track(auth.key?.id ?? OPEN_SESSIONS, () => res.destroy());
    res.once("close", untrack);
  }
}

/** Redeems the stream ticket of a GET subscription (stream-tickets.ts); the request must then turn out to be a subscription (csrf.ts). */
export interface TicketAuth {
  redeem(request: object, ticket: string): Promise<AuthState>;
}

/** /metrics: open unless authentication is on, then any key (VIEWER or higher). Answers 401 itself when refused. */
export async function metricsAllowed(authenticator: Authenticator, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const auth = await authenticator.authenticate(req.headers.authorization);
  if (scopesFor(auth).viewer) return true;
  res.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="metrics"' }).end("an API key is required (Authorization: Bearer <key>)\n");
  return false;
}

interface WsCtx {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: { socket: WebSocket; request: IncomingMessage };
}

/** The credentials a connection brought: connectionParams.authorization ("Bearer <key>"), connectionParams.apiKey, or the upgrade header. */
function wsAuthorization(ctx: WsCtx): string | undefined {
  const p = ctx.connectionParams ?? {};
  const header = p.authorization ?? p.Authorization;
  if (typeof header === "string") return header;
  if (typeof p.apiKey === "string") return `Bearer ${p.apiKey}`;
  return ctx.extra.request.headers.authorization;
}

/** graphql-ws hooks: authenticate at connection_init and before every operation; close sockets of revoked keys. */
export function wsAuth(authenticator: Authenticator) {
  const sockets = new WeakMap<WebSocket, { authorization: string | undefined; untrack?: () => void }>();
  const refuse = (socket: WebSocket, reason: string) => socket.close(WS_UNAUTHORIZED, reason);
  return {
    async onConnect(ctx: WsCtx): Promise<boolean> {
      const authorization = wsAuthorization(ctx);
      const auth = await authenticator.authenticate(authorization);
      if (auth.mode === "keys" && !auth.key) {
        refuse(ctx.extra.socket, auth.rejectedKey ? "Unauthorized: invalid or revoked API key" : 'Unauthorized: send connectionParams { authorization: "Bearer <key>" }');
        return false;
      }
      const untrack = auth.key
        ? authenticator.track(auth.key.id, () => refuse(ctx.extra.socket, "Unauthorized: API key revoked"))
        : auth.mode === "open"
          ? authenticator.track(OPEN_SESSIONS, () => refuse(ctx.extra.socket, "Unauthorized: authentication is on now (an API key was created); reconnect with a key"))
          : undefined;
      sockets.set(ctx.extra.socket, { authorization, untrack });
      return true;
    },
    onClose(ctx: WsCtx): void {
      sockets.get(ctx.extra.socket)?.untrack?.();
      sockets.delete(ctx.extra.socket);
    },
    /** The operation's AuthState, or the errors to answer with (and the socket closes) when its key stopped working. */
    async operation(ctx: WsCtx): Promise<AuthState | GraphQLError[]> {
      const auth = await authenticator.authenticate(sockets.get(ctx.extra.socket)?.authorization);
      if (auth.mode === "keys" && !auth.key) {
        refuse(ctx.extra.socket, "Unauthorized: API key revoked");
        return [new GraphQLError("the API key of this connection is invalid or revoked", { extensions: { code: "UNAUTHENTICATED" } })];
      }
      return auth;
    },
  };
}
