import { InvalidIdError, NotFoundError, ResourceUnavailableError, ValidationError } from "../../domain/errors.ts";
import { allocateResources, CLIENT_LEASE, releaseResources } from "../../services/resources.ts";
import { builder } from "../builder.ts";
import { parseId } from "../ids.ts";
import { PriorityEnum } from "./enums.ts";
import { ResourceRequirementInput } from "./ResourceRequirement.ts";
import { ResourceUsageType } from "./ResourceUsage.ts";

export const ResourceAllocationType = builder.prismaNode("ResourceAllocation", {
  id: { field: "id" },
  description: "Some amount of one resource, held by a task run's attempt or by a client (allocateResources).",
  fields: (t) => ({
    resource: t.relation("resource", { description: "The pool it is taken from." }),
    amount: t.exposeFloat("amount", { description: "Units held." }),
    priority: t.expose("priority", { type: PriorityEnum, description: "The priority it was granted at." }),
    execution: t.relation("execution", { nullable: true, description: "The execution of the task run holding it; null for a client's hold." }),
    taskRun: t.relation("taskRun", { nullable: true, description: "The task run holding it; null for a client's hold." }),
    taskKey: t.exposeString("taskKey", { nullable: true, description: "Key of that task; null for a client's hold." }),
    attempt: t.exposeInt("attempt", { nullable: true, description: "The attempt of that task run it was taken for; null for a client's hold." }),
    label: t.exposeString("label", { nullable: true, description: "A client's name for its hold (allocateResources(label:)); null for tasks." }),
    releaseOnPause: t.exposeBoolean("releaseOnPause", { description: "Released as soon as a pause of its execution is requested, not when the run ends." }),
    active: t.boolean({ description: "Held now (not released).", resolve: (a) => a.releasedAt === null }),
    allocatedAt: t.expose("allocatedAt", { type: "DateTime", description: "When it was granted." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true, description: "Released then if still held (a client's lease, or a requirement's durationMs); null without such a limit, and once released." }),
    releasedAt: t.expose("releasedAt", { type: "DateTime", nullable: true, description: "When it was released; null while held." }),
    releaseReason: t.exposeString("releaseReason", { nullable: true, description: "Why it was released, e.g. completed, failed, timed out, lease lost, worker stopping, paused, duration elapsed, lease expired, released by client, execution cancelled; null while held." }),
    usage: t.variant(ResourceUsageType, { description: "Its cost and use." }),
  }),
});

builder.mutationFields((t) => ({
  allocateResources: t.prismaField({
    type: ["ResourceAllocation"],
    description: `Holds resources outside any task: every requirement or none (ResourceUnavailableError), ranked behind waiting tasks of better priority. The hold ends with releaseResources or after leaseMs (default ${CLIENT_LEASE.defaultMs}, ${CLIENT_LEASE.minMs}..${CLIENT_LEASE.maxMs}). Needs role OPERATOR.`,
    errors: { types: [ValidationError, ResourceUnavailableError], dataField: { description: "The allocations granted, one per requirement." } },
    args: {
      requirements: t.arg({ type: [ResourceRequirementInput], required: true, description: "What to hold: 1 to 16 requirements, granted together or not at all." }),
      leaseMs: t.arg.int({ description: `The hold ends after this many ms unless released sooner, ${CLIENT_LEASE.minMs} to ${CLIENT_LEASE.maxMs}; default ${CLIENT_LEASE.defaultMs}.` }),
      label: t.arg.string({ description: "Your name for the hold (≤ 100 characters)." }),
    },
    resolve: async (query, _root, args, ctx) => {
      const ids = await allocateResources(ctx, args.requirements, { leaseMs: args.leaseMs, label: args.label, agingStepMs: ctx.agingStepMs });
      return ctx.db.prisma.resourceAllocation.findMany({ ...query, where: { id: { in: ids } }, orderBy: { id: "asc" } });
    },
  }),
  releaseResources: t.prismaField({
    type: ["ResourceAllocation"],
    description: "Ends holds taken with allocateResources (at most 100 at once); releasing one twice is harmless. Task allocations end with their run (asking for one is a ValidationError). Needs role OPERATOR.",
    errors: { types: [InvalidIdError, NotFoundError, ValidationError], dataField: { description: "The allocations named, as they are now (released)." } },
    args: { ids: t.arg.idList({ required: true, description: "Global IDs (or bare UUIDs) of the allocations, at most 100." }) },
    resolve: async (query, _root, args, ctx) => {
      const ids = args.ids.map((id, i) => parseId(`ids[${i}]`, id, "ResourceAllocation"));
      await releaseResources(ctx, ids);
      return ctx.db.prisma.resourceAllocation.findMany({ ...query, where: { id: { in: ids } }, orderBy: { id: "asc" } });
    },
  }),
}));
