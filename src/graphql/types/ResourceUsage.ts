import { allocationCost, allocationEfficiency, amountUsed } from "../../domain/resources/usage.ts";
import { builder, pageSize } from "../builder.ts";

// One allocation seen as usage: what it cost and how well it was used. The same rows as
// ResourceAllocation, shaped for cost reports.

const usage = { resource: { select: { type: true } } } as const;

export const ResourceUsageType = builder.prismaObject("ResourceAllocation", {
  variant: "ResourceUsage",
  description: "Cost and use of one allocation; cost accrues while it is held",
  fields: (t) => ({
    allocationId: t.exposeID("id"),
    resourceId: t.exposeID("resourceId"),
    resourceType: t.string({ select: usage, resolve: (a) => a.resource.type }),
    taskKey: t.exposeString("taskKey", { nullable: true }),
    attempt: t.exposeInt("attempt", { nullable: true }),
    amountAllocated: t.exposeFloat("amount"),
    amountUsed: t.float({ description: "Peak amount the holder reported using (ctx.resources[i].reportUsage); the whole amount without a report", resolve: amountUsed }),
    cost: t.float({ description: "amount × costPerUnitSecond × seconds held (so far, while held)", resolve: (a, _args, ctx) => a.cost ?? allocationCost(a, ctx.clock()) }),
    startTime: t.expose("allocatedAt", { type: "DateTime" }),
    endTime: t.expose("releasedAt", { type: "DateTime", nullable: true, description: "Null while held" }),
    efficiency: t.float({ description: "amountUsed ÷ amountAllocated, 0..1", resolve: allocationEfficiency }),
  }),
});

builder.prismaObjectFields("Execution", (t) => ({
  resourceUsage: t.relatedConnection("resourceAllocations", {
    type: ResourceUsageType,
    cursor: "id",
    ...pageSize,
    description: "Every allocation its tasks held, oldest first; metrics.totalCost and resourceEfficiency sum them",
    query: { orderBy: [{ allocatedAt: "asc" }, { id: "asc" }] },
  }),
}));
