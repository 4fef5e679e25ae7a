import { z } from "zod";
import type { MessageLevel } from "../../services/updates.ts";

export interface HandlerContext {
  /** Aborted on timeout, cancellation or shutdown; handlers must stop promptly. */
  signal: AbortSignal;
  attempt: number;
  executionId: string;
  task: { key: string; name: string };
  params: unknown;
  /** Outputs of the tasks this one depends on, by key. */
  dependencies: Record<string, unknown>;
  log(level: MessageLevel, message: string, context?: Record<string, unknown>): void;
}

export interface Handler<I = unknown> {
  name: string;
  input: z.ZodType<I>;
  run(input: I, ctx: HandlerContext): Promise<unknown>;
}

export function defineHandler<S extends z.ZodType>(
  name: string,
  spec: { input: S; run(input: z.output<S>, ctx: HandlerContext): Promise<unknown> },
): Handler<z.output<S>> {
  return { name, input: spec.input as unknown as z.ZodType<z.output<S>>, run: spec.run };
}

/** A failure a handler reports on purpose, with a machine-readable code. */
export class HandlerError extends Error {
  override name = "HandlerError";
  constructor(
    message: string,
    readonly code: string,
    readonly recoverable = false,
    readonly context?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Resolves after ms, or rejects with the signal's reason as soon as it aborts. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
