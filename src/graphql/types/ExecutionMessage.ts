import { builder } from "../builder.ts";
import { MessageLevelEnum } from "./enums.ts";

export const ExecutionMessageType = builder.prismaObject("ExecutionMessage", {
  description: "A log line from a handler (ctx.log) or the engine.",
  fields: (t) => ({
    seq: t.exposeInt("seq", { description: "The seq of the event (ExecutionUpdate) that carried it." }),
    level: t.expose("level", { type: MessageLevelEnum, description: "How severe it is." }),
    message: t.exposeString("message", { description: "The text." }),
    taskKey: t.exposeString("taskKey", { nullable: true, description: "Key of the task that logged it; null for the execution's own messages." }),
    context: t.expose("context", { type: "JSON", nullable: true, description: "Structured details given with it (e.g. an error code and attempt); null when none." }),
    timestamp: t.expose("timestamp", { type: "DateTime", description: "When it was logged." }),
  }),
});
