import { builder } from "../builder.ts";
import { PriorityEnum } from "./enums.ts";
import { RecoveryRuleInput } from "./RecoveryRule.ts";
import { ResourceRequirementInput } from "./ResourceRequirement.ts";
import { RetryPolicyInput } from "./RetryPolicy.ts";

export const TaskInput = builder.inputType("TaskInput", {
  fields: (t) => ({
    key: t.string({ required: true, description: "Unique within the plan; letters, digits, _ . -" }),
    name: t.string({ description: "Display name; defaults to the key" }),
    handler: t.string({ required: true, description: "Handler name: a built-in (noop, sleep, fail, http, flaky) or one from HANDLER_MODULES" }),
    input: t.field({ type: "JSON", description: "Handler input, validated against the handler's schema" }),
    dependsOn: t.stringList({ description: "Keys of tasks that must complete first" }),
    priority: t.field({ type: PriorityEnum, description: "Defaults to the execution's priority" }),
    timeoutMs: t.int({ description: "The run fails as TIMED_OUT after this many ms" }),
    retryPolicy: t.field({ type: RetryPolicyInput, description: "Overrides the plan's retryPolicy field by field" }),
    recovery: t.field({ type: [RecoveryRuleInput], description: "Rules by error code; without a match the retry policy applies" }),
    resources: t.field({ type: [ResourceRequirementInput], description: "Acquired all at once, by priority, before the task runs; it waits READY (see TaskRun.waitingFor) until they are free" }),
    fallback: t.boolean({ description: "Runs only as another task's FALLBACK (never on its own); no dependsOn" }),
  }),
});
