import type { Client } from "graphql-ws";
import { print } from "graphql";
import type { EngineMonitorSubscription } from "./__generated__/graphql.ts";
import { EngineConnectionError, EngineGraphQLError, type GraphQLErrorEntry } from "./errors.ts";
import { MonitorDocument } from "./operations.ts";

// watch(): monitor(executionId, afterSeq) over graphql-ws, resumed after a dropped connection from the
// last seq received. The server replays every update after afterSeq, in seq order, gap-free, then the
// live ones, and completes when the execution ends; the client drops any seq it has already yielded and
// resubscribes if one is ever missing, so each seq is yielded exactly once, in order.

export type ExecutionUpdate = EngineMonitorSubscription["monitor"];

export interface WatchOptions {
  /** Yield the updates after this seq (default 0: the whole history), e.g. an Execution's lastSeq */
  afterSeq?: number;
  /** Ends the iteration (without an error) when aborted */
  signal?: AbortSignal;
  /** Resubscriptions in a row without an update in between before giving up (default 10) */
  retryAttempts?: number;
  /** Wait before resubscription n (1, 2, …); default 250 ms × 2^(n−1), at most 10 s, ± 25 % */
  retryDelayMs?: (attempt: number) => number;
  /** Called before each resubscription: why, how many in a row, and the seq it resumes after */
  onReconnect?: (info: { attempt: number; afterSeq: number; error: unknown }) => void;
}

/** Close codes after which a resubscription cannot succeed (bad request, auth, protocol, size). */
const FATAL_CLOSE = new Set([1002, 1003, 1007, 1008, 1009, 1010, 4004, 4005, 4400, 4401, 4403, 4406, 4409, 4429]);

/** A seq missing between two updates: not expected from the server, repaired by resubscribing. */
class SeqGap extends Error {}

const isCloseEvent = (e: unknown): e is { code: number; reason: string } =>
  typeof e === "object" && e !== null && "code" in e && typeof (e as { code: unknown }).code === "number" && "reason" in e;

const isErrorEvent = (e: unknown): e is { type: "error"; message?: string } => typeof e === "object" && e !== null && (e as { type?: unknown }).type === "error";

/** The exception for what graphql-ws rejected with, and whether resubscribing may help. */
export function fromWsError(err: unknown): { error: Error; retry: boolean } {
  if (err instanceof SeqGap) return { error: err, retry: true };
  if (Array.isArray(err)) return { error: new EngineGraphQLError(err as GraphQLErrorEntry[]), retry: false };
  if (isCloseEvent(err)) {
    const reason = err.reason || `WebSocket closed (${err.code})`;
    if (err.code === 4401) return { error: new EngineGraphQLError([{ message: reason, extensions: { code: "UNAUTHENTICATED" } }]), retry: false };
    if (err.code === 4403) return { error: new EngineGraphQLError([{ message: reason, extensions: { code: "FORBIDDEN" } }]), retry: false };
    return { error: new EngineConnectionError(reason, { closeCode: err.code, closeReason: err.reason }), retry: !FATAL_CLOSE.has(err.code) };
  }
  if (err instanceof Error) return { error: new EngineConnectionError(err.message, { cause: err }), retry: false };
  // The WebSocket's error event (a refused connection, a hang-up during the upgrade): the network, not the request.
  if (isErrorEvent(err)) return { error: new EngineConnectionError(`WebSocket error${err.message ? `: ${err.message}` : ""}`, { cause: err }), retry: true };
  return { error: new EngineConnectionError(String(err), { cause: err }), retry: false };
}

const defaultDelay = (attempt: number) => Math.min(10_000, 250 * 2 ** (attempt - 1)) * (0.75 + Math.random() / 2);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => (clearTimeout(timer), signal.removeEventListener("abort", done), resolve());
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

const MONITOR = print(MonitorDocument);

/** The updates of one execution, each seq once and in order, across reconnects; ends when the execution does. */
export async function* watchExecution(ws: () => Promise<Client>, closed: AbortSignal, executionId: string, opts: WatchOptions = {}): AsyncGenerator<ExecutionUpdate, void, undefined> {
  const stop = opts.signal ? AbortSignal.any([closed, opts.signal]) : closed;
  const attempts = opts.retryAttempts ?? 10;
  let last = opts.afterSeq ?? 0;
  let failures = 0;
  while (!stop.aborted) {
    const it = (await ws()).iterate<EngineMonitorSubscription>({ query: MONITOR, variables: { executionId, afterSeq: last } });
    const end = () => void it.return?.();
    stop.addEventListener("abort", end, { once: true });
    try {
      for await (const result of it) {
        if (result.errors?.length) throw new EngineGraphQLError(result.errors as GraphQLErrorEntry[], { data: result.data });
        const update = result.data!.monitor;
        if (update.seq <= last) continue; // already yielded before a reconnect
        if (update.seq !== last + 1) throw new SeqGap(`update ${update.seq} came after ${last}`);
        last = update.seq;
        failures = 0;
        yield update;
      }
      return; // the server completed the stream (the execution ended), or we were stopped
    } catch (err) {
      if (stop.aborted) return;
      if (err instanceof EngineGraphQLError) throw err;
      const { error, retry } = fromWsError(err);
      failures += 1;
      if (!retry || failures > attempts) throw error;
      opts.onReconnect?.({ attempt: failures, afterSeq: last, error });
      await sleep((opts.retryDelayMs ?? defaultDelay)(failures), stop);
    } finally {
      stop.removeEventListener("abort", end);
      await it.return?.();
    }
  }
}
