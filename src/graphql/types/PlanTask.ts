import { builder } from "../builder.ts";
import type { RecoveryRule } from "../../domain/recovery.ts";
import type { RetryPolicy } from "../../domain/retry.ts";
import { PriorityEnum } from "./enums.ts";
import { RecoveryRuleType } from "./RecoveryRule.ts";
import { RetryPolicyType } from "./RetryPolicy.ts";

export const PlanTaskType = builder.prismaObject("PlanTask", {
  description: "A task definition; each execution runs it as a TaskRun",
  fields: (t) => ({
    key: t.exposeString("key"),
    name: t.exposeString("name"),
    handler: t.exposeString("handler"),
    input: t.expose("input", { type: "JSON", nullable: true }),
    dependsOn: t.exposeStringList("dependsOn"),
    priority: t.expose("priority", { type: PriorityEnum, nullable: true, description: "null: the execution's priority" }),
    timeoutMs: t.exposeInt("timeoutMs", { nullable: true }),
    retryPolicy: t.field({ type: RetryPolicyType, description: "Effective policy (plan default merged in)", resolve: (task) => task.retryPolicy as unknown as RetryPolicy }),
    recovery: t.field({ type: [RecoveryRuleType], resolve: (task) => (task.recovery as RecoveryRule[] | null) ?? [] }),
    fallback: t.exposeBoolean("fallback"),
  }),
});
