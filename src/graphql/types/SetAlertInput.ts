import { builder } from "../builder.ts";
import { AlertConditionInput } from "./AlertConditionInput.ts";
import { AlertSeverityEnum } from "./enums.ts";

export const SetAlertInput = builder.inputType("SetAlertInput", {
  description: "An alert rule to store: its condition, scope and delivery.",
  fields: (t) => ({
    condition: t.field({ type: AlertConditionInput, required: true, description: "When it fires and resolves." }),
    executionId: t.id({ description: "Scope: samples of this execution only (global ID or bare UUID)." }),
    planId: t.id({ description: "Scope: samples of every execution of this plan (global ID or bare UUID); neither: every sample." }),
    labels: t.field({ type: "JSON", description: "Only samples carrying these labels: an object of at most 20 strings of at most 200 characters." }),
    webhookUrl: t.string({ description: "An http(s) URL (at most 2000 characters) POSTed { alert, rule, state } when an alert fires or resolves (retried with backoff)." }),
    severity: t.field({ type: AlertSeverityEnum, description: "Severity of its alerts; default WARNING." }),
  }),
});
