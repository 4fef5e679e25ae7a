import { print, type DocumentNode } from "graphql";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { ApiRole, CreatePlanInput, EngineCreateApiKeyMutation, ExecutionFieldsFragment, PlanFieldsFragment, ScheduleExecutionInput } from "./__generated__/graphql.ts";
import { EngineConnectionError, EngineGraphQLError, engineErrorOf, type EngineErrorResult, type GraphQLErrorEntry } from "./errors.ts";
import {
  CancelExecutionDocument,
  CreateApiKeyDocument,
  CreatePlanDocument,
  ExecutionDocument,
  PauseExecutionDocument,
  PlanDocument,
  ResumeExecutionDocument,
  RetryExecutionDocument,
  ScheduleExecutionDocument,
} from "./operations.ts";
import { fromWsError, watchExecution, type ExecutionUpdate, type WatchOptions } from "./watch.ts";

// A typed client of the engine's GraphQL API: queries and mutations over fetch (POST, JSON), subscriptions
// over graphql-ws, typed by the documents graphql-codegen generates from schema/schema.graphql.

export * from "./errors.ts";
export * from "./__generated__/graphql.ts";
export { possibleTypes } from "./__generated__/possible-types.ts";
export type { ExecutionUpdate, WatchOptions } from "./watch.ts";

export type Plan = PlanFieldsFragment;
export type Execution = ExecutionFieldsFragment;
export type CreatedApiKey = Extract<EngineCreateApiKeyMutation["createApiKey"], { __typename: "CreateApiKeyPayload" }>;

export interface EngineClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql (graphql-ws uses the same path) */
  url: string;
  /** An API key's secret: sent as `Authorization: Bearer <key>` and as graphql-ws connectionParams.authorization */
  apiKey?: string;
  /** WebSocket URL; default: url with http(s) replaced by ws(s) */
  wsUrl?: string;
  /** default: globalThis.fetch */
  fetch?: typeof fetch;
  /** A WebSocket class; default: globalThis.WebSocket, else the `ws` package (Node 20) */
  webSocketImpl?: unknown;
  /** Extra HTTP headers on every request */
  headers?: Record<string, string>;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface EngineClient {
  /** One query or mutation over HTTP: its data, or EngineGraphQLError when the response has errors[] */
  request<R, V>(document: TypedDocumentNode<R, V>, variables: V, options?: RequestOptions): Promise<R>;
  /** One subscription over graphql-ws (no resumption: see watch); errors end it with an exception */
  subscribe<R, V>(document: TypedDocumentNode<R, V>, variables: V): AsyncIterableIterator<R>;
  /** Validates and stores a plan; throws ValidationError, CycleError, UnknownHandlerError… */
  createPlan(input: CreatePlanInput): Promise<Plan>;
  plan(id: string): Promise<Plan | null>;
  /** Starts an execution; throws NotFoundError (plan), InvalidIdError, ValidationError */
  scheduleExecution(input: ScheduleExecutionInput): Promise<Execution>;
  /** null when no execution has this id */
  execution(id: string): Promise<Execution | null>;
  pauseExecution(id: string): Promise<Execution>;
  resumeExecution(id: string): Promise<Execution>;
  cancelExecution(id: string, reason?: string): Promise<Execution>;
  retryExecution(id: string): Promise<Execution>;
  /** A new API key: the secret is returned here only */
  createApiKey(name: string, role: ApiRole): Promise<CreatedApiKey>;
  /**
   * The execution's updates in seq order, each once, until it ends. After a dropped connection it
   * resubscribes from the last seq received (monitor(afterSeq:)), so nothing is missed or repeated.
   */
  watch(executionId: string, options?: WatchOptions): AsyncGenerator<ExecutionUpdate, void, undefined>;
  /** Ends every watch and subscription and closes the WebSocket */
  close(): Promise<void>;
}

type Union = { __typename: string };

/** The success member of a result union, or the error member thrown as its EngineError subclass. */
export function unwrap<R extends Union, N extends R["__typename"]>(result: R, success: N): Extract<R, { __typename: N }> {
  if (result.__typename === success) return result as Extract<R, { __typename: N }>;
  if ("message" in result) throw engineErrorOf(result as unknown as EngineErrorResult);
  throw new EngineConnectionError(`unexpected result ${result.__typename} (expected ${success})`);
}

