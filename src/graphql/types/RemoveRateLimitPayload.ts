import { builder } from "../builder.ts";

export const RemoveRateLimitPayload = builder.objectRef<{ name: string }>("RemoveRateLimitPayload").implement({
  fields: (t) => ({ removedName: t.exposeString("name") }),
});
