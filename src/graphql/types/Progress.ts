import type { Progress } from "../../domain/progress.ts";
import { builder } from "../builder.ts";

export const ProgressType = builder.objectRef<Progress>("Progress").implement({
  fields: (t) => ({
    percentage: t.exposeFloat("percentage", { description: "Finished tasks (in any end state) out of all, 0-100" }),
    completedTasks: t.exposeInt("completedTasks"),
    totalTasks: t.exposeInt("totalTasks"),
    estimatedTimeRemaining: t.exposeInt("estimatedTimeRemaining", {
      nullable: true,
      description: "ms, extrapolated from the pace so far; null until a task has finished",
    }),
    currentPhase: t.exposeString("currentPhase"),
  }),
});
