import type { RecoveryRule } from "../../domain/recovery.ts";
import { builder } from "../builder.ts";
import { RecoveryActionEnum } from "./enums.ts";

export const RecoveryRuleType = builder.objectRef<RecoveryRule>("RecoveryRule").implement({
  description: "What happens when the task fails with an error code (the first exact match wins, then *).",
  fields: (t) => ({
    on: t.exposeString("on", { description: "The error code it matches (FailureDetails.code), or * for any code no other rule names." }),
    action: t.expose("action", { type: RecoveryActionEnum, description: "What to do." }),
    fallbackTask: t.exposeString("fallbackTask", { nullable: true, description: "FALLBACK: key of the task that runs in its place; null for other actions." }),
  }),
});

export const RecoveryRuleInput = builder.inputType("RecoveryRuleInput", {
  description: "What to do when the task fails with this error code (the first exact match wins, then *).",
  fields: (t) => ({
    on: t.string({ required: true, description: "An error code (FailureDetails.code, e.g. TIMEOUT or a handler's own), or * for any code no other rule names; 1 to 100 characters, one rule per code." }),
    action: t.field({ type: RecoveryActionEnum, required: true, description: "What to do." }),
    fallbackTask: t.string({ description: "FALLBACK only (and required there): key of another task of the plan marked fallback." }),
  }),
});
