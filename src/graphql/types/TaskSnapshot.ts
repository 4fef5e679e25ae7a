import type { RunningTask } from "../../domain/progress.ts";
import { builder } from "../builder.ts";
import { globalId } from "../ids.ts";
import { TaskStatusEnum } from "./enums.ts";

// Read from the update's stored snapshot, never from the task run now: a replay shows what was live.
export const TaskSnapshotType = builder.objectRef<RunningTask>("TaskSnapshot").implement({
  description: "A running task as of one ExecutionUpdate (query node(id: taskRunId) for the task run as it is now).",
  fields: (t) => ({
    taskRunId: t.id({ description: "The task run's global ID.", resolve: (r) => globalId("TaskRun", r.id) }),
    key: t.exposeString("key", { description: "The task's key." }),
    status: t.field({ type: TaskStatusEnum, description: "Its status then (RUNNING).", resolve: (r) => r.status }),
    attempt: t.exposeInt("attempt", { description: "The attempt that was running." }),
    startedAt: t.field({ type: "DateTime", nullable: true, description: "When that attempt started.", resolve: (r) => (r.startedAt ? new Date(r.startedAt) : null) }),
    progress: t.exposeFloat("progress", { nullable: true, description: "Its last ctx.progress() as of the update, 0 to 1; null when it reported none." }),
  }),
});
