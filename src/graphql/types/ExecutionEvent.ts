import { builder } from "../builder.ts";
import { ExecutionEventTypeEnum, ExecutionStatusEnum } from "./enums.ts";

export const ExecutionEventType = builder.prismaNode("ExecutionEvent", {
  id: { field: "id" },
  description: "One state change of an execution, recorded in the transaction that made it; seq is gap-free per execution.",
  fields: (t) => ({
    seq: t.exposeInt("seq", { description: "Its place in the execution's timeline: 1, 2, 3… with no gap." }),
    type: t.expose("type", { type: ExecutionEventTypeEnum, description: "What happened." }),
    timestamp: t.expose("timestamp", { type: "DateTime", description: "When it happened (the engine's clock in the transaction that recorded it)." }),
    taskKey: t.exposeString("taskKey", { nullable: true, description: "Key of the task it is about; null when it is about the execution." }),
    message: t.exposeString("message", { description: "What happened, in words." }),
    data: t.expose("data", { type: "JSON", nullable: true, description: "Details by type (see ExecutionEventType), e.g. { attempt, worker } for TASK_STARTED; null when there are none." }),
    status: t.expose("status", { type: ExecutionStatusEnum, description: "The execution's status right after this event." }),
  }),
});
