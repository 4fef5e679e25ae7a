import { builder } from "../builder.ts";
import { PriorityEnum } from "./enums.ts";

export const TaskInput = builder.inputType("TaskInput", {
  fields: (t) => ({
    key: t.string({ required: true, description: "Unique within the plan; letters, digits, _ . -" }),
    name: t.string({ description: "Display name; defaults to the key" }),
    handler: t.string({ required: true, description: "Handler name, e.g. noop, sleep, fail, http" }),
    input: t.field({ type: "JSON", description: "Handler input, validated against the handler's schema" }),
    dependsOn: t.stringList({ description: "Keys of tasks that must complete first" }),
    priority: t.field({ type: PriorityEnum, description: "Defaults to the execution's priority" }),
    timeoutMs: t.int({ description: "The run fails as TIMED_OUT after this many ms" }),
  }),
});
