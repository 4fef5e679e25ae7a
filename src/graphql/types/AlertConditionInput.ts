import { builder } from "../builder.ts";
import { AlertOperatorEnum } from "./enums.ts";

export const AlertConditionInput = builder.inputType("AlertConditionInput", {
  description: "When an alert fires: `metric operator threshold`, held for duration ms.",
  fields: (t) => ({
    metric: t.string({ required: true, description: "The metric stream, e.g. cpu_usage or execution_duration_ms (letters, digits, _ . : -, at most 200 characters)." }),
    operator: t.field({ type: AlertOperatorEnum, required: true, description: "How a sample is compared with threshold." }),
    threshold: t.float({ required: true, description: "The value compared against, a finite number." }),
    duration: t.int({ description: "Milliseconds the condition must hold continuously before the alert fires (pending meanwhile), 0 to 86400000; default 0." }),
    resolveThreshold: t.float({ description: "Hysteresis: once firing, the alert resolves only when the value is back past this (default: threshold); it must lie on the resolving side of threshold." }),
  }),
});
