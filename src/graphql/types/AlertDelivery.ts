import { builder } from "../builder.ts";

export const AlertDeliveryType = builder.prismaObject("AlertDelivery", {
  description: "One webhook POST attempt of an alert (a failed attempt is retried after 1, 2, 4 then 8 s: 5 attempts at most).",
  fields: (t) => ({
    id: t.exposeID("id", { description: "The attempt's UUID (not a global ID)." }),
    kind: t.exposeString("kind", { description: "TRIGGERED or RESOLVED: which change of the alert it reports." }),
    attempt: t.exposeInt("attempt", { description: "Its number for this alert change, 1 to 5." }),
    status: t.exposeInt("status", { nullable: true, description: "HTTP status of the response; null when not attempted yet, or when there was no response." }),
    error: t.exposeString("error", { nullable: true, description: "Why the attempt failed (up to 500 characters of the response body included); null when it succeeded or has not run." }),
    deliveredAt: t.expose("deliveredAt", { type: "DateTime", nullable: true, description: "When a 2xx answer arrived; null otherwise." }),
    nextAttemptAt: t.expose("nextAttemptAt", { type: "DateTime", nullable: true, description: "When this attempt is due; null once made." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When the attempt was planned." }),
  }),
});
