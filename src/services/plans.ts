import { validatePlanSpec, type PolicyPlanSpec } from "../domain/plan.ts";
import type { Services } from "./context.ts";
import { insertPlan } from "../store/plans.ts";

/** Validates the whole plan, then writes it in one transaction: nothing is written when it is invalid. */
export async function createPlan({ db, handlers }: Pick<Services, "db" | "handlers">, spec: PolicyPlanSpec) {
  const { retryPolicy, taskPolicies, taskResources } = validatePlanSpec(spec, handlers.names());
  spec.tasks.forEach((t, i) => handlers.parseInput(t.handler, t.input ?? null, `tasks[${i}].input`));
  const id = await db.sql.tx((c) =>
    insertPlan(c, {
      name: spec.name.trim(),
      description: spec.description ?? null,
      maxConcurrentExecutions: spec.maxConcurrentExecutions ?? null,
      maxParallelism: spec.maxParallelism ?? null,
      checkpointIntervalMs: spec.checkpointIntervalMs ?? null,
      retryPolicy,
      tasks: spec.tasks.map((t, i) => ({
        key: t.key,
        name: t.name?.trim() || t.key,
        handler: t.handler,
        input: t.input ?? null,
        dependsOn: [...(t.dependsOn ?? [])],
        priority: t.priority ?? null,
        timeoutMs: t.timeoutMs ?? null,
        retryPolicy: taskPolicies[i] ?? null,
        recovery: t.recovery?.length ? t.recovery : null,
        fallback: t.fallback ?? false,
        resources: taskResources[i] ?? [],
      })),
    }),
  );
  return db.prisma.plan.findUniqueOrThrow({ where: { id } });
}
