import { builder } from "../builder.ts";
import { globalId } from "../ids.ts";

/** What the engine stores in Execution.error and TaskRun.error. */
export interface StoredFailure {
  code: string;
  message: string;
  recoverable?: boolean;
  timestamp: string;
  taskRunId?: string;
  taskKey?: string;
  context?: unknown;
}

export const FailureDetailsType = builder.objectRef<StoredFailure>("FailureDetails").implement({
  description: "Why an execution or a task run failed",
  fields: (t) => ({
    code: t.exposeString("code"),
    message: t.exposeString("message"),
    taskId: t.id({ nullable: true, description: "The failing TaskRun", resolve: (f) => (f.taskRunId ? globalId("TaskRun", f.taskRunId) : null) }),
    taskKey: t.exposeString("taskKey", { nullable: true }),
    timestamp: t.field({ type: "DateTime", resolve: (f) => f.timestamp }),
    recoverable: t.boolean({ resolve: (f) => f.recoverable ?? false }),
    context: t.field({ type: "JSON", nullable: true, resolve: (f) => f.context ?? null }),
  }),
});
