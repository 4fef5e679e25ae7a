import { InvalidIdError, NotFoundError, ValidationError } from "../../domain/errors.ts";
import { removeAlert, setAlert } from "../../services/alerts.ts";
import { builder, pageSize } from "../builder.ts";
import { globalId, parseId } from "../ids.ts";
import { AlertOperatorEnum, AlertSeverityEnum } from "./enums.ts";
import { RemoveAlertPayload } from "./RemoveAlertPayload.ts";
import { SetAlertInput } from "./SetAlertInput.ts";

export const AlertRuleType = builder.prismaNode("AlertRule", {
  id: { field: "id" },
  description: "`metric operator threshold` held for durationMs fires an alert per scope (an execution, or global); it resolves past resolveThreshold",
  fields: (t) => ({
    metric: t.exposeString("metric"),
    operator: t.expose("operator", { type: AlertOperatorEnum }),
    threshold: t.exposeFloat("threshold"),
    durationMs: t.exposeInt("durationMs"),
    resolveThreshold: t.exposeFloat("resolveThreshold", { nullable: true }),
    executionId: t.id({ nullable: true, resolve: (r) => (r.executionId ? globalId("Execution", r.executionId) : null) }),
    planId: t.id({ nullable: true, resolve: (r) => (r.planId ? globalId("Plan", r.planId) : null) }),
    labels: t.expose("labels", { type: "JSON", nullable: true }),
    webhookUrl: t.exposeString("webhookUrl", { nullable: true }),
    severity: t.expose("severity", { type: AlertSeverityEnum }),
    enabled: t.exposeBoolean("enabled"),
    state: t.expose("state", { type: "JSON", description: "Evaluation state per scope: { pendingSince, firingAlertId, lastValue, lastAt }" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    alerts: t.relatedConnection("alerts", { cursor: "id", ...pageSize, query: { orderBy: [{ triggeredAt: "desc" }, { id: "desc" }] }, description: "Its alerts, newest first" }),
  }),
});

builder.queryFields((t) => ({
  alertRules: t.prismaConnection({
    type: "AlertRule",
    cursor: "id",
    ...pageSize,
    description: "Alert rules, newest first",
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.alertRule.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
}));

builder.mutationFields((t) => ({
  setAlert: t.prismaField({
    type: "AlertRule",
    description: "Stores an alert rule, evaluated on every sample of its metric (reportMetrics, ctx.metric, built-in streams)",
    errors: { types: [InvalidIdError, NotFoundError, ValidationError] },
    args: { input: t.arg({ type: SetAlertInput, required: true }) },
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
    description: "Deletes an alert rule with its alerts",
    errors: { types: [InvalidIdError, NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId("id", args.id, "AlertRule");
      await removeAlert(ctx, id);
      return { id };
    },
  }),
}));
