// What bench:monitor (the parent) and its client processes (client.ts) tell each other over IPC.

export type Transport = "ws" | "sse" | "redis";

export interface Target {
  /** ws/sse: the API's GraphQL URL; redis: the Redis URL. */
  url: string;
  executionId: string;
  /** redis: the channel to subscribe to. */
  channel?: string;
}

export type ToClient = { type: "start"; transport: Transport; targets: Target[] } | { type: "finish" };

/** One subscriber's stream as received: what the parent checks against the event table. */
export interface StreamCheck {
  executionId: string;
  received: number;
  lastSeq: number;
  gaps: number;
  duplicates: number;
  completed: boolean;
}

/** One delivery: the update's timestamp, when it arrived (both epoch ms), and its trace stamps if any. */
export type Delivery = [timestamp: number, receivedAt: number, stamps: Record<string, number> | null];

export type ToParent = { type: "ready" } | { type: "done"; deliveries: Delivery[]; streams: StreamCheck[]; errors: string[] };

export const QUERY = "subscription Monitor($id: ID!) { monitor(executionId: $id, afterSeq: 0) { seq timestamp status } }";
export const TERMINAL = new Set(["COMPLETED", "FAILED", "CANCELLED"]);
