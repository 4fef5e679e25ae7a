import type { RecoveryRule } from "../../domain/recovery.ts";
import { builder } from "../builder.ts";
import { RecoveryActionEnum } from "./enums.ts";

export const RecoveryRuleType = builder.objectRef<RecoveryRule>("RecoveryRule").implement({
  fields: (t) => ({
    on: t.exposeString("on", { description: "Error code, or * for any" }),
    action: t.expose("action", { type: RecoveryActionEnum }),
    fallbackTask: t.exposeString("fallbackTask", { nullable: true }),
  }),
});

export const RecoveryRuleInput = builder.inputType("RecoveryRuleInput", {
  description: "What to do when the task fails with this error code (the first exact match wins, then *)",
  fields: (t) => ({
    on: t.string({ required: true }),
    action: t.field({ type: RecoveryActionEnum, required: true }),
    fallbackTask: t.string({ description: "FALLBACK only: key of a task marked fallback" }),
  }),
});
