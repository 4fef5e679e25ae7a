import { InvalidIdError, NotFoundError, ValidationError } from "../../domain/errors.ts";
import { createResource, updateResource } from "../../services/resources.ts";
import { builder, pageSize } from "../builder.ts";
import { parseId } from "../ids.ts";
import { CreateResourceInput, UpdateResourceInput } from "./ResourceInput.ts";

export const ResourceType = builder.prismaNode("Resource", {
  id: { field: "id" },
  description: "A resource pool: capacity units of one type, shared by tasks and clients, allocated all-or-nothing by priority",
  fields: (t) => ({
    name: t.exposeString("name"),
    type: t.exposeString("type"),
    capacity: t.exposeFloat("capacity"),
    allocated: t.exposeFloat("allocated", { description: "Units held by active allocations" }),
    available: t.float({ description: "capacity − allocated", resolve: (r) => Math.max(0, r.capacity - r.allocated) }),
    utilization: t.float({ nullable: true, description: "allocated ÷ capacity, 0..1; null when capacity is 0", resolve: (r) => (r.capacity > 0 ? Math.min(1, r.allocated / r.capacity) : null) }),
    costPerUnitSecond: t.exposeFloat("costPerUnitSecond"),
    attributes: t.expose("attributes", { type: "JSON" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    allocations: t.relatedConnection("allocations", {
      cursor: "id",
      ...pageSize,
      description: "Its allocations, newest first; active: true (default) only those held now",
      args: { active: t.arg.boolean({ defaultValue: true }) },
      query: (args) => ({ where: args.active ? { releasedAt: null } : {}, orderBy: [{ allocatedAt: "desc" }, { id: "desc" }] }),
    }),
    waiting: t.prismaConnection({
      type: "TaskRun",
      cursor: "id",
      ...pageSize,
      description: "Task runs ready (or due a retry) but waiting for resources of this type (see TaskRun.waitingFor), longest waiting first",
      resolve: (query, r, _args, ctx) =>
        ctx.db.prisma.taskRun.findMany({ ...query, where: { status: { in: ["READY", "RETRYING"] }, waitingFor: { not: null }, waitingOn: { has: r.type } }, orderBy: [{ readyAt: "asc" }, { id: "asc" }] }),
    }),
  }),
});

builder.queryFields((t) => ({
  resources: t.prismaConnection({
    type: "Resource",
    cursor: "id",
    ...pageSize,
    description: "Resource pools by name; type filters to one type",
    args: { type: t.arg.string() },
    resolve: (query, _root, args, ctx) =>
      ctx.db.prisma.resource.findMany({ ...query, where: args.type ? { type: args.type } : {}, orderBy: [{ name: "asc" }, { id: "asc" }] }),
  }),
  resource: t.prismaField({
    type: "Resource",
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.resource.findUnique({ ...query, where: { id: parseId("id", args.id, "Resource") } }),
  }),
}));

builder.mutationFields((t) => ({
  createResource: t.prismaField({
    type: "Resource",
    description: "Creates a pool; runs waiting for its type are reconsidered at once",
    authScopes: { admin: true },
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: CreateResourceInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => ctx.db.prisma.resource.findUniqueOrThrow({ ...query, where: { id: await createResource(ctx, input) } }),
  }),
  updateResource: t.prismaField({
    type: "Resource",
    description: "Changes a pool's name, capacity, price or attributes",
    authScopes: { admin: true },
    errors: { types: [InvalidIdError, NotFoundError, ValidationError] },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateResourceInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseId("id", args.id, "Resource");
      await updateResource(ctx, id, args.input);
      return ctx.db.prisma.resource.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
