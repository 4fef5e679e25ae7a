import { allocationCost, allocationEfficiency, amountUsed } from "../../domain/resources/usage.ts";
import { builder, pageSize } from "../builder.ts";

// One allocation seen as usage: what it cost and how well it was used. The same rows as
// ResourceAllocation, shaped for cost reports.

const usage = { resource: { select: { type: true } } } as const;

export const ResourceUsageType = builder.prismaObject("ResourceAllocation", {
  variant: "ResourceUsage",
  description: "Cost and use of one allocation; cost accrues while it is held.",
  fields: (t) => ({
    allocationId: t.exposeID("id", { description: "The allocation's bare UUID (node(id:) accepts it)." }),
    resourceId: t.exposeID("resourceId", { description: "The pool's bare UUID (node(id:) accepts it)." }),
    resourceType: t.string({ select: usage, description: "The pool's type.", resolve: (a) => a.resource.type }),
    taskKey: t.exposeString("taskKey", { nullable: true, description: "Key of the task that held it; null for a client's hold." }),
    attempt: t.exposeInt("attempt", { nullable: true, description: "The attempt that held it; null for a client's hold." }),
    amountAllocated: t.exposeFloat("amount", { description: "Units held." }),
    amountUsed: t.float({ description: "Peak amount the holder reported using (ctx.resources[i].reportUsage); the whole amount without a report.", resolve: amountUsed }),
    cost: t.float({ description: "Price of the hold: amount × costPerUnitSecond (as allocated) × seconds held (so far, while held).", resolve: (a, _args, ctx) => a.cost ?? allocationCost(a, ctx.clock()) }),
    startTime: t.expose("allocatedAt", { type: "DateTime", description: "When it was granted." }),
    endTime: t.expose("releasedAt", { type: "DateTime", nullable: true, description: "When it was released; null while held." }),
    efficiency: t.float({ description: "Share used: amountUsed ÷ amountAllocated, 0 to 1.", resolve: allocationEfficiency }),
  }),
});

builder.prismaObjectFields("Execution", (t) => ({
  resourceUsage: t.relatedConnection("resourceAllocations", {
    type: ResourceUsageType,
    cursor: "id",
    ...pageSize,
    description: "Every allocation its tasks held, oldest first; metrics.totalCost and resourceEfficiency sum them.",
    query: { orderBy: [{ allocatedAt: "asc" }, { id: "asc" }] },
  }),
}));
