import { builder } from "../builder.ts";
import { AlertStateEnum } from "./enums.ts";

export const AlertFilter = builder.inputType("AlertFilter", {
  fields: (t) => ({
    state: t.field({ type: AlertStateEnum }),
    executionId: t.id(),
    planId: t.id(),
    ruleId: t.id(),
  }),
});
