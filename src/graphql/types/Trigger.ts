import { InvalidIdError, NotFoundError, ValidationError } from "../../domain/errors.ts";
import { createTrigger, deleteTrigger, setTriggerEnabled } from "../../services/triggers.ts";
import { builder, pageSize } from "../builder.ts";
import { parseId } from "../ids.ts";
import { CreateTriggerInput } from "./CreateTriggerInput.ts";
import { CreateTriggerPayload } from "./CreateTriggerPayload.ts";
import { DeleteTriggerPayload } from "./DeleteTriggerPayload.ts";
import { AlertOperatorEnum, PriorityEnum, TriggerKindEnum } from "./enums.ts";

export const TriggerType = builder.prismaNode("Trigger", {
  id: { field: "id" },
  description: "Starts executions of a plan when a metric condition is crossed (METRIC) or on a signed POST /hooks/:triggerId (WEBHOOK)",
  fields: (t) => ({
    plan: t.relation("plan"),
    kind: t.expose("kind", { type: TriggerKindEnum }),
    name: t.exposeString("name", { nullable: true }),
    metric: t.exposeString("metric", { nullable: true }),
    operator: t.expose("operator", { type: AlertOperatorEnum, nullable: true }),
    threshold: t.exposeFloat("threshold", { nullable: true }),
    durationMs: t.exposeInt("durationMs"),
    cooldownMs: t.exposeInt("cooldownMs"),
    params: t.expose("params", { type: "JSON" }),
    priority: t.expose("priority", { type: PriorityEnum }),
    enabled: t.exposeBoolean("enabled"),
    armed: t.exposeBoolean("armed", { description: "METRIC: fires at the next crossing; false after a firing until the condition stops holding" }),
    holdingSince: t.expose("holdingSince", { type: "DateTime", nullable: true, description: "METRIC: since when the condition holds (null: it does not)" }),
    lastFiredAt: t.expose("lastFiredAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    webhookPath: t.string({ nullable: true, description: "WEBHOOK: where to POST", resolve: (tr) => (tr.kind === "WEBHOOK" ? `/hooks/${tr.id}` : null) }),
    history: t.prismaConnection({
      type: "Execution",
      cursor: "id",
      ...pageSize,
      description: "Executions it started, newest first",
      resolve: (query, tr, _args, ctx) => ctx.db.prisma.execution.findMany({ ...query, where: { triggerId: tr.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
    }),
  }),
});

builder.queryFields((t) => ({
  triggers: t.prismaConnection({
    type: "Trigger",
    cursor: "id",
    ...pageSize,
    description: "Triggers, newest first",
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.trigger.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
  trigger: t.prismaField({
    type: "Trigger",
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.trigger.findUnique({ ...query, where: { id: parseId("id", args.id, "Trigger") } }),
  }),
}));

builder.mutationFields((t) => ({
  createTrigger: t.field({
    type: CreateTriggerPayload,
    authScopes: { admin: true },
    description: "A METRIC trigger needs metric, operator and threshold; a WEBHOOK trigger gets a secret, returned in this payload only",
    errors: { types: [InvalidIdError, NotFoundError, ValidationError] },
    args: { input: t.arg({ type: CreateTriggerInput, required: true }) },
    resolve: (_root, { input }, ctx) => createTrigger(ctx, { ...input, planId: parseId("input.planId", input.planId, "Plan") }),
  }),
  setTriggerEnabled: t.prismaField({
    type: "Trigger",
    authScopes: { admin: true },
    description: "Enabling re-arms a METRIC trigger",
    errors: { types: [InvalidIdError, NotFoundError] },
    args: { id: t.arg.id({ required: true }), enabled: t.arg.boolean({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseId("id", args.id, "Trigger");
      await setTriggerEnabled(ctx, id, args.enabled);
      return ctx.db.prisma.trigger.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  deleteTrigger: t.field({
    type: DeleteTriggerPayload,
    authScopes: { admin: true },
    description: "Its executions stay",
    errors: { types: [InvalidIdError, NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId("id", args.id, "Trigger");
      await deleteTrigger(ctx, id);
      return { id };
    },
  }),
}));
