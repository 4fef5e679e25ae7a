import type { Progress } from "../../domain/progress.ts";
import { builder } from "../builder.ts";

export const ProgressType = builder.objectRef<Progress>("Progress").implement({
  description: "How far an execution is, from its task counters (as of the snapshot it is read from).",
  fields: (t) => ({
    percentage: t.exposeFloat("percentage", { description: "Finished tasks (in any end state) plus the running ones' reported ctx.progress fractions, out of all tasks, 0 to 100 (one decimal)." }),
    completedTasks: t.exposeInt("completedTasks", { description: "Tasks COMPLETED." }),
    totalTasks: t.exposeInt("totalTasks", { description: "Tasks of the execution (a fallback task counts once it is invoked)." }),
    estimatedTimeRemaining: t.exposeInt("estimatedTimeRemaining", {
      nullable: true,
      description: "Estimated ms left: the longest chain of unfinished tasks, each as long as the completed ones took on average; 0 once the execution ended, null until a task completed.",
    }),
    currentPhase: t.exposeString("currentPhase", { description: "In words, e.g. \"running 2 of 5 remaining tasks\", \"queued, waiting for a worker\", or the status in lower case once it is not PENDING or RUNNING." }),
  }),
});
