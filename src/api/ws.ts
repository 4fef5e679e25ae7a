import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { GraphQLError, getOperationAST, type ExecutionArgs, type ExecutionResult } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { WebSocketServer } from "ws";
import type { YogaServerInstance } from "graphql-yoga";
import type { Logger } from "../infra/logger.ts";
import type { ApiLimits } from "./limits.ts";
import { rateKey, rateLimited, type RateLimiter } from "./rate-limit.ts";
import type { wsAuth } from "./auth-transports.ts";
import { clientErrorJSON } from "./client-errors.ts";
import { preciseNow, trace } from "../infra/trace.ts";
import type { PersistedOperations } from "./persisted.ts";

interface WsOptions {
  yoga: Pick<YogaServerInstance<{ req?: IncomingMessage }, object>, "getEnveloped">;
  log: Logger;
  limits: ApiLimits;
  auth: ReturnType<typeof wsAuth>;
  rateLimiter: RateLimiter;
  /** APQ or trusted documents: the document a subscribe message names (by hash, or as text), as over HTTP. */
  persisted: PersistedOperations;
}

type Outcome = ExecutionResult | AsyncIterable<ExecutionResult>;
const isStream = (o: Outcome): o is AsyncIterable<ExecutionResult> => Symbol.asyncIterator in o;
/** MONITOR_TRACE: when this socket's copy of a traced result is handed to it. */
const stampSent = <R extends { extensions?: Record<string, unknown> }>(r: R): R =>
  r.extensions?.trace ? { ...r, extensions: { ...r.extensions, trace: { ...(r.extensions.trace as object), sent: preciseNow() } } } : r;
const unexpected = () => [new GraphQLError("Unexpected error.", { extensions: { code: "INTERNAL_SERVER_ERROR" } })];

/**
 * graphql-ws on `wss`, through yoga's envelop (limits, masking), as yoga documents it. The operation runs
 * in onSubscribe, so that a request error (bad variables, a refused argument of a subscription: no
 * `data`) is an `error` message like a validation error, and a result with data is a `next`; every error
 * has a code and never yoga's internal `extensions.http`. Nothing is printed outside the logger.
 */
export function serveGraphqlWs(wss: WebSocketServer, { yoga, log, limits, auth, rateLimiter, persisted }: WsOptions): { dispose(): Promise<void>; isWebSocket(socket: Socket): boolean } {
  const server = useServer(
    {
      execute: (args) => (args.rootValue as { outcome: Outcome }).outcome as never,
      subscribe: (args) => (args.rootValue as { outcome: Outcome }).outcome as never,
      onConnect: (ctx) =>
        auth.onConnect(ctx).catch((err: Error) => {
          log.error({ err: err.message }, "WebSocket connection refused: could not authenticate it");
          ctx.extra.socket.close(1011, "Internal server error");
          return false;
        }),
      onClose: (ctx) => auth.onClose(ctx),
      onSubscribe: async (ctx, _id, params) => {
        try {
          // ctx.subscriptions already holds this operation's id.
          if (Object.keys(ctx.subscriptions).length > limits.wsMaxSubscriptions)
            return [new GraphQLError(`too many operations on this connection: at most ${limits.wsMaxSubscriptions} at once`, { extensions: { code: "TOO_MANY_SUBSCRIPTIONS" } })];
          const access = await auth.operation(ctx); // per operation: a revoked key fails at once
          if (Array.isArray(access)) return access;
          const limited = rateLimited(rateLimiter, rateKey({ auth: access, req: ctx.extra.request }), true); // before parsing, as over HTTP
          if (limited) return limited;
          // graphql-ws requires `query`: a persisted operation named by hash comes with `query: ""`.
          const resolved = persisted.resolve(params);
          if (resolved instanceof GraphQLError) return [resolved];
          const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params: { ...params, query: resolved.query }, auth: access });
          let document;
          try {
            document = parse(resolved.query);
          } catch (err) {
            return [err as GraphQLError];
          }
          const errors = validate(schema, document);
          if (errors.length > 0) return errors;
          const operation = getOperationAST(document, params.operationName);
          if (!operation) return [new GraphQLError("Could not determine what operation to execute.", { extensions: { code: "OPERATION_RESOLUTION_FAILURE" } })];
          const args: ExecutionArgs = { schema, operationName: params.operationName, document, variableValues: params.variables, contextValue: await contextFactory() };
          const outcome = (await (operation.operation === "subscription" ? subscribe(args) : execute(args))) as Outcome;
          if (!isStream(outcome) && !("data" in outcome) && outcome.errors?.length) return [...outcome.errors];
          return { ...args, rootValue: { outcome } };
        } catch (err) {
          log.error({ err: (err as Error).message }, "WebSocket operation failed");
          return unexpected();
        }
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        const next = result.errors ? { ...result, errors: result.errors.map((e) => (e instanceof GraphQLError ? clientErrorJSON(e) : e)) } : result;
        if (trace.on) return stampSent(next);
        return next === result ? undefined : next;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(clientErrorJSON),
    },
    wss,
  );
  // graphql-ws prints socket errors with console.error and a stack trace. They are a client's doing (a
  // message over WS_MAX_PAYLOAD_BYTES, a malformed frame), and ws has already closed the socket with the
  // code that says why (1009, 1002, 1007): log them instead. Registered after useServer's own listeners.
  const webSockets = new WeakSet<Socket>();
  wss.removeAllListeners("error").on("error", (err) => log.error({ err: err.message }, "WebSocket server error"));
  wss.on("connection", (socket, req: IncomingMessage) => {
    webSockets.add(req.socket as Socket);
    socket.removeAllListeners("error").on("error", (err: Error & { code?: string }) =>
      log.warn({ err: err.message, code: err.code, remote: req.socket.remoteAddress }, "WebSocket closed: the client sent what the server refuses"),
    );
  });
  return { dispose: async () => void (await server.dispose()), isWebSocket: (socket) => webSockets.has(socket) };
}
