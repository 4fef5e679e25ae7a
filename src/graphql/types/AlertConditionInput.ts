import { builder } from "../builder.ts";
import { AlertOperatorEnum } from "./enums.ts";

export const AlertConditionInput = builder.inputType("AlertConditionInput", {
  fields: (t) => ({
    metric: t.string({ required: true, description: "The metric stream, e.g. cpu_usage or execution_duration_ms" }),
    operator: t.field({ type: AlertOperatorEnum, required: true }),
    threshold: t.float({ required: true }),
    duration: t.int({ description: "ms the condition must hold continuously before the alert fires (PENDING meanwhile); 0..86400000, default 0" }),
    resolveThreshold: t.float({ description: "Hysteresis: once firing, the alert resolves only when the value is back past this (default: threshold)" }),
  }),
});
