import { builder } from "../builder.ts";
import { PriorityEnum } from "./enums.ts";

export const PlanTaskType = builder.prismaObject("PlanTask", {
  description: "A task definition; each execution runs it as a TaskRun",
  fields: (t) => ({
    key: t.exposeString("key"),
    name: t.exposeString("name"),
    handler: t.exposeString("handler"),
    input: t.expose("input", { type: "JSON", nullable: true }),
    dependsOn: t.exposeStringList("dependsOn"),
    priority: t.expose("priority", { type: PriorityEnum, nullable: true, description: "null: the execution's priority" }),
    timeoutMs: t.exposeInt("timeoutMs", { nullable: true }),
  }),
});
