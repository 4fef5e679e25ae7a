import { jsonBytes } from "../domain/dag.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import { initialStats } from "../domain/progress.ts";
import type { Priority } from "../domain/status.ts";
import { TASK_READY_CHANNEL, type Services } from "./context.ts";
import { appendEvents, lockExecution, publishUpdates } from "./outbox.ts";

export const MAX_PARAMS_BYTES = 64 * 1024;

export interface ScheduleInput {
  planId: string;
  params?: unknown;
  priority?: Priority | null;
}

/**
 * Creates an execution and its task runs, marks the roots READY and records EXECUTION_SCHEDULED, all
 * in one transaction; then wakes the workers and publishes the first update.
 */
export async function scheduleExecution({ db, bus, log, clock }: Services, input: ScheduleInput): Promise<string> {
  if (jsonBytes(input.params) > MAX_PARAMS_BYTES) throw new ValidationError("params", `must be at most ${MAX_PARAMS_BYTES} bytes of JSON`);
  const plan = await db.prisma.plan.findUnique({ where: { id: input.planId }, include: { tasks: { orderBy: { position: "asc" } } } });
  if (!plan) throw new NotFoundError("Plan", input.planId);
  const priority = input.priority ?? "NORMAL";
  const now = clock();
  const runs = plan.tasks.map((t) => ({
    position: t.position,
    key: t.key,
    name: t.name,
    handler: t.handler,
    input: t.input,
    dependsOn: t.dependsOn,
    priority: t.priority ?? priority,
    timeoutMs: t.timeoutMs,
    status: t.dependsOn.length === 0 ? "READY" : "WAITING",
    readyAt: t.dependsOn.length === 0 ? now.toISOString() : null,
  }));
  const { id, updates } = await db.sql.tx(async (c) => {
    const [row] = await c.query<{ id: string }>(
      `INSERT INTO "Execution" (id, "planId", status, priority, params, "createdAt", stats)
       VALUES (gen_random_uuid(), $1, 'PENDING', $2::"Priority", $3::jsonb, $4, $5::jsonb) RETURNING id`,
      [plan.id, priority, JSON.stringify(input.params ?? {}), now, JSON.stringify(initialStats(runs.length))],
    );
    await c.query(
      `INSERT INTO "TaskRun" (id, "executionId", position, key, name, handler, input, "dependsOn", priority, "timeoutMs", status, "readyAt")
       SELECT gen_random_uuid(), $1, r.position, r.key, r.name, r.handler, coalesce(r.input, 'null'::jsonb), r."dependsOn", r.priority::"Priority",
              r."timeoutMs", r.status::"TaskStatus", r."readyAt"
         FROM jsonb_to_recordset($2::jsonb) AS r(position int, key text, name text, handler text, input jsonb,
              "dependsOn" text[], priority text, "timeoutMs" int, status text, "readyAt" timestamptz)`,
      [row!.id, JSON.stringify(runs)],
    );
    const exec = (await lockExecution(c, row!.id))!;
    const updates = await appendEvents(c, exec, [
      { type: "EXECUTION_SCHEDULED", message: `execution of plan "${plan.name}" scheduled with ${runs.length} tasks`, data: { priority } },
    ], now);
    await c.query(`SELECT pg_notify($1, $2)`, [TASK_READY_CHANNEL, row!.id]);
    return { id: row!.id, updates };
  });
  await publishUpdates(bus, updates, log);
  return id;
}
