import { builder } from "../builder.ts";
import { ExecutionStatusEnum } from "./enums.ts";

export const ExecutionFilter = builder.inputType("ExecutionFilter", {
  fields: (t) => ({
    status: t.field({ type: [ExecutionStatusEnum], description: "Any of these statuses" }),
    planId: t.id(),
  }),
});
