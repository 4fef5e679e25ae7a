import { z } from "zod";
import type { ExecutionStatus, Priority } from "../../domain/status.ts";
import type { MessageLevel } from "../../domain/updates.ts";

// Re-exported so a handler module outside this project needs no zod of its own.
export { z };

export type LogFn = (level: MessageLevel, message: string, context?: Record<string, unknown>) => void;

export interface HandlerContext {
  /** Aborted on timeout, cancellation or shutdown; handlers must stop promptly. */
  signal: AbortSignal;
  /** 1 for the first attempt, counting retries. */
  attempt: number;
  /** Same as execution.id (kept for compatibility). */
  executionId: string;
  execution: { id: string; planId: string; priority: Priority; params: unknown };
  task: { key: string; name: string };
  /** The execution's params (same as execution.params; kept for compatibility). */
  params: unknown;
  /** Outputs of the tasks this one depends on, by key. */
  dependencies: Record<string, unknown>;
  /** True while the execution has a pause requested: the run may finish, or stop early at a safe point. */
  readonly paused: boolean;
  /** Reports how far the run is: fraction is clamped to [0, 1] (NaN is ignored), phase names the current step. */
  progress(fraction: number, phase?: string): void;
  /** Records a numeric metric of this run (last value per name wins; finite numbers, names ≤ 64 chars, ≤ 50 names). */
  metric(name: string, value: number): void;
  log: LogFn;
  /**
   * The run's last saved state: what ctx.checkpoint stored (in this attempt, an earlier one that crashed
   * or failed, or the checkpoint the execution was restored from); null when nothing was saved.
   */
  readonly state: unknown;
  /**
   * Saves state (JSON, at most 64 KiB) so that a later attempt resumes from it as ctx.state. Resolves once
   * it is stored. Rejects with a HandlerError when it was not: INVALID_CHECKPOINT (not JSON, too large),
   * CHECKPOINT_NOT_SAVED (recoverable: the write failed, or this attempt no longer holds the run). Uncaught,
   * that fails the attempt with that code; unawaited, it is counted in one WARNING message.
   */
  checkpoint(state: unknown): Promise<void>;
  /** The resources this attempt holds (all its requirements, allocated before it started). */
  readonly resources: readonly HeldResource[];
}

export interface HeldResource {
  allocationId: string;
  resourceId: string;
  /** The pool's name and type, and its attributes (what the requirement's constraints matched). */
  name: string;
  type: string;
  amount: number;
  attributes: Record<string, unknown>;
  /**
   * Reports the peak amount actually used (clamped to [0, amount]); efficiency = used ÷ amount. Without
   * a report the whole amount counts as used. Resolves once stored; rejects with USAGE_NOT_SAVED
   * (recoverable) when the write failed.
   */
  reportUsage(amount: number): Promise<void>;
}

const HANDLER_BRAND = Symbol.for("execution-engine.handler");
const HOOKS_BRAND = Symbol.for("execution-engine.hooks");

export interface Handler<I = unknown> {
  name: string;
  input: z.ZodType<I>;
  run(input: I, ctx: HandlerContext): Promise<unknown>;
}

/**
 * Defines a task handler. `input` (default: any JSON) is checked at createPlan and again before each run;
 * `run` gets the parsed input. Export the result from a module listed in HANDLER_MODULES.
 */
export function defineHandler<S extends z.ZodType = z.ZodUnknown>(
  name: string,
  spec: { input?: S; run(input: z.output<S>, ctx: HandlerContext): unknown },
): Handler<z.output<S>> {
  if (typeof name !== "string" || !/^[A-Za-z0-9_.:-]{1,100}$/.test(name))
    throw new Error(`invalid handler name ${JSON.stringify(name)}: 1-100 letters, digits, _ . : -`);
  if (typeof spec?.run !== "function") throw new Error(`handler "${name}" needs a run(input, ctx) function`);
  const run = spec.run;
  const handler: Handler<z.output<S>> = {
    name,
    input: (spec.input ?? z.unknown()) as unknown as z.ZodType<z.output<S>>,
    run: async (input, ctx) => run(input, ctx),
  };
  Object.defineProperty(handler, HANDLER_BRAND, { value: true });
  return handler;
}

/** True for a value made by defineHandler (in any copy of this module). */
export const isHandler = (v: unknown): v is Handler =>
  typeof v === "object" && v !== null && (v as Record<symbol, unknown>)[HANDLER_BRAND] === true;

export interface HookContext {
  execution: { id: string; planId: string; params: unknown; status: ExecutionStatus };
  /** Aborted when the hook's time is up. */
  signal: AbortSignal;
  log(level: MessageLevel, message: string): void;
}

export type HookKind = "onExecutionStart" | "onExecutionEnd";

export interface ExecutionHooks {
  /** Names the hooks in error reports; the loader defaults it to `file#export`. */
  name?: string;
  /** After an execution started (status RUNNING). */
  onExecutionStart?(ctx: HookContext): unknown;
  /** After an execution ended; execution.status is COMPLETED, FAILED or CANCELLED. */
  onExecutionEnd?(ctx: HookContext): unknown;
}

/** Defines execution lifecycle hooks; export the result from a module listed in HANDLER_MODULES. */
export function defineHooks(hooks: ExecutionHooks): ExecutionHooks {
  for (const kind of ["onExecutionStart", "onExecutionEnd"] as const)
    if (hooks[kind] !== undefined && typeof hooks[kind] !== "function") throw new Error(`${kind} must be a function`);
  const defined = { ...hooks };
  Object.defineProperty(defined, HOOKS_BRAND, { value: true });
  return defined;
}

export const isHooks = (v: unknown): v is ExecutionHooks =>
  typeof v === "object" && v !== null && (v as Record<symbol, unknown>)[HOOKS_BRAND] === true;

/** `field` followed by the issue's path, e.g. input.legs[2].qty: array indexes in brackets. */
export function issuePath(field: string, path: readonly PropertyKey[]): string {
  return field + path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
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
