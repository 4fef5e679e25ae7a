import type { ExecutionStatus } from "../domain/status.ts";
import type { ExecutionStats } from "../domain/progress.ts";

export type { ExecutionEventType } from "../../generated/prisma/enums.ts";
import type { ExecutionEventType } from "../../generated/prisma/enums.ts";

export type MessageLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";

/** Same shape as the ExecutionEvent table row (and Prisma model). */
export interface EventRow {
  id: string;
  executionId: string;
  seq: number;
  type: ExecutionEventType;
  timestamp: Date;
  taskKey: string | null;
  message: string;
  data: unknown;
  status: ExecutionStatus;
  stats: ExecutionStats;
}

/** Same shape as the ExecutionMessage table row (and Prisma model). */
export interface MessageRow {
  id: string;
  executionId: string;
  seq: number;
  level: MessageLevel;
  message: string;
  taskKey: string | null;
  context: unknown;
  timestamp: Date;
}

/** One ExecutionUpdate: exactly one event (one seq) and the messages it carried. */
export interface ExecutionUpdate {
  event: EventRow;
  messages: MessageRow[];
}

// Updates cross Redis as JSON; dates travel as ISO strings and are revived on the way in.
export const encodeUpdate = (u: ExecutionUpdate): string => JSON.stringify(u);

export function decodeUpdate(raw: unknown): ExecutionUpdate {
  const u = (typeof raw === "string" ? JSON.parse(raw) : raw) as ExecutionUpdate;
  return {
    event: { ...u.event, timestamp: new Date(u.event.timestamp) },
    messages: u.messages.map((m) => ({ ...m, timestamp: new Date(m.timestamp) })),
  };
}
