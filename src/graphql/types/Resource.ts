import { InvalidIdError, NotFoundError, ValidationError } from "../../domain/errors.ts";
import { createResource, updateResource } from "../../services/resources.ts";
import { builder, pageSize } from "../builder.ts";
import { parseId } from "../ids.ts";
import { CreateResourceInput, UpdateResourceInput } from "./ResourceInput.ts";

export const ResourceType = builder.prismaNode("Resource", {
  id: { field: "id" },
  description: "A resource pool: capacity units of one type, shared by tasks and clients, allocated all-or-nothing by priority.",
  fields: (t) => ({
    name: t.exposeString("name", { description: "Unique name, 1 to 100 characters." }),
    type: t.exposeString("type", { description: "What requirements name to use it, e.g. gpu, memory, api:openai (fixed at creation)." }),
    capacity: t.exposeFloat("capacity", { description: "Units it holds; allocations never exceed it." }),
    allocated: t.exposeFloat("allocated", { description: "Units held by active allocations." }),
    available: t.float({ description: "Units free: capacity − allocated.", resolve: (r) => Math.max(0, r.capacity - r.allocated) }),
    utilization: t.float({ nullable: true, description: "Share held: allocated ÷ capacity, 0 to 1; null when capacity is 0.", resolve: (r) => (r.capacity > 0 ? Math.min(1, r.allocated / r.capacity) : null) }),
    costPerUnitSecond: t.exposeFloat("costPerUnitSecond", { description: "Price of one unit held for one second (an allocation keeps the price it was made at)." }),
    attributes: t.expose("attributes", { type: "JSON", description: "Flat object of scalars that requirement constraints match, e.g. { memory: 16384, gpu: true }." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was created." }),
    updatedAt: t.expose("updatedAt", { type: "DateTime", description: "When it last changed (updateResource, or its allocated amount)." }),
    allocations: t.relatedConnection("allocations", {
      cursor: "id",
      ...pageSize,
      description: "Its allocations, newest first.",
      args: { active: t.arg.boolean({ defaultValue: true, description: "True (default): only those held now; false: all, released ones too." }) },
      query: (args) => ({ where: args.active ? { releasedAt: null } : {}, orderBy: [{ allocatedAt: "desc" }, { id: "desc" }] }),
    }),
    waiting: t.prismaConnection({
      type: "TaskRun",
      cursor: "id",
      ...pageSize,
      description: "Task runs ready (or due a retry) but waiting for resources of this type (see TaskRun.waitingFor), longest waiting first.",
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
    description: "Resource pools, by name.",
    args: { type: t.arg.string({ description: "Only pools of this type; unset: all." }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.prisma.resource.findMany({ ...query, where: args.type ? { type: args.type } : {}, orderBy: [{ name: "asc" }, { id: "asc" }] }),
  }),
  resource: t.prismaField({
    type: "Resource",
    nullable: true,
    description: "A resource pool by ID; null when there is none.",
    args: { id: t.arg.id({ required: true, description: "The resource's global ID (or bare UUID)." }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.resource.findUnique({ ...query, where: { id: parseId("id", args.id, "Resource") } }),
  }),
}));

builder.mutationFields((t) => ({
  createResource: t.prismaField({
    type: "Resource",
    description: "Creates a pool; runs waiting for its type are reconsidered at once. Needs role ADMIN.",
    authScopes: { admin: true },
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: CreateResourceInput, required: true, description: "The pool: name, type, capacity, price and attributes." }) },
    resolve: async (query, _root, { input }, ctx) => ctx.db.prisma.resource.findUniqueOrThrow({ ...query, where: { id: await createResource(ctx, input) } }),
  }),
  updateResource: t.prismaField({
    type: "Resource",
    description: "Changes a pool's name, capacity, price or attributes; waiting runs are reconsidered at once. Needs role ADMIN.",
    authScopes: { admin: true },
    errors: { types: [InvalidIdError, NotFoundError, ValidationError] },
    args: { id: t.arg.id({ required: true, description: "The resource's global ID (or bare UUID)." }), input: t.arg({ type: UpdateResourceInput, required: true, description: "The fields to change." }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseId("id", args.id, "Resource");
      await updateResource(ctx, id, args.input);
      return ctx.db.prisma.resource.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
