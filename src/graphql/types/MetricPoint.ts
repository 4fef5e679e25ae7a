import { builder } from "../builder.ts";

export interface MetricPointShape {
  timestamp: Date;
  value: number;
  labels: unknown;
}

export const MetricPointType = builder.objectRef<MetricPointShape>("MetricPoint").implement({
  description: "One sample of a metric stream.",
  fields: (t) => ({
    timestamp: t.expose("timestamp", { type: "DateTime", description: "When it was measured." }),
    value: t.exposeFloat("value", { description: "The value." }),
    labels: t.expose("labels", { type: "JSON", nullable: true, description: "Its labels, e.g. { task } on the built-in per-task streams; null when none." }),
  }),
});
