import type { Metrics } from "../../domain/progress.ts";
import { builder } from "../builder.ts";

export const MetricsType = builder.objectRef<Metrics>("ExecutionMetrics").implement({
  description: "Measures of an execution, from its task counters and resource use (as of the snapshot it is read from).",
  fields: (t) => ({
    totalCost: t.exposeFloat("totalCost", { description: "Cost of the resources its tasks held (amount × costPerUnitSecond × seconds) plus the `cost` metrics they reported with ctx.metric(\"cost\", x)." }),
    resourceEfficiency: t.exposeFloat("resourceEfficiency", {
      nullable: true,
      description: "Resource units used ÷ units held, weighted by time held, 0 to 1; null when no task held a resource.",
    }),
    qualityScore: t.exposeFloat("qualityScore", { nullable: true, description: "Share of finished tasks that completed on their first attempt (no retry, skip or fallback), 0 to 1; null before any finished." }),
    totalDuration: t.exposeInt("totalDuration", { nullable: true, description: "Milliseconds from the first task start to the end (or to now while it runs); null before a task started." }),
    effectiveDuration: t.exposeInt("effectiveDuration", { description: "Milliseconds of task run time, summed over finished tasks." }),
    successRate: t.exposeFloat("successRate", { nullable: true, description: "Share of finished tasks that completed: completed / (completed + failed + timed out), 0 to 1; null before any of those." }),
    errorRate: t.exposeFloat("errorRate", { nullable: true, description: "Share of finished tasks that failed: (failed + timed out) / (completed + failed + timed out), 0 to 1; null before any of those." }),
    throughput: t.exposeFloat("throughput", { nullable: true, description: "Finished tasks (in any end state) per second of totalDuration; null before it can be measured." }),
  }),
});
