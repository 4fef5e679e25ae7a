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
  description: "A DAG of tasks that can be executed any number of times",
  fields: (t) => ({
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    maxConcurrentExecutions: t.exposeInt("maxConcurrentExecutions", { nullable: true }),
    maxParallelism: t.exposeInt("maxParallelism", { nullable: true }),
    checkpointIntervalMs: t.exposeInt("checkpointIntervalMs", { nullable: true, description: "A PERIODIC checkpoint of each running execution every this many ms" }),
    retryPolicy: t.field({ type: RetryPolicyType, resolve: (p) => p.retryPolicy as unknown as RetryPolicy }),
    tasks: t.relation("tasks", { query: { orderBy: { position: "asc" } } }),
    executions: t.relatedConnection("executions", {
      cursor: "id",
      ...pageSize,
      query: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] },
    }),
  }),
});

builder.queryFields((t) => ({
  plans: t.prismaConnection({
    type: "Plan",
    cursor: "id",
    ...pageSize,
    description: "Plans, newest first",
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.plan.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
  plan: t.prismaField({
    type: "Plan",
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.plan.findUnique({ ...query, where: { id: parseId("id", args.id, "Plan") } }),
  }),
}));

builder.mutationFields((t) => ({
  createPlan: t.field({
    type: PlanType,
    authScopes: { admin: true },
    description: "Validates the whole plan (keys, handlers and their inputs, dependencies, cycles, sizes) and stores it",
    errors: { types: [CycleError, DuplicateTaskKeyError, UnknownDependencyError, UnknownHandlerError, ValidationError] },
    args: { input: t.arg({ type: CreatePlanInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createPlan(ctx, {
        ...input,
        tasks: input.tasks.map((task) => ({ ...task, dependsOn: task.dependsOn ?? [] })),
      }),
  }),
}));
