import { builder } from "../builder.ts";
import { AlertOperatorEnum, PriorityEnum, TriggerKindEnum } from "./enums.ts";

export const CreateTriggerInput = builder.inputType("CreateTriggerInput", {
  description: "A trigger to create. The METRIC fields (metric, operator, threshold, durationMs, cooldownMs) are refused on a WEBHOOK trigger.",
  fields: (t) => ({
    planId: t.id({ required: true, description: "The plan it starts executions of (global ID or bare UUID)." }),
    kind: t.field({ type: TriggerKindEnum, required: true, description: "What starts its executions." }),
    name: t.string({ description: "Display name, 1 to 200 characters." }),
    metric: t.string({ description: "METRIC (required): the metric stream, e.g. EURUSD.price (letters, digits, _ . : -, at most 200 characters)." }),
    operator: t.field({ type: AlertOperatorEnum, description: "METRIC (required): how a sample is compared with threshold." }),
    threshold: t.float({ description: "METRIC (required): the value compared against, a finite number." }),
    durationMs: t.int({ description: "METRIC: the condition must hold this many ms (sample time) before it fires, 0 to 604800000; default 0." }),
    cooldownMs: t.int({ description: "METRIC: no firing within this many ms after the previous one, 0 to 604800000; default 0." }),
    params: t.field({ type: "JSON", description: "Params of the executions it starts, a JSON object of at most 65536 bytes (a METRIC firing adds metric, value, timestamp; a webhook's JSON body is merged over them)." }),
    priority: t.field({ type: PriorityEnum, description: "Priority of the executions it starts; default NORMAL." }),
  }),
});
