import { builder } from "../builder.ts";
import { PriorityEnum } from "./enums.ts";
import { RecoveryRuleInput } from "./RecoveryRule.ts";
import { ResourceRequirementInput } from "./ResourceRequirement.ts";
import { RetryPolicyInput } from "./RetryPolicy.ts";

export const TaskInput = builder.inputType("TaskInput", {
  description: "One task of a plan to create.",
  fields: (t) => ({
    key: t.string({ required: true, description: "Unique within the plan: 1 to 64 letters, digits, _ . or -, not starting with . or -." }),
    name: t.string({ description: "Display name, at most 200 characters; defaults to the key." }),
    handler: t.string({ required: true, description: "Handler name: a built-in (noop, sleep, fail, http, flaky) or one from HANDLER_MODULES." }),
    input: t.field({ type: "JSON", description: "Handler input (ctx.input), validated against the handler's schema; at most 65536 bytes of JSON." }),
    dependsOn: t.stringList({ description: "Keys of other tasks of the plan that must complete first: at most 256, no repeats (the run receives all their outputs)." }),
    priority: t.field({ type: PriorityEnum, description: "Claim priority of its runs; defaults to the execution's priority." }),
    timeoutMs: t.int({ description: "An attempt ends TIMED_OUT after this many ms (1 to 86400000); unset: no limit." }),
    retryPolicy: t.field({ type: RetryPolicyInput, description: "Overrides the plan's retryPolicy field by field." }),
    recovery: t.field({ type: [RecoveryRuleInput], description: "Rules by error code (at most 20); without a match the retry policy applies." }),
    resources: t.field({ type: [ResourceRequirementInput], description: "At most 16 requirements, acquired all at once, by priority, before each attempt runs; it waits READY (see TaskRun.waitingFor) until they are free." }),
    fallback: t.boolean({ description: "Runs only as another task's FALLBACK (never on its own); it has no dependsOn, and no task may depend on it. Default false." }),
  }),
});
