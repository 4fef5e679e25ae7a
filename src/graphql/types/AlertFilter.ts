import { builder } from "../builder.ts";
import { AlertStateEnum } from "./enums.ts";

export const AlertFilter = builder.inputType("AlertFilter", {
  description: "Which alerts to list; every field given must match.",
  fields: (t) => ({
    state: t.field({ type: AlertStateEnum, description: "Only FIRING or only RESOLVED alerts." }),
    executionId: t.id({ description: "Alerts of this execution (global ID or bare UUID)." }),
    planId: t.id({ description: "Alerts of this plan (global ID or bare UUID)." }),
    ruleId: t.id({ description: "Alerts of this rule (global ID or bare UUID)." }),
  }),
});
