import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer } from "ws";
import { GraphQLError } from "graphql";
import { createGraphQLError, createYoga } from "graphql-yoga";
import { schema } from "../graphql/schema.ts";
import type { GraphQLContext } from "../graphql/context.ts";
import { useQueryLimits } from "../graphql/limits.ts";
import { useRequireKey } from "../graphql/auth.ts";
import { useSharedResults } from "../graphql/shared-results.ts";
import type { Services } from "../services/context.ts";
import { handleWebhook, isWebhookPath } from "./webhooks.ts";
import { DEFAULT_API_LIMITS, type ApiLimits } from "./limits.ts";
import { RateLimiter, useRateLimit } from "./rate-limit.ts";
import { maskClientError } from "./client-errors.ts";
import { serveGraphqlWs } from "./ws.ts";
import { ABORTED, declaredLength, readBody } from "./body.ts";
import { useProtocolErrors } from "./protocol-errors.ts";
import { GRAPHIQL_OPTIONS } from "./graphiql.ts";
import { useGraphiQLPage } from "./graphiql-page.ts";
import { isLoopbackHost, originAllowed, refuseHost } from "./origins.ts";
import { createMetrics } from "./metrics.ts";
import { Authenticator, type AuthOptions } from "./auth.ts";
import { httpAuth, metricsAllowed, wsAuth, type TicketAuth } from "./auth-transports.ts";
import { useCsrf } from "./csrf.ts";
import { StreamTickets, useStreamTicketEndpoint } from "./stream-tickets.ts";
import { useGraphQLSSEWithGate } from "./graphql-sse.ts";
import { PersistedOperations } from "./persisted.ts";
import type { AuthState } from "../domain/auth.ts";
import type { Closable } from "../infra/shutdown.ts";

export interface AppOptions {
  monitorBufferSize: number;
  monitorIdleBackfillMs: number;
  /** LEASE_MS as configured here (the `workers` query's liveness window is 3 × this). */
  leaseMs: number;
  /** AGING_STEP_MS, as the workers have it: clients' resource requests are ranked against aged waiting runs. */
  agingStepMs: number;
  /** Per-client limits (src/api/limits.ts); unset ones take their defaults. */
  limits?: Partial<ApiLimits>;
  /** AUTH_DISABLED and BOOTSTRAP_ADMIN_KEY (src/api/auth.ts); the mode is decided in start() from the address. */
  auth?: AuthOptions;
}

export interface App extends Closable {
  /** Listens on port (0: any free port); resolves to the GraphQL URL. */
  start(port: number, host?: string): Promise<{ url: string; port: number }>;
  /**
   * Stops listening, ends HTTP requests and SSE streams at once, closes WebSockets with 1001 (clients
   * resume elsewhere by seq); once `deadline` aborts, destroys the connections still open.
   */
  stop(deadline?: AbortSignal): Promise<void>;
}

