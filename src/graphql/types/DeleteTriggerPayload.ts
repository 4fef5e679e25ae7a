import { builder } from "../builder.ts";
import { globalId } from "../ids.ts";

export const DeleteTriggerPayload = builder.objectRef<{ id: string }>("DeleteTriggerPayload").implement({
  description: "What deleteTrigger deleted.",
  fields: (t) => ({ deletedTriggerId: t.id({ description: "The deleted trigger's global ID.", resolve: (p) => globalId("Trigger", p.id) }) }),
});
