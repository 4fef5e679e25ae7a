import { InvalidIdError, NotFoundError } from "../../domain/errors.ts";
import { acknowledgeAlert, ALERT_ALL_KEY } from "../../services/alerts.ts";
import { liveAlerts } from "../../services/live-alerts.ts";
import { builder, pageSize } from "../builder.ts";
import { globalId, parseId } from "../ids.ts";
import { AlertFilter } from "./AlertFilter.ts";
import { AlertSeverityEnum, AlertStateEnum } from "./enums.ts";
import "./AlertDelivery.ts";

export const AlertType = builder.prismaNode("Alert", {
  id: { field: "id" },
  description: "One firing period of an alert rule in one scope (one execution, or global).",
  fields: (t) => ({
    rule: t.relation("rule", { description: "The rule that fired." }),
    executionId: t.id({ nullable: true, description: "Global ID of the execution whose samples fired it; null for samples outside executions (reportMetrics).", resolve: (a) => (a.executionId ? globalId("Execution", a.executionId) : null) }),
    planId: t.id({ nullable: true, description: "Global ID of the rule's plan, or else of that execution's plan; null when neither.", resolve: (a) => (a.planId ? globalId("Plan", a.planId) : null) }),
    state: t.expose("state", { type: AlertStateEnum, description: "Whether it still fires." }),
    value: t.exposeFloat("value", { description: "The sample value that fired it." }),
    message: t.exposeString("message", { description: "The rule and the value in words, e.g. \"cpu_usage GT 90 for 60000 ms: value 97\"." }),
    severity: t.expose("severity", { type: AlertSeverityEnum, description: "The rule's severity when it fired." }),
    triggeredAt: t.expose("triggeredAt", { type: "DateTime", description: "When it fired (sample time)." }),
    resolvedAt: t.expose("resolvedAt", { type: "DateTime", nullable: true, description: "When it resolved (sample time); null while FIRING." }),
    acknowledgedAt: t.expose("acknowledgedAt", { type: "DateTime", nullable: true, description: "When acknowledgeAlert was first called on it; null before." }),
    deliveries: t.relation("deliveries", { query: { orderBy: [{ createdAt: "asc" }, { attempt: "asc" }] }, description: "Its webhook POST attempts (when the rule has a webhookUrl), oldest first." }),
  }),
});

builder.queryFields((t) => ({
  alerts: t.prismaConnection({
    type: "Alert",
    cursor: "id",
    ...pageSize,
    description: "Alerts, newest first (by triggeredAt).",
    args: { filter: t.arg({ type: AlertFilter, description: "Only the alerts matching every field given; unset: all." }) },
    resolve: (query, _root, { filter }, ctx) =>
      ctx.db.prisma.alert.findMany({
        ...query,
        where: {
          ...(filter?.state ? { state: filter.state } : {}),
          ...(filter?.executionId ? { executionId: parseId("filter.executionId", filter.executionId, "Execution") } : {}),
          ...(filter?.planId ? { planId: parseId("filter.planId", filter.planId, "Plan") } : {}),
          ...(filter?.ruleId ? { ruleId: parseId("filter.ruleId", filter.ruleId, "AlertRule") } : {}),
        },
        orderBy: [{ triggeredAt: "desc" }, { id: "desc" }],
      }),
  }),
}));

builder.mutationFields((t) => ({
  acknowledgeAlert: t.prismaField({
    type: "Alert",
    description: "Marks an alert acknowledged (a second call keeps the first time); it changes nothing else. Needs role OPERATOR.",
    errors: { types: [InvalidIdError, NotFoundError] },
    args: { id: t.arg.id({ required: true, description: "The alert's global ID (or bare UUID)." }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseId("id", args.id, "Alert");
      await acknowledgeAlert(ctx, id);
      return ctx.db.prisma.alert.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));

builder.subscriptionFields((t) => ({
  alertTriggered: t.field({
    type: AlertType,
    description: "Alerts as they fire (live only: no replay, no resolutions), filtered by execution and/or plan; neither: all.",
    args: {
      executionId: t.arg.id({ description: "Only alerts of this execution (global ID or bare UUID)." }),
      planId: t.arg.id({ description: "Only alerts of this plan (global ID or bare UUID)." }),
    },
    subscribe: (_root, args, ctx) => {
      const executionId = args.executionId != null ? parseId("executionId", args.executionId, "Execution") : null;
      const planId = args.planId != null ? parseId("planId", args.planId, "Plan") : null;
      const key = executionId ? `execution:${executionId}` : planId ? `plan:${planId}` : ALERT_ALL_KEY;
      return liveAlerts(ctx, ctx.monitorBufferSize, key, (a) => (!executionId || a.executionId === executionId) && (!planId || a.planId === planId));
    },
    resolve: (a) => a as never,
  }),
}));
