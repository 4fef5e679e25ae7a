import type { HandlerRegistry } from "./handlers/registry.ts";
import { HandlerError, type HandlerContext } from "./handlers/define.ts";
import type { NewMessage } from "../services/outbox.ts";
import { jsonBytes } from "../domain/dag.ts";
import type { ClaimedRun } from "./claim.ts";
import type { RunEnd } from "./finish.ts";

export const MAX_OUTPUT_BYTES = 256 * 1024;
export const MAX_MESSAGES_PER_RUN = 100;
const MAX_MESSAGE_LENGTH = 2000;

/**
 * Why the worker itself stopped a run: "shutdown" releases it to the queue; "revoked" drops it because it
 * is no longer this worker's (its execution ended, or its lease was lost). Neither fails the run.
 */
export class RunInterrupted extends Error {
  override name = "RunInterrupted";
  constructor(readonly reason: "shutdown" | "revoked") {
    super(`run interrupted: ${reason}`);
  }
}

export interface RunInput {
  run: ClaimedRun;
  params: unknown;
  dependencies: Record<string, unknown>;
  /** Aborted by the worker with a RunInterrupted reason. */
  interrupt: AbortSignal;
}

/**
 * Runs one task run's handler under its timeout. Resolves to how the run ended, or rejects with
 * RunInterrupted when the worker interrupted it. A handler that ignores its signal is abandoned
 * at the deadline rather than awaited.
 */
export async function runHandler(handlers: HandlerRegistry, { run, params, dependencies, interrupt }: RunInput): Promise<RunEnd> {
  const messages: NewMessage[] = [];
  let dropped = 0;
  const timeout = new AbortController();
  const timer = run.timeoutMs ? setTimeout(() => timeout.abort(new Error("timeout")), run.timeoutMs) : undefined;
  const signal = AbortSignal.any([interrupt, timeout.signal]);
  const ctx: HandlerContext = {
    signal,
    attempt: run.attempt,
    executionId: run.executionId,
    task: { key: run.key, name: run.name },
    params,
    dependencies,
    log(level, message, context) {
      if (messages.length >= MAX_MESSAGES_PER_RUN) return void dropped++;
      messages.push({ level, message: message.slice(0, MAX_MESSAGE_LENGTH), taskKey: run.key, context: context ?? null, timestamp: new Date() });
    },
  };
  const withDropped = () =>
    dropped === 0 ? messages : [...messages, { level: "WARNING" as const, message: `${dropped} log messages dropped (limit ${MAX_MESSAGES_PER_RUN} per run)`, taskKey: run.key }];
  try {
    const handler = handlers.get(run.handler);
    if (!handler) throw new HandlerError(`no handler named "${run.handler}" on this worker`, "UNKNOWN_HANDLER");
    const input = handler.input.parse(run.input);
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    const output = (await Promise.race([handler.run(input, ctx), aborted])) ?? null;
    if (jsonBytes(output) > MAX_OUTPUT_BYTES) throw new HandlerError(`output exceeds ${MAX_OUTPUT_BYTES} bytes of JSON`, "OUTPUT_TOO_LARGE");
    return { kind: "completed", output, messages: withDropped() };
  } catch (err) {
    if (interrupt.aborted) throw interrupt.reason;
    if (timeout.signal.aborted)
      return { kind: "failed", status: "TIMED_OUT", error: { code: "TIMEOUT", message: `timed out after ${run.timeoutMs} ms`, recoverable: true }, messages: withDropped() };
    const e = err instanceof HandlerError ? err : null;
    return {
      kind: "failed",
      status: "FAILED",
      error: {
        code: e?.code ?? "HANDLER_ERROR",
        message: err instanceof Error ? err.message : String(err),
        recoverable: e?.recoverable ?? false,
        ...(e?.context ? { context: e.context } : {}),
      },
      messages: withDropped(),
    };
  } finally {
    clearTimeout(timer);
  }
}
