import { Prisma } from "../../generated/prisma/client.ts";
import { validatePlan, type PlanSpec } from "../domain/dag.ts";
import type { Services } from "./context.ts";

/** Validates the whole plan, then writes it in one statement: nothing is written when it is invalid. */
export async function createPlan({ db, handlers }: Pick<Services, "db" | "handlers">, spec: PlanSpec) {
  validatePlan(spec, handlers.names());
  spec.tasks.forEach((t, i) => handlers.parseInput(t.handler, t.input ?? null, `tasks[${i}].input`));
  return db.prisma.plan.create({
    data: {
      name: spec.name.trim(),
      description: spec.description ?? null,
      tasks: {
        create: spec.tasks.map((t, i) => ({
          position: i,
          key: t.key,
          name: t.name?.trim() || t.key,
          handler: t.handler,
          input: t.input == null ? Prisma.JsonNull : (t.input as Prisma.InputJsonValue),
          dependsOn: [...(t.dependsOn ?? [])],
          priority: t.priority ?? null,
          timeoutMs: t.timeoutMs ?? null,
        })),
      },
    },
  });
}
