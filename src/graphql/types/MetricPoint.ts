import { builder } from "../builder.ts";

export interface MetricPointShape {
  timestamp: Date;
  value: number;
  labels: unknown;
}

export const MetricPointType = builder.objectRef<MetricPointShape>("MetricPoint").implement({
  description: "One sample of a metric stream",
  fields: (t) => ({
    timestamp: t.expose("timestamp", { type: "DateTime" }),
    value: t.exposeFloat("value"),
    labels: t.expose("labels", { type: "JSON", nullable: true }),
  }),
});
