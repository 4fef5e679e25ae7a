import { builder } from "../builder.ts";
import { globalId } from "../ids.ts";

export const RemoveAlertPayload = builder.objectRef<{ id: string }>("RemoveAlertPayload").implement({
  description: "What removeAlert deleted.",
  fields: (t) => ({ removedAlertRuleId: t.id({ description: "The deleted rule's global ID.", resolve: (p) => globalId("AlertRule", p.id) }) }),
});
