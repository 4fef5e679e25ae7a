import { builder } from "../builder.ts";

export const CreateTriggerPayload = builder.objectRef<{ id: string; secret: string | null }>("CreateTriggerPayload").implement({
  fields: (t) => ({
    trigger: t.prismaField({ type: "Trigger", resolve: (query, p, _args, ctx) => ctx.db.prisma.trigger.findUniqueOrThrow({ ...query, where: { id: p.id } }) }),
    secret: t.exposeString("secret", { nullable: true, description: "WEBHOOK: the signing secret, shown here once and never again" }),
  }),
});
