import type { Metrics } from "../../domain/progress.ts";
import { builder } from "../builder.ts";

export const MetricsType = builder.objectRef<Metrics>("ExecutionMetrics").implement({
  fields: (t) => ({
    totalDuration: t.exposeInt("totalDuration", { nullable: true, description: "ms from the first task start to the end (or now)" }),
    effectiveDuration: t.exposeInt("effectiveDuration", { description: "ms of task run time, summed over finished tasks" }),
    successRate: t.exposeFloat("successRate", { nullable: true, description: "0-1 over finished tasks" }),
    errorRate: t.exposeFloat("errorRate", { nullable: true, description: "0-1 over finished tasks" }),
    throughput: t.exposeFloat("throughput", { nullable: true, description: "finished tasks per second" }),
  }),
});
