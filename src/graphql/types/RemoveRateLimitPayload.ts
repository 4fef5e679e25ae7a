import { builder } from "../builder.ts";

export const RemoveRateLimitPayload = builder.objectRef<{ name: string }>("RemoveRateLimitPayload").implement({
  description: "What removeRateLimit deleted.",
  fields: (t) => ({ removedName: t.exposeString("name", { description: "The deleted rate limit's name." }) }),
});
