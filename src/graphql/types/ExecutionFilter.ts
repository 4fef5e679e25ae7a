import { builder } from "../builder.ts";
import { ExecutionStatusEnum } from "./enums.ts";

export const ExecutionFilter = builder.inputType("ExecutionFilter", {
  description: "Which executions to list; every field given must match.",
  fields: (t) => ({
    status: t.field({ type: [ExecutionStatusEnum], description: "Any of these statuses; unset or empty: all." }),
    planId: t.id({ description: "Executions of this plan (global ID or bare UUID)." }),
  }),
});
