import { builder } from "../builder.ts";
import { PriorityEnum, TaskStatusEnum } from "./enums.ts";
import { FailureDetailsType, type StoredFailure } from "./FailureDetails.ts";
import type { RecoveryRule } from "../../domain/recovery.ts";
import type { RetryPolicy } from "../../domain/retry.ts";
import { RecoveryRuleType } from "./RecoveryRule.ts";
import { RetryPolicyType } from "./RetryPolicy.ts";
import "./TaskAttempt.ts";

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
    nextAttemptAt: t.expose("nextAttemptAt", { type: "DateTime", nullable: true, description: "RETRYING: when the next attempt may start (null while the execution is paused)" }),
    progress: t.exposeFloat("progress", { nullable: true, description: "Last ctx.progress() of the running attempt, 0-1" }),
    phase: t.exposeString("phase", { nullable: true }),
    metrics: t.expose("metrics", { type: "JSON", nullable: true, description: "Last value of each ctx.metric(name, value)" }),
    state: t.expose("state", { type: "JSON", nullable: true, description: "Last ctx.checkpoint(state): a later attempt receives it as ctx.state" }),
    retryPolicy: t.field({ type: RetryPolicyType, resolve: (r) => r.retryPolicy as unknown as RetryPolicy }),
    recovery: t.field({ type: [RecoveryRuleType], resolve: (r) => (r.recovery as RecoveryRule[] | null) ?? [] }),
    fallback: t.exposeBoolean("fallback"),
    replacedBy: t.exposeString("replacedBy", { nullable: true, description: "Key of the fallback task that ran in place of this failed one" }),
    attempts: t.relation("attempts", { description: "Every finished attempt, oldest first", query: { orderBy: { attempt: "asc" } } }),
  }),
});
