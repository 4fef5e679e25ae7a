import type { Metrics } from "../../domain/progress.ts";
import { builder } from "../builder.ts";

export const MetricsType = builder.objectRef<Metrics>("ExecutionMetrics").implement({
  fields: (t) => ({
    totalCost: t.exposeFloat("totalCost", { description: "Sum of the `cost` metrics tasks reported with ctx.metric(\"cost\", x)" }),
    resourceEfficiency: t.exposeFloat("resourceEfficiency", {
      nullable: true,
      description: "effectiveDuration / (totalDuration × the most task runs seen running at once), 0-1: how busy the parallelism used was",
    }),
    qualityScore: t.exposeFloat("qualityScore", { nullable: true, description: "Share of finished tasks that completed on their first attempt (no retry, skip or fallback), 0-1" }),
    totalDuration: t.exposeInt("totalDuration", { nullable: true, description: "ms from the first task start to the end (or now)" }),
    effectiveDuration: t.exposeInt("effectiveDuration", { description: "ms of task run time, summed over finished tasks" }),
    successRate: t.exposeFloat("successRate", { nullable: true, description: "Completed / (completed + failed + timed out) tasks, 0-1" }),
    errorRate: t.exposeFloat("errorRate", { nullable: true, description: "(Failed + timed out) / (completed + failed + timed out) tasks, 0-1" }),
    throughput: t.exposeFloat("throughput", { nullable: true, description: "finished tasks per second" }),
  }),
});
