import { builder } from "../builder.ts";
import { PriorityEnum } from "./enums.ts";

export const ScheduleExecutionInput = builder.inputType("ScheduleExecutionInput", {
  fields: (t) => ({
    planId: t.id({ required: true }),
    params: t.field({ type: "JSON", description: "Available to every handler as ctx.params" }),
    priority: t.field({ type: PriorityEnum, description: "Defaults to NORMAL" }),
    runAt: t.field({ type: "DateTime", description: "SCHEDULED until this time" }),
    dependsOn: t.idList({ description: "Executions that must COMPLETE first; if one fails or is cancelled, this one fails" }),
    idempotencyKey: t.string({ description: "Scheduling again with the same key (per plan) returns the same execution" }),
    maxParallelism: t.int({ description: "Task runs of this execution running at once (default: the plan's)" }),
    timeoutMs: t.int({ description: "The execution fails after running this long (paused time excluded)" }),
  }),
});
