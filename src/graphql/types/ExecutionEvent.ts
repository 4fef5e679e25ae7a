import { builder } from "../builder.ts";
import { ExecutionEventTypeEnum, ExecutionStatusEnum } from "./enums.ts";

export const ExecutionEventType = builder.prismaNode("ExecutionEvent", {
  id: { field: "id" },
  description: "One state change of an execution; seq is gap-free per execution",
  fields: (t) => ({
    seq: t.exposeInt("seq"),
    type: t.expose("type", { type: ExecutionEventTypeEnum }),
    timestamp: t.expose("timestamp", { type: "DateTime" }),
    taskKey: t.exposeString("taskKey", { nullable: true }),
    message: t.exposeString("message"),
    data: t.expose("data", { type: "JSON", nullable: true }),
    status: t.expose("status", { type: ExecutionStatusEnum, description: "Execution status right after this event" }),
  }),
});
