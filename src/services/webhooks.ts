import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Services } from "./context.ts";
import { scheduleExecution } from "./executions.ts";
import { claimWebhookDelivery, recordWebhookExecution } from "../store/triggers.ts";

export const WEBHOOK_LIMITS = { maxBodyBytes: 64 * 1024, maxDeliveryIdLength: 150 } as const;

export type WebhookOutcome =
  | { kind: "started"; executionId: string }
  | { kind: "replayed"; executionId: string }
  | { kind: "not_found" }
  | { kind: "unauthorized" };

export interface WebhookRequest {
  triggerId: string;
  rawBody: Buffer;
  /** Already parsed from rawBody. */
  body: unknown;
  signature: string | null;
  bearer: string | null;
  deliveryId: string | null;
}

// Both sides hashed to the same length first: timingSafeEqual then leaks neither content nor length.
const sameSecret = (a: string, b: string) => timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());

/** `sha256=<hex HMAC-SHA256 of the raw body>` or the bearer token. */
export function authorized(secret: string, req: Pick<WebhookRequest, "rawBody" | "signature" | "bearer">): boolean {
  if (req.signature !== null) return sameSecret(req.signature.toLowerCase(), `sha256=${createHmac("sha256", secret).update(req.rawBody).digest("hex")}`);
  if (req.bearer !== null) return sameSecret(req.bearer, secret);
  return false;
}

/**
 * Starts an execution of the trigger's plan with the body as params (merged over the trigger's params
 * when both are objects). A delivery id seen before starts nothing and answers the first execution.
 */
export async function receiveWebhook(services: Services, req: WebhookRequest): Promise<WebhookOutcome> {
  const { db } = services;
  const trigger = await db.prisma.trigger.findUnique({ where: { id: req.triggerId } });
  if (!trigger || trigger.kind !== "WEBHOOK" || !trigger.enabled || !trigger.secret) return { kind: "not_found" };
  if (!authorized(trigger.secret, req)) return { kind: "unauthorized" };
  const params = isObject(req.body) && isObject(trigger.params) ? { ...trigger.params, ...req.body } : req.body;
  const start = (idempotencyKey: string | null) =>
    scheduleExecution(services, { planId: trigger.planId, params, priority: trigger.priority, triggerId: trigger.id, idempotencyKey });
  if (req.deliveryId === null) return { kind: "started", executionId: await start(null) };
  const claimed = await claimWebhookDelivery(db.sql, trigger.id, req.deliveryId);
  // The idempotency key also covers a replay racing the first delivery (or a crash before executionId was stored).
  const executionId = await start(`webhook:${trigger.id}:${req.deliveryId}`);
  if (!claimed) return { kind: "replayed", executionId };
  await recordWebhookExecution(db.sql, trigger.id, req.deliveryId, executionId);
  return { kind: "started", executionId };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
