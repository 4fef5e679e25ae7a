import type { RetryPolicy } from "../../domain/retry.ts";
import { builder } from "../builder.ts";
import { RetryStrategyEnum } from "./enums.ts";

export const RetryPolicyType = builder.objectRef<RetryPolicy>("RetryPolicy").implement({
  description: "How a failed attempt is tried again (see RetryStrategy); recovery rules may decide otherwise.",
  fields: (t) => ({
    strategy: t.expose("strategy", { type: RetryStrategyEnum, description: "How the delay grows; NONE never retries." }),
    maxRetries: t.exposeInt("maxRetries", { description: "Retries after the first attempt (recoverable failures only)." }),
    delayMs: t.exposeInt("delayMs", { description: "Base delay in ms: the first retry's delay for FIXED_DELAY, EXPONENTIAL_BACKOFF and FIBONACCI_BACKOFF." }),
    maxDelayMs: t.exposeInt("maxDelayMs", { description: "No delay, jittered or not, exceeds this many ms." }),
    jitter: t.exposeFloat("jitter", { description: "From 0 to 1: each delay is scaled by a random factor in [1 − jitter, 1 + jitter]." }),
  }),
});

export const RetryPolicyInput = builder.inputType("RetryPolicyInput", {
  description: "A retry policy; unset fields take the plan's default policy (tasks) or the engine's defaults (plans).",
  fields: (t) => ({
    strategy: t.field({ type: RetryStrategyEnum, description: "How the delay grows; engine default NONE (no retry)." }),
    maxRetries: t.int({ description: "Retries after the first attempt, 0 to 100; engine default 0." }),
    delayMs: t.int({ description: "Base delay in ms, 0 to 3600000; engine default 1000." }),
    maxDelayMs: t.int({ description: "Cap on every delay in ms, 0 to 86400000 and at least delayMs; engine default 300000." }),
    jitter: t.float({ description: "Random spread of each delay, 0 to 1 (0.2: ±20 %); engine default 0." }),
  }),
});
