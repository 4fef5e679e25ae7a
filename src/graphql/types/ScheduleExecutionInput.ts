import { builder } from "../builder.ts";
import { PriorityEnum } from "./enums.ts";

export const ScheduleExecutionInput = builder.inputType("ScheduleExecutionInput", {
  fields: (t) => ({
    planId: t.id({ required: true }),
    params: t.field({ type: "JSON", description: "Available to every handler as ctx.params" }),
    priority: t.field({ type: PriorityEnum, description: "Defaults to NORMAL" }),
  }),
});
