import { builder } from "../builder.ts";
import { PriorityEnum, TaskStatusEnum } from "./enums.ts";
import { FailureDetailsType, type StoredFailure } from "./FailureDetails.ts";

export const TaskRunType = builder.prismaNode("TaskRun", {
  id: { field: "id" },
  description: "One task of one execution",
  fields: (t) => ({
    key: t.exposeString("key"),
    name: t.exposeString("name"),
    handler: t.exposeString("handler"),
    input: t.expose("input", { type: "JSON", nullable: true }),
    dependsOn: t.exposeStringList("dependsOn"),
    priority: t.expose("priority", { type: PriorityEnum }),
    timeoutMs: t.exposeInt("timeoutMs", { nullable: true }),
    status: t.expose("status", { type: TaskStatusEnum }),
    attempt: t.exposeInt("attempt", { description: "Attempts started so far" }),
    readyAt: t.expose("readyAt", { type: "DateTime", nullable: true }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
    output: t.expose("output", { type: "JSON", nullable: true }),
    error: t.field({ type: FailureDetailsType, nullable: true, resolve: (r) => (r.error as StoredFailure | null) ?? null }),
  }),
});
