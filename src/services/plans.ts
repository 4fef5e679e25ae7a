import { Prisma } from "../../generated/prisma/client.ts";
import { validatePlanSpec, type PolicyPlanSpec } from "../domain/plan.ts";
import type { Services } from "./context.ts";

const json = (v: unknown) => (v == null ? Prisma.JsonNull : (v as Prisma.InputJsonValue));

/** Validates the whole plan, then writes it in one statement: nothing is written when it is invalid. */
export async function createPlan({ db, handlers }: Pick<Services, "db" | "handlers">, spec: PolicyPlanSpec) {
  const { retryPolicy, taskPolicies, taskResources } = validatePlanSpec(spec, handlers.names());
  spec.tasks.forEach((t, i) => handlers.parseInput(t.handler, t.input ?? null, `tasks[${i}].input`));
  return db.prisma.plan.create({
    data: {
      name: spec.name.trim(),
      description: spec.description ?? null,
      maxConcurrentExecutions: spec.maxConcurrentExecutions ?? null,
      maxParallelism: spec.maxParallelism ?? null,
      checkpointIntervalMs: spec.checkpointIntervalMs ?? null,
      retryPolicy: json(retryPolicy),
      tasks: {
        create: spec.tasks.map((t, i) => ({
          position: i,
          key: t.key,
          name: t.name?.trim() || t.key,
          handler: t.handler,
          input: json(t.input),
          dependsOn: [...(t.dependsOn ?? [])],
          priority: t.priority ?? null,
          timeoutMs: t.timeoutMs ?? null,
          retryPolicy: json(taskPolicies[i]),
          recovery: json(t.recovery?.length ? t.recovery : null),
          fallback: t.fallback ?? false,
          resources: taskResources[i] as unknown as Prisma.InputJsonValue,
        })),
      },
    },
  });
}
