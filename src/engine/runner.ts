import type { HandlerRegistry } from "./handlers/registry.ts";
import { HandlerError, issuePath, type HandlerContext } from "./handlers/define.ts";
import type { Priority } from "../domain/status.ts";
import type { NewMessage } from "../store/outbox.ts";
import { jsonBytes } from "../domain/dag.ts";
import { CHECKPOINT_LIMITS } from "../domain/checkpoint.ts";
import type { ClaimedRun } from "../store/claim.ts";
import type { RunEnd } from "../store/finish.ts";

export const MAX_OUTPUT_BYTES = 256 * 1024;
export const MAX_MESSAGES_PER_RUN = 100;
export const MAX_METRICS_PER_RUN = 50;
export const MAX_METRIC_NAME_LENGTH = 64;
const MAX_MESSAGE_LENGTH = 2000;
const MAX_PHASE_LENGTH = 200;

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
  execution: { id: string; planId: string; priority: Priority; params: unknown };
  dependencies: Record<string, unknown>;
  /** Aborted by the worker with a RunInterrupted reason. */
  interrupt: AbortSignal;
  /** Whether the run's execution has a pause requested now (ctx.paused). */
  isPaused: () => boolean;
  /** ctx.progress, clamped to [0, 1]. */
  onProgress: (fraction: number, phase: string | null) => void;
  /** ctx.state at the start: the run's last saved state (TaskRun.state). */
  state?: unknown;
  /** ctx.checkpoint with a valid state (a plain JSON copy): stores it; resolves once stored, rejects when it was not. */
  onCheckpoint?: (state: unknown) => Promise<void>;
  /** ctx.resources[i].reportUsage with a finite amount: stores it; resolves once stored, rejects when the write failed. */
  onResourceUsage?: (allocationId: string, amount: number) => Promise<void>;
}

/**
 * A promise a handler may leave unawaited (fire-and-forget ctx.checkpoint): its rejection must not become
 * an unhandled rejection that kills the worker, yet still reach a handler that awaits it.
 */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** How a run ended, and the metrics its handler recorded (also on failure). */
export interface RunOutcome {
  end: RunEnd;
  metrics: Record<string, number>;
}

/**
 * Runs one task run's handler under its timeout. Resolves to how the run ended, or rejects with
 * RunInterrupted when the worker interrupted it. A handler that ignores its signal is abandoned
 * at the deadline rather than awaited.
 */
