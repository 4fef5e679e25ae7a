import type { Db } from "../infra/db.ts";
import type { Bus } from "../infra/pubsub.ts";
import type { Logger } from "../infra/logger.ts";
import type { HandlerRegistry } from "../engine/handlers/registry.ts";

/** The one explicit resources object that services and engine parts take. */
export interface Services {
  db: Db;
  bus: Bus;
  log: Logger;
  handlers: HandlerRegistry;
  clock: () => Date;
}

/** Wakes idle workers when task runs become ready (or executions become due). */
export const TASK_READY_CHANNEL = "task_ready";
/** Tells workers that an execution was cancelled, ended or paused: they re-check their runs of it. */
export const CONTROL_CHANNEL = "execution_control";
