import { builder } from "../builder.ts";
import { TaskStatusEnum } from "./enums.ts";
import { FailureDetailsType, type StoredFailure } from "./FailureDetails.ts";

export const TaskAttemptType = builder.prismaObject("TaskAttempt", {
  description: "One finished attempt of a task run",
  fields: (t) => ({
    attempt: t.exposeInt("attempt"),
    status: t.expose("status", { type: TaskStatusEnum }),
    worker: t.exposeString("worker", { nullable: true }),
    startedAt: t.expose("startedAt", { type: "DateTime" }),
    finishedAt: t.expose("finishedAt", { type: "DateTime" }),
    durationMs: t.int({ resolve: (a) => a.finishedAt.getTime() - a.startedAt.getTime() }),
    error: t.field({ type: FailureDetailsType, nullable: true, resolve: (a) => (a.error as StoredFailure | null) ?? null }),
  }),
});
