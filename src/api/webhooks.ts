import type { IncomingMessage, ServerResponse } from "node:http";
import { DomainError } from "../domain/errors.ts";
import type { Services } from "../services/context.ts";
import { parseId } from "../graphql/ids.ts";
import { WEBHOOK_LIMITS, receiveWebhook } from "../services/webhooks.ts";
import { ABORTED, readBody } from "./body.ts";

const ROUTE = /^\/hooks\/([^/?]{1,200})\/?$/;

/** True when `url` is a webhook path (`/hooks/:triggerId`), answered by handleWebhook. */
export const isWebhookPath = (url: string | undefined): boolean => url?.startsWith("/hooks/") ?? false;

const reply = (res: ServerResponse, status: number, body: Record<string, unknown>) =>
  void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

/**
 * POST /hooks/:triggerId — authenticated by `X-Signature: sha256=<hex HMAC-SHA256 of the body>` or
 * `Authorization: Bearer <secret>`; the JSON body becomes the execution's params. 202 { executionId };
 * 200 for a replayed X-Delivery-Id; 401 wrong or missing secret; 404 unknown or disabled trigger.
 * Neither the secret nor the signature is ever logged.
 */
export async function handleWebhook(services: Services, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const triggerId = triggerIdOf(req.url);
  if (!triggerId) return reply(res, 404, { error: "no such trigger" });
  if (req.method !== "POST") return void res.writeHead(405, { allow: "POST", "content-type": "application/json" }).end(JSON.stringify({ error: "use POST" }));
  const rawBody = await readBody(req, WEBHOOK_LIMITS.maxBodyBytes);
  if (rawBody === ABORTED) return void res.destroy(); // the client left mid-body
  if (rawBody === null) {
    res.setHeader("connection", "close");
    return reply(res, 413, { error: `body larger than ${WEBHOOK_LIMITS.maxBodyBytes} bytes` });
  }
  let body: unknown;
  try {
    body = rawBody.length === 0 ? {} : JSON.parse(rawBody.toString("utf8"));
  } catch {
    return reply(res, 400, { error: "body is not valid JSON" });
  }
  const deliveryId = header(req, "x-delivery-id");
  if (deliveryId !== null && (deliveryId.length === 0 || deliveryId.length > WEBHOOK_LIMITS.maxDeliveryIdLength))
    return reply(res, 400, { error: `X-Delivery-Id must be 1-${WEBHOOK_LIMITS.maxDeliveryIdLength} characters` });
  const auth = header(req, "authorization");
  const bearer = auth?.match(/^Bearer\s+(.+)$/i)?.[1] ?? null;
  try {
    const outcome = await receiveWebhook(services, { triggerId, rawBody, body, signature: header(req, "x-signature"), bearer, deliveryId });
    switch (outcome.kind) {
      case "started":
        return reply(res, 202, { executionId: outcome.executionId });
      case "replayed":
        return reply(res, 200, { executionId: outcome.executionId, replayed: true });
      case "not_found":
        return reply(res, 404, { error: "no such trigger, or it is disabled" });
      case "unauthorized":
        return reply(res, 401, { error: "missing or wrong signature" });
    }
  } catch (err) {
    if (err instanceof DomainError) return reply(res, 400, { error: err.message });
    services.log.error({ err: (err as Error).message, trigger: triggerId }, "webhook delivery failed");
    return reply(res, 500, { error: "internal error" });
  }
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === "string" ? v : null;
}

/** The trigger's UUID from `/hooks/<uuid or Trigger global ID>`, or null. */
function triggerIdOf(url: string | undefined): string | null {
  const raw = ROUTE.exec(url?.split("?")[0] ?? "")?.[1];
  if (!raw) return null;
  try {
    return parseId("triggerId", decodeURIComponent(raw), "Trigger");
  } catch {
    return null;
  }
}
