import { builder } from "../builder.ts";
import type { RecoveryRule } from "../../domain/recovery.ts";
import type { RetryPolicy } from "../../domain/retry.ts";
import { PriorityEnum } from "./enums.ts";
import { RecoveryRuleType } from "./RecoveryRule.ts";
import { RetryPolicyType } from "./RetryPolicy.ts";

export const PlanTaskType = builder.prismaObject("PlanTask", {
  description: "A task definition of a plan; each execution runs it as a TaskRun.",
  fields: (t) => ({
    key: t.exposeString("key", { description: "Unique within the plan; dependsOn, recovery rules and results name the task by it." }),
    name: t.exposeString("name", { description: "Display name (the key when none was given)." }),
    handler: t.exposeString("handler", { description: "Name of the handler that runs it." }),
    input: t.expose("input", { type: "JSON", nullable: true, description: "The handler's input (ctx.input), as validated by createPlan." }),
    dependsOn: t.exposeStringList("dependsOn", { description: "Keys of the tasks that must complete first." }),
    priority: t.expose("priority", { type: PriorityEnum, nullable: true, description: "Claim priority of its runs; null: the execution's priority." }),
    timeoutMs: t.exposeInt("timeoutMs", { nullable: true, description: "An attempt running longer than this many ms ends TIMED_OUT; null: no limit." }),
    retryPolicy: t.field({ type: RetryPolicyType, description: "Its effective retry policy (the plan's default merged in, field by field).", resolve: (task) => task.retryPolicy as unknown as RetryPolicy }),
    recovery: t.field({ type: [RecoveryRuleType], description: "What to do on failure, by error code; empty: the retry policy alone decides.", resolve: (task) => (task.recovery as RecoveryRule[] | null) ?? [] }),
    fallback: t.exposeBoolean("fallback", { description: "Runs only in place of a failed task, through a FALLBACK recovery rule." }),
  }),
});
