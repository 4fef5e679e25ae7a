import { CycleError, DuplicateTaskKeyError, UnknownDependencyError, UnknownHandlerError, ValidationError } from "../../domain/errors.ts";
import { createPlan } from "../../services/plans.ts";
import { builder, pageSize } from "../builder.ts";
import { parseId } from "../ids.ts";
import { CreatePlanInput } from "./CreatePlanInput.ts";
import "./PlanTask.ts";
import type { RetryPolicy } from "../../domain/retry.ts";
import { RetryPolicyType } from "./RetryPolicy.ts";

export const PlanType = builder.prismaNode("Plan", {
  id: { field: "id" },
  description: "A DAG of tasks that can be executed any number of times; it does not change once created.",
  fields: (t) => ({
    name: t.exposeString("name", { description: "Display name (1 to 200 characters)." }),
    description: t.exposeString("description", { nullable: true, description: "Free text (at most 2000 characters); null when none was given." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When createPlan stored it." }),
    maxConcurrentExecutions: t.exposeInt("maxConcurrentExecutions", { nullable: true, description: "Executions of this plan RUNNING at once at most (others wait PENDING); null: no limit." }),
    maxParallelism: t.exposeInt("maxParallelism", { nullable: true, description: "Default of its executions' maxParallelism: task runs of one execution running at once at most; null: no limit." }),
    checkpointIntervalMs: t.exposeInt("checkpointIntervalMs", { nullable: true, description: "A PERIODIC checkpoint of each running execution every this many ms; null: none." }),
    retryPolicy: t.field({ type: RetryPolicyType, description: "Default retry policy of its tasks, with the engine's defaults filled in.", resolve: (p) => p.retryPolicy as unknown as RetryPolicy }),
    tasks: t.relation("tasks", { description: "Its tasks, in the order createPlan listed them.", query: { orderBy: { position: "asc" } } }),
    executions: t.relatedConnection("executions", {
      cursor: "id",
      ...pageSize,
      description: "Its executions, newest first.",
      query: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] },
    }),
  }),
});

builder.queryFields((t) => ({
  plans: t.prismaConnection({
    type: "Plan",
    cursor: "id",
    ...pageSize,
    description: "Plans, newest first.",
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.plan.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
  plan: t.prismaField({
    type: "Plan",
    nullable: true,
    description: "A plan by ID; null when there is none.",
    args: { id: t.arg.id({ required: true, description: "The plan's global ID (or bare UUID)." }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.plan.findUnique({ ...query, where: { id: parseId("id", args.id, "Plan") } }),
  }),
}));

builder.mutationFields((t) => ({
  createPlan: t.field({
    type: PlanType,
    authScopes: { admin: true },
    description: "Validates the whole plan (keys, handlers and their inputs, dependencies, cycles, sizes) and stores it; nothing is written when any of it is refused. Needs role ADMIN.",
    errors: { types: [CycleError, DuplicateTaskKeyError, UnknownDependencyError, UnknownHandlerError, ValidationError] },
    args: { input: t.arg({ type: CreatePlanInput, required: true, description: "The plan: its tasks and execution policies." }) },
    resolve: (_root, { input }, ctx) =>
      createPlan(ctx, {
        ...input,
        tasks: input.tasks.map((task) => ({ ...task, dependsOn: task.dependsOn ?? [] })),
      }),
  }),
}));
