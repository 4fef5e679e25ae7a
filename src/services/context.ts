import type { Db } from "../infra/db.ts";
import type { Bus } from "../infra/pubsub.ts";
import type { Logger } from "../infra/logger.ts";

/** What services ask of the handlers (the engine's HandlerRegistry is one): which exist, and what input each takes. */
export interface HandlerCatalog {
  names(): ReadonlySet<string>;
  /** Parses a task's input with its handler's schema; throws a ValidationError naming the field inside the input. */
  parseInput(name: string, input: unknown, field: string): unknown;
}

/** The one explicit resources object that services and engine parts take. */
export interface Services {
  db: Db;
  bus: Bus;
  log: Logger;
  handlers: HandlerCatalog;
  clock: () => Date;
}
