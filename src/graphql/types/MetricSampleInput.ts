import { builder } from "../builder.ts";

export const MetricSampleInput = builder.inputType("MetricSampleInput", {
  description: "One sample of a metric stream.",
  fields: (t) => ({
    metric: t.string({ required: true, description: "The metric name: letters, digits, _ . : -, starting with a letter or _, at most 200 characters (e.g. EURUSD.price)." }),
    value: t.float({ required: true, description: "The value, a finite number." }),
    timestamp: t.field({ type: "DateTime", description: "When it was measured; default now. At most 30 days old and 5 minutes ahead." }),
    labels: t.field({ type: "JSON", description: "At most 20 labels, an object of strings of at most 200 characters (stored; alert rules may match on them, triggers match by metric name only)." }),
  }),
});
