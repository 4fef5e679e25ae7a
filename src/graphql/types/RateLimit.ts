import { NotFoundError, ValidationError } from "../../domain/errors.ts";
import { RATE_LIMIT_LIMITS } from "../../domain/rate-limit.ts";
import { listRateLimits, removeRateLimit, setRateLimit, type RateLimitRow } from "../../services/rate-limits.ts";
import { builder } from "../builder.ts";
import { RemoveRateLimitPayload } from "./RemoveRateLimitPayload.ts";
import { SetRateLimitInput } from "./SetRateLimitInput.ts";

export const RateLimitType = builder.objectRef<RateLimitRow>("RateLimit").implement({
  description:
    "A named rate limit of the shared HTTP resource: at most `requests` http requests per fixed window of `windowMs`, counted across all workers. A task over the limit waits for the next window; it does not fail.",
  fields: (t) => ({
    name: t.exposeString("name", { description: "What http tasks name as input.rateLimit." }),
    requests: t.exposeInt("requests", { description: "Requests allowed per window." }),
    windowMs: t.exposeInt("windowMs", { description: "Window length in ms; windows are aligned to the Unix epoch." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was first set." }),
    updatedAt: t.expose("updatedAt", { type: "DateTime", description: "When setRateLimit last changed it." }),
  }),
});

builder.queryFields((t) => ({
  rateLimits: t.field({
    type: [RateLimitType],
    description: `Rate limits by name (at most ${RATE_LIMIT_LIMITS.maxListed}).`,
    resolve: (_root, _args, ctx) => listRateLimits(ctx),
  }),
}));

builder.mutationFields((t) => ({
  setRateLimit: t.field({
    type: RateLimitType,
    description:
      "Creates or changes a named rate limit that http tasks use through input.rateLimit. A new windowMs restarts the count; a new requests value applies to the current window at once. Needs role ADMIN.",
    // Engine-wide configuration (every worker's http traffic), like plans and schedules: ADMIN.
    authScopes: { admin: true },
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: SetRateLimitInput, required: true, description: "The limit: its name, requests and window." }) },
    resolve: (_root, { input }, ctx) => setRateLimit(ctx, input),
  }),
  removeRateLimit: t.field({
    type: RemoveRateLimitPayload,
    description: "Deletes a rate limit; http tasks that still name it fail with UNKNOWN_RATE_LIMIT. Needs role ADMIN.",
    authScopes: { admin: true },
    errors: { types: [NotFoundError, ValidationError] },
    args: { name: t.arg.string({ required: true, description: "The rate limit's name." }) },
    resolve: async (_root, args, ctx) => ({ name: await removeRateLimit(ctx, args.name) }),
  }),
}));
