import { builder } from "../builder.ts";
import { globalId } from "../ids.ts";

export const DeleteTriggerPayload = builder.objectRef<{ id: string }>("DeleteTriggerPayload").implement({
  fields: (t) => ({ deletedTriggerId: t.id({ resolve: (p) => globalId("Trigger", p.id) }) }),
});
