import { builder } from "../builder.ts";
import { AlertConditionInput } from "./AlertConditionInput.ts";
import { AlertSeverityEnum } from "./enums.ts";

export const SetAlertInput = builder.inputType("SetAlertInput", {
  fields: (t) => ({
    condition: t.field({ type: AlertConditionInput, required: true }),
    executionId: t.id({ description: "Scope: samples of this execution only" }),
    planId: t.id({ description: "Scope: samples of every execution of this plan (neither: global)" }),
    labels: t.field({ type: "JSON", description: "Only samples carrying these labels (an object of at most 20 strings)" }),
    webhookUrl: t.string({ description: "http(s) URL POSTed { alert, rule, state } when an alert fires or resolves (retried with backoff)" }),
    severity: t.field({ type: AlertSeverityEnum, description: "Default WARNING" }),
  }),
});
