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
  description: "One task of one execution: the row workers claim, with its attempts.",
  fields: (t) => ({
    key: t.exposeString("key", { description: "The task's key in its plan." }),
    name: t.exposeString("name", { description: "Display name (the key when none was given)." }),
    handler: t.exposeString("handler", { description: "Name of the handler that runs it." }),
    input: t.expose("input", { type: "JSON", nullable: true, description: "The handler's input (ctx.input)." }),
    dependsOn: t.exposeStringList("dependsOn", { description: "Keys of the tasks that must complete first." }),
    priority: t.expose("priority", { type: PriorityEnum, description: "Its claim priority (the task's own, else the execution's)." }),
    timeoutMs: t.exposeInt("timeoutMs", { nullable: true, description: "An attempt running longer than this many ms ends TIMED_OUT; null: no limit." }),
    status: t.expose("status", { type: TaskStatusEnum, description: "Where it is." }),
    attempt: t.exposeInt("attempt", { description: "Attempts started so far (the running one included)." }),
    readyAt: t.expose("readyAt", { type: "DateTime", nullable: true, description: "When it last became ready to run (its wait for a worker counts from here); null before it first did." }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true, description: "When its current or last attempt started; null when none has." }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true, description: "When its last attempt ended; null while none has." }),
    output: t.expose("output", { type: "JSON", nullable: true, description: "What the handler returned, once COMPLETED; null before." }),
    error: t.field({ type: FailureDetailsType, nullable: true, description: "Why its last attempt failed; null when none did.", resolve: (r) => (r.error as StoredFailure | null) ?? null }),
    nextAttemptAt: t.expose("nextAttemptAt", { type: "DateTime", nullable: true, description: "RETRYING: when the next attempt may start (null while the execution is paused)." }),
    progress: t.exposeFloat("progress", { nullable: true, description: "The running attempt's last ctx.progress(fraction), 0 to 1; null when it reported none." }),
    phase: t.exposeString("phase", { nullable: true, description: "The phase named in the running attempt's last ctx.progress(fraction, phase); null when none." }),
    metrics: t.expose("metrics", { type: "JSON", nullable: true, description: "The last value of each ctx.metric(name, value) it reported, by name." }),
    state: t.expose("state", { type: "JSON", nullable: true, description: "Its last ctx.checkpoint(state): a later attempt receives it as ctx.state." }),
    retryPolicy: t.field({ type: RetryPolicyType, description: "Its effective retry policy.", resolve: (r) => r.retryPolicy as unknown as RetryPolicy }),
    recovery: t.field({ type: [RecoveryRuleType], description: "What to do on failure, by error code.", resolve: (r) => (r.recovery as RecoveryRule[] | null) ?? [] }),
    fallback: t.exposeBoolean("fallback", { description: "Runs only in place of a failed task, through a FALLBACK recovery rule." }),
    replacedBy: t.exposeString("replacedBy", { nullable: true, description: "Key of the fallback task that runs in place of this failed one; null when none." }),
    attempts: t.relation("attempts", { description: "Every finished attempt, oldest first.", query: { orderBy: { attempt: "asc" } } }),
  }),
});
