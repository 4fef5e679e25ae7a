import { ValidationError } from "../../domain/errors.ts";
import type { Handler } from "./define.ts";
import { builtinHandlers } from "./builtins.ts";

/** Handlers by name: the API validates task inputs with it, the worker runs tasks with it. */
export class HandlerRegistry {
  private readonly byName = new Map<string, Handler>();

  constructor(handlers: readonly Handler<never>[] = builtinHandlers as Handler<never>[]) {
    for (const h of handlers) {
      if (this.byName.has(h.name)) throw new Error(`handler "${h.name}" is registered twice`);
      this.byName.set(h.name, h as unknown as Handler);
    }
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
    const where = field + issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    throw new ValidationError(where, issue.message);
  }
}
