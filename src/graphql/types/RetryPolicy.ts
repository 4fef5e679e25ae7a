import type { RetryPolicy } from "../../domain/retry.ts";
import { builder } from "../builder.ts";
import { RetryStrategyEnum } from "./enums.ts";

export const RetryPolicyType = builder.objectRef<RetryPolicy>("RetryPolicy").implement({
  fields: (t) => ({
    strategy: t.expose("strategy", { type: RetryStrategyEnum }),
    maxRetries: t.exposeInt("maxRetries", { description: "Retries after the first attempt" }),
    delayMs: t.exposeInt("delayMs"),
    maxDelayMs: t.exposeInt("maxDelayMs"),
    jitter: t.exposeFloat("jitter", { description: "0-1: each delay is scaled by a random factor in [1 − jitter, 1 + jitter]" }),
  }),
});

export const RetryPolicyInput = builder.inputType("RetryPolicyInput", {
  description: "Unset fields take the plan's default policy (tasks) or the engine's defaults (plans)",
  fields: (t) => ({
    strategy: t.field({ type: RetryStrategyEnum }),
    maxRetries: t.int(),
    delayMs: t.int(),
    maxDelayMs: t.int(),
    jitter: t.float(),
  }),
});
