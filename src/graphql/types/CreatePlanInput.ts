import { builder } from "../builder.ts";
import { TaskInput } from "./TaskInput.ts";

export const CreatePlanInput = builder.inputType("CreatePlanInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    tasks: t.field({ type: [TaskInput], required: true }),
  }),
});
