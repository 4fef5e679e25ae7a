import { builder } from "../builder.ts";

export const CreateTriggerPayload = builder.objectRef<{ id: string; secret: string | null }>("CreateTriggerPayload").implement({
  description: "The trigger createTrigger stored, with its webhook secret.",
  fields: (t) => ({
    trigger: t.prismaField({ type: "Trigger", description: "The trigger.", resolve: (query, p, _args, ctx) => ctx.db.prisma.trigger.findUniqueOrThrow({ ...query, where: { id: p.id } }) }),
    secret: t.exposeString("secret", { nullable: true, description: "WEBHOOK: the signing secret (64 hex characters), shown here once and never again; null for METRIC." }),
  }),
});
