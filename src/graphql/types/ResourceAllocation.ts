import { InvalidIdError, NotFoundError, ResourceUnavailableError, ValidationError } from "../../domain/errors.ts";
import { allocateResources, CLIENT_LEASE, releaseResources } from "../../services/resources.ts";
import { builder } from "../builder.ts";
import { parseId } from "../ids.ts";
import { PriorityEnum } from "./enums.ts";
import { ResourceRequirementInput } from "./ResourceRequirement.ts";
import { ResourceUsageType } from "./ResourceUsage.ts";

export const ResourceAllocationType = builder.prismaNode("ResourceAllocation", {
  id: { field: "id" },
  description: "Some amount of one resource, held by a task run's attempt or by a client (allocateResources)",
  fields: (t) => ({
    resource: t.relation("resource"),
    amount: t.exposeFloat("amount"),
    priority: t.expose("priority", { type: PriorityEnum }),
    execution: t.relation("execution", { nullable: true, description: "Null for a client's hold" }),
    taskRun: t.relation("taskRun", { nullable: true }),
    taskKey: t.exposeString("taskKey", { nullable: true }),
    attempt: t.exposeInt("attempt", { nullable: true }),
    label: t.exposeString("label", { nullable: true, description: "A client's name for its hold" }),
    releaseOnPause: t.exposeBoolean("releaseOnPause"),
    active: t.boolean({ description: "Held now", resolve: (a) => a.releasedAt === null }),
    allocatedAt: t.expose("allocatedAt", { type: "DateTime" }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true, description: "Released then if still held (lease or durationMs); null once released" }),
    releasedAt: t.expose("releasedAt", { type: "DateTime", nullable: true }),
    releaseReason: t.exposeString("releaseReason", { nullable: true, description: "completed, failed, timed out, lease lost, execution cancelled, paused, duration elapsed, lease expired, released by client…" }),
    usage: t.variant(ResourceUsageType),
  }),
});

builder.mutationFields((t) => ({
  allocateResources: t.prismaField({
    type: ["ResourceAllocation"],
    description: `Holds resources outside any task: every requirement or none (ResourceUnavailableError), ranked behind waiting tasks of better priority. The hold ends with releaseResources or after leaseMs (default ${CLIENT_LEASE.defaultMs}, ${CLIENT_LEASE.minMs}..${CLIENT_LEASE.maxMs})`,
    errors: { types: [ValidationError, ResourceUnavailableError] },
    args: {
      requirements: t.arg({ type: [ResourceRequirementInput], required: true }),
      leaseMs: t.arg.int(),
      label: t.arg.string({ description: "Your name for the hold (≤ 100 characters)" }),
    },
    resolve: async (query, _root, args, ctx) => {
      const ids = await allocateResources(ctx, args.requirements, { leaseMs: args.leaseMs, label: args.label, agingStepMs: ctx.agingStepMs });
      return ctx.db.prisma.resourceAllocation.findMany({ ...query, where: { id: { in: ids } }, orderBy: { id: "asc" } });
    },
  }),
  releaseResources: t.prismaField({
    type: ["ResourceAllocation"],
    description: "Ends holds taken with allocateResources (at most 100 at once); releasing one twice is harmless. Task allocations end with their run",
    errors: { types: [InvalidIdError, NotFoundError, ValidationError] },
    args: { ids: t.arg.idList({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const ids = args.ids.map((id, i) => parseId(`ids[${i}]`, id, "ResourceAllocation"));
      await releaseResources(ctx, ids);
      return ctx.db.prisma.resourceAllocation.findMany({ ...query, where: { id: { in: ids } }, orderBy: { id: "asc" } });
    },
  }),
}));
