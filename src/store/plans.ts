import type { SqlClient } from "../infra/sql.ts";
import type { Priority } from "../domain/status.ts";

// Writing a plan. A plan holds up to 10,000 tasks (domain/dag.ts PLAN_LIMITS): its tasks go in one
// INSERT from a JSON recordset, where an INSERT per task (Prisma's nested create) took seconds.

export interface NewPlan {
  name: string;
  description: string | null;
  maxConcurrentExecutions: number | null;
  maxParallelism: number | null;
  checkpointIntervalMs: number | null;
  retryPolicy: unknown;
  tasks: {
    key: string;
    name: string;
    handler: string;
    input: unknown;
    dependsOn: string[];
    priority: Priority | null;
    timeoutMs: number | null;
    retryPolicy: unknown;
    recovery: unknown;
    fallback: boolean;
    resources: unknown;
  }[];
}

/** A JSON null in a recordset reads as SQL NULL: stored as JSON null, as an absent value always was. */
const JSON_NULL = (column: string) => `coalesce(t."${column}", 'null'::jsonb)`;

/** Inserts a validated plan and its tasks (positions in the given order); returns the plan's id. */
export async function insertPlan(c: SqlClient, plan: NewPlan): Promise<string> {
  const [row] = await c.query<{ id: string }>(
    `INSERT INTO "Plan" (id, name, description, "maxConcurrentExecutions", "maxParallelism", "checkpointIntervalMs", "retryPolicy")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6::jsonb) RETURNING id`,
    [plan.name, plan.description, plan.maxConcurrentExecutions, plan.maxParallelism, plan.checkpointIntervalMs, JSON.stringify(plan.retryPolicy ?? null)],
  );
  await c.query(
    `INSERT INTO "PlanTask" (id, "planId", position, key, name, handler, input, "dependsOn", priority, "timeoutMs", "retryPolicy", recovery, fallback, resources)
     SELECT gen_random_uuid(), $1, t.position, t.key, t.name, t.handler, ${JSON_NULL("input")}, t."dependsOn", t.priority::"Priority", t."timeoutMs",
            ${JSON_NULL("retryPolicy")}, ${JSON_NULL("recovery")}, t.fallback, t.resources
       FROM jsonb_to_recordset($2::jsonb) AS t(position int, key text, name text, handler text, input jsonb, "dependsOn" text[], priority text, "timeoutMs" int,
            "retryPolicy" jsonb, recovery jsonb, fallback boolean, resources jsonb)`,
    [row!.id, JSON.stringify(plan.tasks.map((t, position) => ({ position, ...t })))],
  );
  return row!.id;
}
