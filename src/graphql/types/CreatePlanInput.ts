import { builder } from "../builder.ts";
import { RetryPolicyInput } from "./RetryPolicy.ts";
import { TaskInput } from "./TaskInput.ts";

export const CreatePlanInput = builder.inputType("CreatePlanInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    tasks: t.field({ type: [TaskInput], required: true }),
    maxConcurrentExecutions: t.int({ description: "Executions of this plan RUNNING at once; unset: no limit" }),
    maxParallelism: t.int({ description: "Default for its executions: task runs of one execution running at once" }),
    retryPolicy: t.field({ type: RetryPolicyInput, description: "Default retry policy of its tasks" }),
    checkpointIntervalMs: t.int({ description: "Take a PERIODIC checkpoint of each running execution every this many ms (1000 to 86400000); unset: none" }),
  }),
});