const printed = new WeakMap<DocumentNode, string>();
const source = (doc: DocumentNode) => printed.get(doc) ?? (printed.set(doc, print(doc)), printed.get(doc)!);

export function createEngineClient(options: EngineClientOptions): EngineClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const auth: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  const closing = new AbortController();
  let ws: Promise<WsClient> | undefined;

  const wsClient = (): Promise<WsClient> => {
    if (closing.signal.aborted) return Promise.reject(new EngineConnectionError("the client is closed"));
    return (ws ??= (async () => {
      const impl = options.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket ?? (await import("ws")).default;
      return createWsClient({
        url: options.wsUrl ?? options.url.replace(/^http/, "ws"),
        webSocketImpl: impl,
        connectionParams: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : undefined,
        lazy: true,
        // No silent resubscription: graphql-ws would resend the same variables, and watch() resumes from
        // the last seq instead. A dropped socket ends every operation on it with a close event.
        retryAttempts: 0,
      });
    })());
  };

  async function request<R, V>(document: TypedDocumentNode<R, V>, variables: V, opts: RequestOptions = {}): Promise<R> {
    let res: Response;
    try {
      res = await fetchImpl(options.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          // yoga's CSRF prevention: harmless on a JSON POST, required if this ever sends a "simple" request
          "x-graphql-yoga-csrf": "1",
          ...options.headers,
          ...auth,
        },
        body: JSON.stringify({ query: source(document), variables }),
        signal: opts.signal,
      });
    } catch (err) {
      throw new EngineConnectionError(`request to ${options.url} failed: ${(err as Error)?.message ?? err}`, { cause: err });
    }
    const text = await res.text();
    let body: { data?: R | null; errors?: GraphQLErrorEntry[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new EngineConnectionError(`HTTP ${res.status}: not a GraphQL response: ${text.slice(0, 200)}`, { status: res.status });
    }
    if (body.errors?.length) throw new EngineGraphQLError(body.errors, { status: res.status, data: body.data });
    if (body.data == null) throw new EngineConnectionError(`HTTP ${res.status}: a GraphQL response without data`, { status: res.status });
    return body.data;
  }

  async function* subscribe<R, V>(document: TypedDocumentNode<R, V>, variables: V): AsyncGenerator<R, void, undefined> {
    const it = (await wsClient()).iterate<R>({ query: source(document), variables: variables as Record<string, unknown> });
    try {
      for await (const result of it) {
        if (result.errors?.length) throw new EngineGraphQLError(result.errors as GraphQLErrorEntry[], { data: result.data });
        yield result.data as R;
      }
    } catch (err) {
      if (err instanceof EngineGraphQLError) throw err;
      if (closing.signal.aborted) return;
      throw fromWsError(err).error;
    } finally {
      await it.return?.();
    }
  }

  return {
    request,
    subscribe,
    createPlan: async (input) => unwrap((await request(CreatePlanDocument, { input })).createPlan, "Plan"),
    plan: async (id) => (await request(PlanDocument, { id })).plan,
    scheduleExecution: async (input) => unwrap((await request(ScheduleExecutionDocument, { input })).scheduleExecution, "Execution"),
    execution: async (id) => (await request(ExecutionDocument, { id })).execution,
    pauseExecution: async (id) => unwrap((await request(PauseExecutionDocument, { id })).pauseExecution, "Execution"),
    resumeExecution: async (id) => unwrap((await request(ResumeExecutionDocument, { id })).resumeExecution, "Execution"),
    retryExecution: async (id) => unwrap((await request(RetryExecutionDocument, { id })).retryExecution, "Execution"),
    cancelExecution: async (id, reason) => unwrap((await request(CancelExecutionDocument, { id, reason })).cancelExecution, "Execution"),
    createApiKey: async (name, role) => unwrap((await request(CreateApiKeyDocument, { name, role })).createApiKey, "CreateApiKeyPayload"),
    watch: (executionId, opts) => watchExecution(wsClient, closing.signal, executionId, opts),
    async close() {
      closing.abort();
      const client = ws;
      ws = undefined;
      if (client) await (await client).dispose();
    },
  };
}
