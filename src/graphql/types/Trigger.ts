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
  description: "Starts executions of a plan when a metric condition is crossed (METRIC) or on a signed POST /hooks/:triggerId (WEBHOOK).",
  fields: (t) => ({
    plan: t.relation("plan", { description: "The plan it starts executions of." }),
    kind: t.expose("kind", { type: TriggerKindEnum, description: "What starts its executions." }),
    name: t.exposeString("name", { nullable: true, description: "Display name; null when none was given." }),
    metric: t.exposeString("metric", { nullable: true, description: "METRIC: the metric stream it watches (by name; labels are not matched); null for WEBHOOK." }),
    operator: t.expose("operator", { type: AlertOperatorEnum, nullable: true, description: "METRIC: how a sample is compared with threshold; null for WEBHOOK." }),
    threshold: t.exposeFloat("threshold", { nullable: true, description: "METRIC: the value compared against; null for WEBHOOK." }),
    durationMs: t.exposeInt("durationMs", { description: "METRIC: the condition must hold this many ms (in sample time) before it fires; 0: at once." }),
    cooldownMs: t.exposeInt("cooldownMs", { description: "METRIC: no firing within this many ms after the previous one; 0: none." }),
    params: t.expose("params", { type: "JSON", description: "Params of the executions it starts (a METRIC firing adds metric, value and timestamp; a webhook's JSON body is merged over them)." }),
    priority: t.expose("priority", { type: PriorityEnum, description: "Priority of the executions it starts." }),
    enabled: t.exposeBoolean("enabled", { description: "Whether it fires (a disabled WEBHOOK trigger answers 404)." }),
    armed: t.exposeBoolean("armed", { description: "METRIC: fires at the next crossing; false after a firing until the condition stops holding." }),
    holdingSince: t.expose("holdingSince", { type: "DateTime", nullable: true, description: "METRIC: since when the condition holds (sample time); null while it does not." }),
    lastFiredAt: t.expose("lastFiredAt", { type: "DateTime", nullable: true, description: "METRIC: the sample time it last fired at; null before the first firing, and always for WEBHOOK." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was created." }),
    webhookPath: t.string({ nullable: true, description: "WEBHOOK: the path to POST to, with X-Signature: sha256=<hex HMAC-SHA256 of the body> or Authorization: Bearer <secret> (an X-Delivery-Id makes a replay start nothing); null for METRIC.", resolve: (tr) => (tr.kind === "WEBHOOK" ? `/hooks/${tr.id}` : null) }),
    history: t.prismaConnection({
      type: "Execution",
      cursor: "id",
      ...pageSize,
      description: "Executions it started, newest first.",
      resolve: (query, tr, _args, ctx) => ctx.db.prisma.execution.findMany({ ...query, where: { triggerId: tr.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
    }),
  }),
});

builder.queryFields((t) => ({
  triggers: t.prismaConnection({
    type: "Trigger",
    cursor: "id",
    ...pageSize,
    description: "Triggers, newest first.",
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.trigger.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
  trigger: t.prismaField({
    type: "Trigger",
    nullable: true,
    description: "A trigger by ID; null when there is none.",
    args: { id: t.arg.id({ required: true, description: "The trigger's global ID (or bare UUID)." }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.trigger.findUnique({ ...query, where: { id: parseId("id", args.id, "Trigger") } }),
  }),
}));

builder.mutationFields((t) => ({
  createTrigger: t.field({
    type: CreateTriggerPayload,
    authScopes: { admin: true },
    description: "Creates a trigger: a METRIC trigger needs metric, operator and threshold; a WEBHOOK trigger gets a secret, returned in this payload only. Needs role ADMIN.",
    errors: { types: [InvalidIdError, NotFoundError, ValidationError] },
    args: { input: t.arg({ type: CreateTriggerInput, required: true, description: "The plan, the kind and its condition." }) },
    resolve: (_root, { input }, ctx) => createTrigger(ctx, { ...input, planId: parseId("input.planId", input.planId, "Plan") }),
  }),
  setTriggerEnabled: t.prismaField({
    type: "Trigger",
    authScopes: { admin: true },
    description: "Enables or disables a trigger; enabling re-arms a METRIC trigger and forgets how long its condition held. Needs role ADMIN.",
    errors: { types: [InvalidIdError, NotFoundError] },
    args: { id: t.arg.id({ required: true, description: "The trigger's global ID (or bare UUID)." }), enabled: t.arg.boolean({ required: true, description: "True to enable, false to disable." }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseId("id", args.id, "Trigger");
      await setTriggerEnabled(ctx, id, args.enabled);
      return ctx.db.prisma.trigger.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  deleteTrigger: t.field({
    type: DeleteTriggerPayload,
    authScopes: { admin: true },
    description: "Deletes a trigger; the executions it started stay. Needs role ADMIN.",
    errors: { types: [InvalidIdError, NotFoundError] },
    args: { id: t.arg.id({ required: true, description: "The trigger's global ID (or bare UUID)." }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId("id", args.id, "Trigger");
      await deleteTrigger(ctx, id);
      return { id };
    },
  }),
}));
