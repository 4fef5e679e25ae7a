import { ValidationError } from "../../domain/errors.ts";
import { issuePath, type ExecutionHooks, type Handler, type HookContext, type HookKind } from "./define.ts";
import { builtinHandlers, createBuiltinHandlers } from "./builtins.ts";
import type { HttpPool } from "./http-pool.ts";
import { loadHandlerModules } from "./modules.ts";

export const HOOK_TIMEOUT_MS = 10_000;

/** Handlers by name and execution hooks: the API validates task inputs with it, the worker runs tasks and hooks with it. */
export class HandlerRegistry {
  private readonly byName = new Map<string, Handler>();
  private readonly hooks: readonly ExecutionHooks[];

  constructor(handlers: readonly Handler<never>[] = builtinHandlers as Handler<never>[], hooks: readonly ExecutionHooks[] = []) {
    for (const h of handlers) {
      if (this.byName.has(h.name)) throw new Error(`handler "${h.name}" is registered twice`);
      this.byName.set(h.name, h as unknown as Handler);
    }
    this.hooks = [...hooks];
  }

  /**
   * The built-in handlers plus those and the hooks of the HANDLER_MODULES spec (empty: built-ins only);
   * `httpPool` is the http handler's shared resource (rate limits, response cache).
   */
  static async create(spec: string, cwd = process.cwd(), opts: { httpPool?: HttpPool } = {}): Promise<HandlerRegistry> {
    const { handlers, hooks } = await loadHandlerModules(spec, cwd);
    return new HandlerRegistry([...createBuiltinHandlers(Math.random, opts.httpPool), ...handlers] as Handler<never>[], hooks);
  }

  names(): ReadonlySet<string> {
    return new Set(this.byName.keys());
  }

  get(name: string): Handler | undefined {
    return this.byName.get(name);
  }

  /** Parses a task's input with its handler's schema; the error names the field inside the input. */
  parseInput(name: string, input: unknown, field: string): unknown {
    const handler = this.byName.get(name);
    if (!handler) throw new ValidationError(field, `no handler named "${name}"`);
    const parsed = handler.input.safeParse(input);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(issuePath(field, issue.path), issue.message);
  }

  /** Whether any hook of this kind is registered: without one, the worker reads nothing for it. */
  hasHooks(kind: HookKind): boolean {
    return this.hooks.some((h) => h[kind] !== undefined);
  }

  /**
   * Runs every hook of this kind, one after the other, each under its own timeout (its signal aborts then
   * and the runner stops waiting for it). Never throws: returns the errors so the caller can log them.
   */
  async runHooks(kind: HookKind, ctx: Omit<HookContext, "signal">, timeoutMs = HOOK_TIMEOUT_MS): Promise<Error[]> {
    const errors: Error[] = [];
    for (const [i, hooks] of this.hooks.entries()) {
      const fn = hooks[kind];
      if (!fn) continue;
      const label = `${kind} hook ${hooks.name ?? `#${i + 1}`}`;
      const ac = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const err = new Error(`${label} timed out after ${timeoutMs} ms`);
          ac.abort(err);
          reject(err);
        }, timeoutMs);
      });
      try {
        await Promise.race([Promise.resolve().then(() => fn.call(hooks, { ...ctx, signal: ac.signal })), timedOut]);
      } catch (err) {
        errors.push(ac.signal.aborted && ac.signal.reason === err ? (err as Error) : new Error(`${label} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
      } finally {
        clearTimeout(timer);
      }
    }
    return errors;
  }
}
