import { builder } from "../builder.ts";
import { MessageLevelEnum } from "./enums.ts";

export const ExecutionMessageType = builder.prismaObject("ExecutionMessage", {
  description: "A log line from a handler or the engine",
  fields: (t) => ({
    seq: t.exposeInt("seq", { description: "The update that carried it" }),
    level: t.expose("level", { type: MessageLevelEnum }),
    message: t.exposeString("message"),
    taskKey: t.exposeString("taskKey", { nullable: true }),
    context: t.expose("context", { type: "JSON", nullable: true }),
    timestamp: t.expose("timestamp", { type: "DateTime" }),
  }),
});
