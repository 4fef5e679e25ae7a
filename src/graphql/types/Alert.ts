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
  description: "One firing period of an alert rule in one scope",
  fields: (t) => ({
    rule: t.relation("rule"),
    executionId: t.id({ nullable: true, resolve: (a) => (a.executionId ? globalId("Execution", a.executionId) : null) }),
    planId: t.id({ nullable: true, resolve: (a) => (a.planId ? globalId("Plan", a.planId) : null) }),
    state: t.expose("state", { type: AlertStateEnum }),
    value: t.exposeFloat("value", { description: "The value that fired it" }),
    message: t.exposeString("message"),
    severity: t.expose("severity", { type: AlertSeverityEnum }),
    triggeredAt: t.expose("triggeredAt", { type: "DateTime" }),
    resolvedAt: t.expose("resolvedAt", { type: "DateTime", nullable: true }),
    acknowledgedAt: t.expose("acknowledgedAt", { type: "DateTime", nullable: true }),
    deliveries: t.relation("deliveries", { query: { orderBy: [{ createdAt: "asc" }, { attempt: "asc" }] }, description: "Webhook attempts, oldest first" }),
  }),
});

builder.queryFields((t) => ({
  alerts: t.prismaConnection({
    type: "Alert",
    cursor: "id",
    ...pageSize,
    description: "Alerts, newest first",
    args: { filter: t.arg({ type: AlertFilter }) },
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
    description: "Marks an alert acknowledged (a second call keeps the first time)",
    errors: { types: [InvalidIdError, NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
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
    description: "Alerts as they fire (live only), filtered by execution and/or plan; neither: all",
    args: { executionId: t.arg.id(), planId: t.arg.id() },
    subscribe: (_root, args, ctx) => {
      const executionId = args.executionId != null ? parseId("executionId", args.executionId, "Execution") : null;
      const planId = args.planId != null ? parseId("planId", args.planId, "Plan") : null;
      const key = executionId ? `execution:${executionId}` : planId ? `plan:${planId}` : ALERT_ALL_KEY;
      return liveAlerts(ctx, ctx.monitorBufferSize, key, (a) => (!executionId || a.executionId === executionId) && (!planId || a.planId === planId));
    },
    resolve: (a) => a as never,
  }),
}));
