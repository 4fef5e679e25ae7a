import { builder } from "../builder.ts";
import { TaskStatusEnum } from "./enums.ts";
import { FailureDetailsType, type StoredFailure } from "./FailureDetails.ts";

export const TaskAttemptType = builder.prismaObject("TaskAttempt", {
  description: "One finished attempt of a task run (every attempt is kept).",
  fields: (t) => ({
    attempt: t.exposeInt("attempt", { description: "Its number: 1 for the first attempt." }),
    status: t.expose("status", { type: TaskStatusEnum, description: "How it ended: COMPLETED, FAILED, TIMED_OUT or CANCELLED." }),
    worker: t.exposeString("worker", { nullable: true, description: "Id of the worker that ran it (Worker.id); null when unknown." }),
    startedAt: t.expose("startedAt", { type: "DateTime", description: "When it started." }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", description: "When it ended." }),
    durationMs: t.int({ description: "How long it ran, in ms (finishedAt − startedAt).", resolve: (a) => a.finishedAt.getTime() - a.startedAt.getTime() }),
    error: t.field({ type: FailureDetailsType, nullable: true, description: "Why it failed; null when it completed.", resolve: (a) => (a.error as StoredFailure | null) ?? null }),
  }),
});
