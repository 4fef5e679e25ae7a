import { RATE_LIMIT_LIMITS } from "../../domain/rate-limit.ts";
import { builder } from "../builder.ts";

export const SetRateLimitInput = builder.inputType("SetRateLimitInput", {
  description: "A named rate limit to create or change.",
  fields: (t) => ({
    name: t.string({ required: true, description: "1 to 100 characters of letters, digits, _ . : - (what http tasks name as input.rateLimit)." }),
    requests: t.int({ required: true, description: `Requests allowed per window, 1 to ${RATE_LIMIT_LIMITS.maxRequests}.` }),
    windowMs: t.int({ required: true, description: `Window length in ms, ${RATE_LIMIT_LIMITS.minWindowMs} to ${RATE_LIMIT_LIMITS.maxWindowMs} (1 day); windows are aligned to the Unix epoch.` }),
  }),
});
