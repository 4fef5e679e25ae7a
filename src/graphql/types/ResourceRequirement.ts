import { RESOURCE_LIMITS, requirementsOf, type ResourceRequirement } from "../../domain/resources/requirements.ts";
import { builder, pageSize } from "../builder.ts";
import { PriorityEnum } from "./enums.ts";

const CONSTRAINTS = "Attribute conditions the resource must meet: a value means equality, except min<Attr>/max<Attr> with a number, which bound <attr> (minMemory: 8192 → memory ≥ 8192); an object gives operators { eq ne gt gte lt lte in }.";

export const ResourceRequirementInput = builder.inputType("ResourceRequirementInput", {
  description: "One resource need: an amount of one type, from one pool that meets the constraints.",
  fields: (t) => ({
    type: t.string({ required: true, description: "Resource type, e.g. gpu, memory, api:openai." }),
    amount: t.float({ required: true, description: `Units wanted, ${RESOURCE_LIMITS.minAmount} to ${RESOURCE_LIMITS.maxAmount}.` }),
    priority: t.field({ type: PriorityEnum, description: "Competes at this priority if it is higher than the task's (clients: defaults to NORMAL)." }),
    constraints: t.field({ type: "JSON", description: `${CONSTRAINTS} At most ${RESOURCE_LIMITS.maxConstraints} conditions.` }),
    durationMs: t.int({ description: `Released after this many ms even if the holder still runs, 1 to ${RESOURCE_LIMITS.maxDurationMs} (7 days); unset: held until the run (or a client's lease) ends.` }),
    releaseOnPause: t.boolean({ description: "Released as soon as the execution's pause is requested, while the run may still be finishing (for handlers that stop using it once ctx.paused is true); default false: held until the run ends." }),
  }),
});

export const ResourceRequirementType = builder.objectRef<ResourceRequirement>("ResourceRequirement").implement({
  description: "What a task needs before it runs; it gets all of its requirements at once, or waits.",
  fields: (t) => ({
    type: t.exposeString("type", { description: "Resource type." }),
    amount: t.exposeFloat("amount", { description: "Units wanted." }),
    priority: t.field({ type: PriorityEnum, nullable: true, description: "Competes at this priority if it is higher than the task's; null: the task's.", resolve: (r) => r.priority ?? null }),
    constraints: t.field({ type: "JSON", nullable: true, description: CONSTRAINTS, resolve: (r) => r.constraints ?? null }),
    durationMs: t.int({ nullable: true, description: "Released after this many ms even if the holder still runs; null: held until the run ends.", resolve: (r) => r.durationMs ?? null }),
    releaseOnPause: t.boolean({ description: "Released as soon as the execution's pause is requested, not when the run ends.", resolve: (r) => r.releaseOnPause ?? false }),
  }),
});

builder.prismaObjectFields("PlanTask", (t) => ({
  resources: t.field({ type: [ResourceRequirementType], select: { resources: true }, description: "What each attempt must hold before it runs; empty: nothing.", resolve: (task) => requirementsOf(task.resources) }),
}));

builder.prismaObjectFields("TaskRun", (t) => ({
  resources: t.field({ type: [ResourceRequirementType], select: { resources: true }, description: "What each attempt must hold before it runs; empty: nothing.", resolve: (run) => requirementsOf(run.resources) }),
  waitingFor: t.string({
    nullable: true,
    select: { waitingFor: true, status: true },
    description: "While READY (or RETRYING and due): why its resources are not available yet; null otherwise (once it starts or ends).",
    resolve: (run) => (run.status === "READY" || run.status === "RETRYING" ? run.waitingFor : null),
  }),
  allocations: t.relatedConnection("resourceAllocations", {
    cursor: "id",
    ...pageSize,
    description: "What its attempts held, oldest first.",
    query: { orderBy: [{ allocatedAt: "asc" }, { id: "asc" }] },
  }),
}));
