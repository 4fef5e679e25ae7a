import { builder } from "../builder.ts";
import { RetryPolicyInput } from "./RetryPolicy.ts";
import { TaskInput } from "./TaskInput.ts";

export const CreatePlanInput = builder.inputType("CreatePlanInput", {
  description: "A plan to create: its tasks and the policies of its executions.",
  fields: (t) => ({
    name: t.string({ required: true, description: "Display name, 1 to 200 characters (trimmed)." }),
    description: t.string({ description: "Free text, at most 2000 characters." }),
    tasks: t.field({ type: [TaskInput], required: true, description: "1 to 10,000 tasks: unique keys, known handlers, no dependency cycle." }),
    maxConcurrentExecutions: t.int({ description: "Executions of this plan RUNNING at once at most (1 to 10000); unset: no limit." }),
    maxParallelism: t.int({ description: "Default for its executions: task runs of one execution running at once at most (1 to 10000); unset: no limit." }),
    retryPolicy: t.field({ type: RetryPolicyInput, description: "Default retry policy of its tasks; unset fields take the engine's defaults." }),
    checkpointIntervalMs: t.int({ description: "Take a PERIODIC checkpoint of each running execution every this many ms (1000 to 86400000); unset: none." }),
  }),
});
