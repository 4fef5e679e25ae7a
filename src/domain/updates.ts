import type { ExecutionStatus } from "./status.ts";
import type { ExecutionStats } from "./progress.ts";

// What an execution's history is made of, and how it crosses the bus (infra/pubsub.ts): the store writes
// events and messages (store/outbox.ts), monitor streams them, the GraphQL types expose them.

/** The ExecutionEventType enum of prisma/schema.prisma. */
export const EXECUTION_EVENT_TYPES = [
  "EXECUTION_SCHEDULED",
  "EXECUTION_QUEUED",
  "EXECUTION_STARTED",
  "EXECUTION_PAUSE_REQUESTED",
  "EXECUTION_COMPLETED",
  "EXECUTION_FAILED",
  "EXECUTION_PAUSED",
  "EXECUTION_RESUMED",
  "EXECUTION_CANCELLED",
  "EXECUTION_RETRIED",
  "TASK_STARTED",
  "TASK_COMPLETED",
  "TASK_FAILED",
  "TASK_RETRYING",
  "TASK_SKIPPED",
  "TASK_RELEASED",
  "RESOURCE_ALLOCATED",
  "RESOURCE_RELEASED",
  "CHECKPOINT_CREATED",
  "RECOVERY_INITIATED",
  "ALERT_TRIGGERED",
  "ALERT_RESOLVED",
] as const;
export type ExecutionEventType = (typeof EXECUTION_EVENT_TYPES)[number];

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
