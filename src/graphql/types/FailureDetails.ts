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
  description: "Why an execution or a task run failed (or was cancelled).",
  fields: (t) => ({
    code: t.exposeString("code", { description: "Machine-readable cause that recovery rules match: a handler's own code, or HANDLER_ERROR, TIMEOUT, LEASE_EXPIRED, CANCELLED, EXECUTION_TIMEOUT or DEPENDENCY_FAILED." }),
    message: t.exposeString("message", { description: "What went wrong, in words." }),
    taskId: t.id({ nullable: true, description: "On Execution.error: global ID of the task run whose failure ended it; null when no task's failure did, and on TaskRun.error.", resolve: (f) => (f.taskRunId ? globalId("TaskRun", f.taskRunId) : null) }),
    taskKey: t.exposeString("taskKey", { nullable: true, description: "On Execution.error: key of that task; null otherwise." }),
    timestamp: t.field({ type: "DateTime", description: "When the failure was recorded.", resolve: (f) => f.timestamp }),
    recoverable: t.boolean({ description: "Whether trying again may help: the retry policy retries only recoverable failures.", resolve: (f) => f.recoverable ?? false }),
    context: t.field({ type: "JSON", nullable: true, description: "Details by code (e.g. the attempt, an HTTP status, the dependency); null when none.", resolve: (f) => f.context ?? null }),
  }),
});
