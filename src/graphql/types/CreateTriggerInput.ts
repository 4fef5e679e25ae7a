import { builder } from "../builder.ts";
import { AlertOperatorEnum, PriorityEnum, TriggerKindEnum } from "./enums.ts";

export const CreateTriggerInput = builder.inputType("CreateTriggerInput", {
  fields: (t) => ({
    planId: t.id({ required: true, description: "The plan it starts executions of" }),
    kind: t.field({ type: TriggerKindEnum, required: true }),
    name: t.string(),
    metric: t.string({ description: "METRIC (required): the metric stream, e.g. EURUSD.price" }),
    operator: t.field({ type: AlertOperatorEnum, description: "METRIC (required)" }),
    threshold: t.float({ description: "METRIC (required)" }),
    durationMs: t.int({ description: "METRIC: the condition must hold this long (sample time) before it fires; default 0" }),
    cooldownMs: t.int({ description: "METRIC: no firing within this long after the previous one; default 0" }),
    params: t.field({ type: "JSON", description: "Params of the executions it starts (a METRIC firing adds metric, value, timestamp; a webhook's JSON body is merged over them)" }),
    priority: t.field({ type: PriorityEnum, description: "Of the executions it starts; default NORMAL" }),
  }),
});
