import { InvalidIdError, NotFoundError, ValidationError } from "../../domain/errors.ts";
import { removeAlert, setAlert } from "../../services/alerts.ts";
import { builder, pageSize } from "../builder.ts";
import { globalId, parseId } from "../ids.ts";
import { AlertOperatorEnum, AlertSeverityEnum } from "./enums.ts";
import { RemoveAlertPayload } from "./RemoveAlertPayload.ts";
import { SetAlertInput } from "./SetAlertInput.ts";

export const AlertRuleType = builder.prismaNode("AlertRule", {
  id: { field: "id" },
  description: "`metric operator threshold` held for durationMs fires an alert per scope (each execution its samples come from, or global for samples outside executions); it resolves past resolveThreshold.",
  fields: (t) => ({
    metric: t.exposeString("metric", { description: "The metric stream it watches." }),
    operator: t.expose("operator", { type: AlertOperatorEnum, description: "How a sample is compared with threshold." }),
    threshold: t.exposeFloat("threshold", { description: "The value compared against." }),
    durationMs: t.exposeInt("durationMs", { description: "Milliseconds the condition must hold continuously before an alert fires; 0: at once." }),
    resolveThreshold: t.exposeFloat("resolveThreshold", { nullable: true, description: "Once firing, the alert resolves only when the value is back past this; null: threshold." }),
    executionId: t.id({ nullable: true, description: "Scope: only samples of this execution (global ID); null: not limited to one.", resolve: (r) => (r.executionId ? globalId("Execution", r.executionId) : null) }),
    planId: t.id({ nullable: true, description: "Scope: only samples of executions of this plan (global ID); null: not limited to one.", resolve: (r) => (r.planId ? globalId("Plan", r.planId) : null) }),
    labels: t.expose("labels", { type: "JSON", nullable: true, description: "Only samples carrying every one of these labels match; null: any labels." }),
    webhookUrl: t.exposeString("webhookUrl", { nullable: true, description: "URL POSTed when one of its alerts fires or resolves; null: none." }),
    severity: t.expose("severity", { type: AlertSeverityEnum, description: "Severity of its alerts." }),
    enabled: t.exposeBoolean("enabled", { description: "Whether samples are evaluated against it (rules are created enabled)." }),
    state: t.expose("state", { type: "JSON", description: "Evaluation state by scope key (execution UUID or \"global\"): { pendingSince, firingAlertId, lastValue, lastAt }." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When setAlert stored it." }),
    alerts: t.relatedConnection("alerts", { cursor: "id", ...pageSize, query: { orderBy: [{ triggeredAt: "desc" }, { id: "desc" }] }, description: "Its alerts, newest first." }),
  }),
});

builder.queryFields((t) => ({
  alertRules: t.prismaConnection({
    type: "AlertRule",
    cursor: "id",
    ...pageSize,
    description: "Alert rules, newest first.",
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.alertRule.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
}));

builder.mutationFields((t) => ({
  setAlert: t.prismaField({
    type: "AlertRule",
    description: "Stores a new alert rule, evaluated on every sample of its metric in its scope (reportMetrics, ctx.metric, built-in streams). Needs role OPERATOR.",
    errors: { types: [InvalidIdError, NotFoundError, ValidationError] },
    args: { input: t.arg({ type: SetAlertInput, required: true, description: "The condition, scope and delivery of the rule." }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = await setAlert(ctx, {
        ...input,
        executionId: input.executionId != null ? parseId("input.executionId", input.executionId, "Execution") : null,
        planId: input.planId != null ? parseId("input.planId", input.planId, "Plan") : null,
      });
      return ctx.db.prisma.alertRule.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  removeAlert: t.field({
    type: RemoveAlertPayload,
    description: "Deletes an alert rule with its alerts and their delivery attempts. Needs role OPERATOR.",
    errors: { types: [InvalidIdError, NotFoundError] },
    args: { id: t.arg.id({ required: true, description: "The alert rule's global ID (or bare UUID)." }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId("id", args.id, "AlertRule");
      await removeAlert(ctx, id);
      return { id };
    },
  }),
}));
