import { builder } from "../builder.ts";
import { globalId } from "../ids.ts";

export const RemoveAlertPayload = builder.objectRef<{ id: string }>("RemoveAlertPayload").implement({
  fields: (t) => ({ removedAlertRuleId: t.id({ resolve: (p) => globalId("AlertRule", p.id) }) }),
});