export async function runHandler(
  handlers: HandlerRegistry,
  { run, execution, dependencies, interrupt, isPaused, onProgress, state = null, onCheckpoint, onResourceUsage }: RunInput,
): Promise<RunOutcome> {
  const messages: NewMessage[] = [];
  let dropped = 0;
  const metrics: Record<string, number> = {};
  let metricsIgnored = 0;
  let saved: unknown = state ?? null;
  const checkpointsFailed = { count: 0, first: "" };
  let settled = false; // a handler abandoned at its deadline may still call ctx: ignore it then
  const timeout = new AbortController();
  const timer = run.timeoutMs ? setTimeout(() => timeout.abort(new Error("timeout")), run.timeoutMs) : undefined;
  const signal = AbortSignal.any([interrupt, timeout.signal]);
  const ctx: HandlerContext = {
    signal,
    attempt: run.attempt,
    executionId: execution.id,
    execution: { id: execution.id, planId: execution.planId, priority: execution.priority, params: execution.params },
    task: { key: run.key, name: run.name },
    params: execution.params,
    dependencies,
    get paused() {
      return isPaused();
    },
    progress(fraction, phase) {
      if (settled || typeof fraction !== "number" || Number.isNaN(fraction)) return;
      onProgress(Math.min(1, Math.max(0, fraction)), typeof phase === "string" ? phase.slice(0, MAX_PHASE_LENGTH) : null);
    },
    metric(name, value) {
      if (settled || typeof name !== "string" || name.length === 0 || name.length > MAX_METRIC_NAME_LENGTH) return;
      if (typeof value !== "number" || !Number.isFinite(value)) return;
      if (!Object.hasOwn(metrics, name) && Object.keys(metrics).length >= MAX_METRICS_PER_RUN) return void metricsIgnored++;
      metrics[name] = value;
    },
    get state() {
      return saved;
    },
    checkpoint(value) {
      // Every way a state ends up not stored rejects (and counts in one WARNING, for a caller that did not
      // await): a handler must never go on believing its progress is saved when it is not.
      const notSaved = (code: "INVALID_CHECKPOINT" | "CHECKPOINT_NOT_SAVED", why: string): Promise<void> => {
        if (checkpointsFailed.count++ === 0) checkpointsFailed.first = why;
        return handled(Promise.reject(new HandlerError(`ctx.checkpoint: not saved: ${why}`, code, code === "CHECKPOINT_NOT_SAVED")));
      };
      if (settled) return notSaved("CHECKPOINT_NOT_SAVED", "the run has already ended");
      let text: string | undefined;
      try {
        text = JSON.stringify(value ?? null);
      } catch (err) {
        return notSaved("INVALID_CHECKPOINT", `the state is not JSON (${(err as Error).message})`);
      }
      if (text === undefined) return notSaved("INVALID_CHECKPOINT", "the state is not JSON");
      const bytes = Buffer.byteLength(text, "utf8");
      if (bytes > CHECKPOINT_LIMITS.maxStateBytes) return notSaved("INVALID_CHECKPOINT", `the state is ${bytes} bytes of JSON, more than ${CHECKPOINT_LIMITS.maxStateBytes}`);
      const copy = JSON.parse(text) as unknown; // a plain copy: later changes to the handler's object do not leak in
      if (!onCheckpoint) {
        saved = copy;
        return Promise.resolve();
      }
      // ctx.state follows what is stored; writes are sequential, so the last stored is the last set.
      return handled(onCheckpoint(copy).then(
        () => void (saved = copy),
        (err: Error) => notSaved("CHECKPOINT_NOT_SAVED", err.message),
      ));
    },
    resources: run.allocations.map((a) => ({
      allocationId: a.id,
      resourceId: a.resourceId,
      name: a.resourceName,
      type: a.type,
      amount: a.amount,
      attributes: a.attributes,
      reportUsage: (used: number) =>
        settled || typeof used !== "number" || !Number.isFinite(used) || !onResourceUsage
          ? Promise.resolve()
          : handled(onResourceUsage(a.id, Math.min(a.amount, Math.max(0, used))).catch((err: Error) => {
              throw new HandlerError(`reportUsage: not saved: ${err.message}`, "USAGE_NOT_SAVED", true);
            })),
    })),
    log(level, message, context) {
      if (messages.length >= MAX_MESSAGES_PER_RUN) return void dropped++;
      messages.push({ level, message: message.slice(0, MAX_MESSAGE_LENGTH), taskKey: run.key, context: context ?? null, timestamp: new Date() });
    },
  };
  const withDropped = (): NewMessage[] => [
    ...messages,
    ...(dropped === 0 ? [] : [{ level: "WARNING" as const, message: `${dropped} log messages dropped (limit ${MAX_MESSAGES_PER_RUN} per run)`, taskKey: run.key }]),
    ...(metricsIgnored === 0
      ? []
      : [{ level: "WARNING" as const, message: `${metricsIgnored} metric values ignored: at most ${MAX_METRICS_PER_RUN} distinct metric names per run`, taskKey: run.key }]),
    ...(checkpointsFailed.count === 0
      ? []
      : [{ level: "WARNING" as const, message: `${checkpointsFailed.count} ctx.checkpoint call(s) not saved; the first because ${checkpointsFailed.first}`, taskKey: run.key }]),
  ];
  const outcome = (end: RunEnd): RunOutcome => {
    settled = true;
    return { end, metrics: { ...metrics } };
  };
  try {
    const handler = handlers.get(run.handler);
    if (!handler) throw new HandlerError(`no handler named "${run.handler}" on this worker`, "UNKNOWN_HANDLER");
    const parsed = handler.input.safeParse(run.input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HandlerError(issue ? `${issuePath("input", issue.path)}: ${issue.message}` : "input: invalid", "INVALID_INPUT", false);
    }
    const input = parsed.data;
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    const output = (await Promise.race([handler.run(input, ctx), aborted])) ?? null;
    if (jsonBytes(output) > MAX_OUTPUT_BYTES) throw new HandlerError(`output exceeds ${MAX_OUTPUT_BYTES} bytes of JSON`, "OUTPUT_TOO_LARGE");
    return outcome({ kind: "completed", output, messages: withDropped() });
  } catch (err) {
    if (interrupt.aborted) throw interrupt.reason;
    if (timeout.signal.aborted)
      return outcome({ kind: "failed", status: "TIMED_OUT", error: { code: "TIMEOUT", message: `timed out after ${run.timeoutMs} ms`, recoverable: true }, messages: withDropped() });
    const e = err instanceof HandlerError ? err : null;
    return outcome({
      kind: "failed",
      status: "FAILED",
      error: {
        code: e?.code ?? "HANDLER_ERROR",
        message: err instanceof Error ? err.message : String(err),
        recoverable: e?.recoverable ?? false,
        ...(e?.context ? { context: e.context } : {}),
      },
      messages: withDropped(),
    });
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}
