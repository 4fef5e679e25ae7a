import { builder } from "../builder.ts";

export const MetricSampleInput = builder.inputType("MetricSampleInput", {
  fields: (t) => ({
    metric: t.string({ required: true, description: "Letters, digits, _ . : - (e.g. EURUSD.price)" }),
    value: t.float({ required: true }),
    timestamp: t.field({ type: "DateTime", description: "Default: now; at most 30 days old and 5 minutes ahead" }),
    labels: t.field({ type: "JSON", description: "An object of string values (stored; triggers match by metric name only)" }),
  }),
});
