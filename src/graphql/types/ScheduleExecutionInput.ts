import { builder } from "../builder.ts";
import { PriorityEnum } from "./enums.ts";

export const ScheduleExecutionInput = builder.inputType("ScheduleExecutionInput", {
  description: "An execution to create.",
  fields: (t) => ({
    planId: t.id({ required: true, description: "The plan to run (global ID or bare UUID)." }),
    params: t.field({ type: "JSON", description: "Available to every handler as ctx.params; at most 65536 bytes of JSON." }),
    priority: t.field({ type: PriorityEnum, description: "Priority of its task runs (a task's own priority wins); default NORMAL." }),
    runAt: t.field({ type: "DateTime", description: "It stays SCHEDULED until this time; unset or past: due at once." }),
    dependsOn: t.idList({ description: "Executions that must COMPLETE first (at most 50); if one fails or is cancelled, this one fails." }),
    idempotencyKey: t.string({ description: "Scheduling again with the same key (per plan) returns the same execution; 1 to 200 characters." }),
    maxParallelism: t.int({ description: "Task runs of this execution running at once at most, 1 to 10000 (default: the plan's)." }),
    timeoutMs: t.int({ description: "The execution fails after running this many ms since its first task started, paused time excluded; 1 to 604800000 (7 days)." }),
  }),
});
