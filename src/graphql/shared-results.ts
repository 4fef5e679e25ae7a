import { createSourceEventStream, execute, getOperationAST, type DocumentNode, type ExecutionArgs, type ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import { marks, preciseNow, trace } from "../infra/trace.ts";
import { scopesFor, type AuthState } from "../domain/auth.ts";

// A live update is decoded once per API process and handed to all its subscribers as one object (see
// infra/pubsub.ts). For the subscription fields named here, whose results depend on nothing but that
// payload, the operation and the caller's scopes, each distinct selection is executed once per payload
// and its result shared, instead of once per subscriber. A replayed update is read per subscriber, so
// nothing is shared for it. With MONITOR_TRACE each result also carries its payload's stamps and when it
// was executed (`extensions.trace`).

/** The subscription's events mapped through `fn`; return() and throw() reach the source (it unsubscribes). */
function mapStream<T, R>(source: AsyncIterator<T>, fn: (event: T) => R | Promise<R>): AsyncGenerator<R> {
  const close = async () => void (await source.return?.());
  const stream = {
    async next(): Promise<IteratorResult<R>> {
      const step = await source.next();
      if (step.done) return { done: true, value: undefined };
      try {
        return { done: false, value: await fn(step.value) };
      } catch (err) {
        await close().catch(() => undefined);
        throw err;
      }
    },
    async return(): Promise<IteratorResult<R>> {
      await close();
      return { done: true, value: undefined };
    },
    async throw(err?: unknown): Promise<IteratorResult<R>> {
      await close();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream as unknown as AsyncGenerator<R>;
}

const isStream = (x: unknown): x is AsyncIterator<unknown> => typeof (x as AsyncIterator<unknown>)?.next === "function";

function traced(result: ExecutionResult, event: unknown): ExecutionResult {
  const stamps = typeof event === "object" && event !== null ? marks(event) : undefined;
  return stamps ? { ...result, extensions: { ...result.extensions, trace: { ...stamps, executed: preciseNow() } } } : result;
}

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

/**
 * What the result depends on besides the payload: the document (yoga's parse cache hands out one object
 * per query text), the operation, the variables, and the scopes the caller's fields are checked against.
 */
function selectionKey(args: ExecutionArgs): string {
  let doc = documentIds.get(args.document);
  if (doc === undefined) documentIds.set(args.document, (doc = nextDocumentId++));
  const auth = (args.contextValue as { auth?: AuthState }).auth;
  return JSON.stringify([doc, args.operationName ?? null, args.variableValues ?? null, auth ? [auth.mode, scopesFor(auth)] : null]);
}

/** Results by payload, then by selection key: held only while the payload itself is (a WeakMap). */
const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

function sharedResult(event: unknown, key: string, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
  if (typeof event !== "object" || event === null) return run();
  let byKey = results.get(event);
  if (!byKey) results.set(event, (byKey = new Map()));
  let result = byKey.get(key);
  if (!result) byKey.set(key, (result = run()));
  return result;
}

const rootField = (args: ExecutionArgs): string | undefined => {
  const first = getOperationAST(args.document, args.operationName)?.selectionSet.selections[0];
  return first?.kind === "Field" ? first.name.value : undefined;
};

export const useSharedResults = (fields: ReadonlySet<string>): Plugin => ({
  onSubscribe({ args, setSubscribeFn }) {
    const shared = fields.has(rootField(args as ExecutionArgs) ?? "");
    if (!shared && !trace.on) return; // yoga's own subscribe
    setSubscribeFn((async (a: ExecutionArgs) => {
      const source = await createSourceEventStream(a);
      if (!isStream(source)) return source;
      const run = (event: unknown) => async () => traced(await execute({ ...a, rootValue: event }), event);
      const key = shared ? selectionKey(a) : null;
      return mapStream(source, (event) => (key === null ? run(event)() : sharedResult(event, key, run(event))));
    }) as never);
  },
});