/** yoga (HTTP, SSE, GraphiQL) and graphql-ws on the same /graphql path, graphql-sse at /graphql/stream, stream tickets at /graphql/stream-ticket, plus /healthz, /readyz, /metrics (Prometheus) and the webhooks (POST /hooks/:triggerId). */
export function buildApp(services: Services, options: AppOptions): App {
  const endpoint = "/graphql";
  const limits: ApiLimits = { ...DEFAULT_API_LIMITS, ...options.limits };
  const persisted = new PersistedOperations(limits);
  const authenticator = new Authenticator(services, options.auth);
  const wsAuthHooks = wsAuth(authenticator);
  // A browser's EventSource sends no header: its GET subscription brings a stream ticket (stream-tickets.ts),
  // and the request must then turn out to be a subscription (useCsrf).
  const tickets = new StreamTickets(services, authenticator, limits.streamTicketTtlMs);
  const subscriptionOnly = new WeakSet<Request>();
  const ticketAuth: TicketAuth = {
    async redeem(request, ticket) {
      const redeemed = await tickets.redeem(ticket);
      if (!redeemed.ok) throw createGraphQLError(`the stream ticket is refused: ${redeemed.reason}`, { extensions: { code: "STREAM_TICKET_INVALID", http: { status: 401, headers: { "WWW-Authenticate": "Bearer" } } } });
      subscriptionOnly.add(request as Request);
      return redeemed.auth;
    },
  };
  const authOf = (request: Request | undefined, res: ServerResponse | undefined) => httpAuth(authenticator, request, res, ticketAuth);
  // WebSocket operations arrive with `auth` already checked (onSubscribe below); HTTP and SSE bring a header.
  const context = async (initial: { request?: Request; res?: ServerResponse; auth?: AuthState }): Promise<GraphQLContext> => ({
    ...services,
    monitorBufferSize: options.monitorBufferSize,
    monitorIdleBackfillMs: options.monitorIdleBackfillMs,
    leaseMs: options.leaseMs,
    agingStepMs: options.agingStepMs,
    auth: initial.auth ?? (await authOf(initial.request, initial.res)),
    apiKeyEvents: authenticator,
  });
  const metrics = createMetrics(services, { leaseMs: options.leaseMs });
  const rateLimiter = new RateLimiter(limits.rateLimit);
  const yoga = createYoga<{ req?: IncomingMessage; res?: ServerResponse }>({
    schema,
    graphqlEndpoint: endpoint,
    context,
    // GraphiQL is served by useGraphiQLPage (self-contained, compressed, with an ETag), not yoga's plugin.
    graphiql: false,
    landingPage: false,
    // Cross-origin browsers get no CORS headers unless CORS_ORIGINS lists them (yoga's default reflects any origin).
    cors: (request) => {
      const origin = request.headers.get("origin");
      return origin && limits.corsOrigins.includes(origin.toLowerCase()) ? { origin: [origin], credentials: true } : false;
    },
    maxRequestBodySize: limits.maxBodyBytes, // besides the pre-read below (yoga's own default is 25 MB)
    // CSRF (csrf.ts): a browser's "simple" request (GET, or a form/text POST) must carry x-graphql-yoga-csrf,
    // except a GET subscription asking for text/event-stream (an EventSource); JSON POSTs are preflighted
    // anyway. GraphiQL POSTs JSON, subscriptions too (SSE). Order matters for onParams: the key (or stream
    // ticket) and the rate limit first, then the subscription-only check.
    // Persisted operations (persisted.ts): APQ, or trusted documents only (no GraphiQL then).
    extraParamNames: persisted.extraParamNames(),
    plugins: [
      ...(persisted.mode === "trusted" ? [] : [useGraphiQLPage(GRAPHIQL_OPTIONS)]),
      useProtocolErrors(),
      useStreamTicketEndpoint({ path: `${endpoint}/stream-ticket`, tickets, authenticate: authOf, rateLimiter }),
      ...useGraphQLSSEWithGate({ path: `${endpoint}/stream`, services, authenticator, tickets, rateLimiter, maxTokens: () => limits.maxTokens, check: (params) => ((r) => (r instanceof GraphQLError ? r : null))(persisted.resolve(params)) }),
      useQueryLimits(limits, () => authenticator.mode),
      useRateLimit(rateLimiter, authOf),
      ...persisted.plugins(),
      useCsrf(subscriptionOnly, () => limits.maxTokens),
      useRequireKey(),
      metrics.plugin,
      useSharedResults(new Set(["monitor"])),
    ],
    logging: { debug: () => undefined, info: () => undefined, warn: (...a) => services.log.warn(a.map(String).join(" ")), error: (...a) => services.log.error(a.map(String).join(" ")) },
    maskedErrors: { maskError: (error, message) => maskClientError(error, message) },
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (authenticator.mode === "open" && !isLoopbackHost(req.headers.host)) return refuseHost(res, req);
    if (isWebhookPath(req.url)) return handleWebhook(services, req, res);
    if (req.url === "/metrics") return (await metricsAllowed(authenticator, req, res)) ? metrics.handle(req, res) : undefined;
    if (req.url === "/healthz") return void res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    if (req.url === "/readyz") {
      const ok = await services.db.sql.query("SELECT 1").then(() => true, () => false);
      return void res.writeHead(ok ? 200 : 503, { "content-type": "text/plain" }).end(ok ? "ready" : "database unreachable");
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      // Every body yoga gets is read here first, bounded, whatever the path (yoga also serves /graphql/,
      // /x/graphql…): a 413 that closes the connection. @whatwg-node uses a pre-read req.body.
      const declared = declaredLength(req);
      const body = declared !== null && declared > limits.maxBodyBytes ? null : await readBody(req, limits.maxBodyBytes);
      if (body === null) return tooLarge(res, limits.maxBodyBytes);
      if (body === ABORTED) return void res.destroy(); // the client left mid-body: nobody to answer
      if (body.length > 0) Object.assign(req, { body });
    }
    return yoga.handle(req, res);
  };
  // No request may take the process down: a failure is logged and answered 500 (or the connection cut
  // when the answer had begun); a client that went away gets nothing.
  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      services.log.error({ err: (err as Error)?.message ?? String(err), method: req.method, url: req.url?.split("?")[0] }, "request failed");
      if (res.headersSent || req.destroyed) return void res.destroy();
      res.writeHead(500, { "content-type": "application/json", connection: "close" }).end(JSON.stringify({ errors: [{ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }));
    });
  });

  // An idle keep-alive connection is closed by the client (or the proxy in front) before the server closes
  // it: Node's 5 s default races clients that reuse a socket at that moment (ECONNRESET on their request),
  // most of all when the event loop lags. Past common proxy idle timeouts (60 s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  // Every connection, for a shutdown that must end: named in its log, destroyed at its deadline.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: limits.wsMaxPayloadBytes,
    // Browsers send Origin on a WebSocket upgrade and no CORS applies to it: refuse foreign origins here.
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }) =>
      (authenticator.mode !== "open" || isLoopbackHost(req.headers.host)) && originAllowed(origin, req.headers.host, limits.corsOrigins),
  });
  const ws = serveGraphqlWs(wss, { yoga, log: services.log, limits, auth: wsAuthHooks, rateLimiter, persisted });

  return {
    start: async (port, host = "127.0.0.1") => {
      await authenticator.start(host); // throws AuthStartupError: no keys on a non-loopback address
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const actual = (server.address() as AddressInfo).port;
          const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
          resolve({ url: `http://${shown}:${actual}${yoga.graphqlEndpoint}`, port: actual });
        });
      });
    },
    name: "api",
    async stop(deadline) {
      const destroy = () => {
        for (const socket of sockets) socket.destroy();
      };
      deadline?.addEventListener("abort", destroy, { once: true });
      await authenticator.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await ws.dispose(); // waits for each socket's close handshake
      await closed;
    },
    open: () => [...sockets].map((s) => `${ws.isWebSocket(s) ? "WebSocket" : "HTTP"} connection from ${s.remoteAddress}:${s.remotePort}`),
  };
}

/** 413 with a GraphQL-shaped body; the connection is closed (the rest of the body is not read). */
function tooLarge(res: ServerResponse, limit: number): void {
  const body = { errors: [{ message: `request body larger than ${limit} bytes`, extensions: { code: "REQUEST_TOO_LARGE", maxBytes: limit } }] };
  res.writeHead(413, { "content-type": "application/json", connection: "close" }).end(JSON.stringify(body));
}
