import { builder } from "../builder.ts";

export const AlertDeliveryType = builder.prismaObject("AlertDelivery", {
  description: "One webhook POST attempt of an alert (failed attempts are retried with exponential backoff, up to 5)",
  fields: (t) => ({
    id: t.exposeID("id"),
    kind: t.exposeString("kind", { description: "TRIGGERED or RESOLVED" }),
    attempt: t.exposeInt("attempt"),
    status: t.exposeInt("status", { nullable: true, description: "HTTP status of the response (null: not attempted yet, or no response)" }),
    error: t.exposeString("error", { nullable: true }),
    deliveredAt: t.expose("deliveredAt", { type: "DateTime", nullable: true }),
    nextAttemptAt: t.expose("nextAttemptAt", { type: "DateTime", nullable: true, description: "When this attempt is due (null once made)" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});
