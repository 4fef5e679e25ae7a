import { UnknownHandlerError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const UnknownHandlerErrorType = builder.objectType(UnknownHandlerError, {
  name: "UnknownHandlerError",
  description: "A task names a handler the engine does not have; nothing was written.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field", { description: "Path of the handler, e.g. tasks[0].handler." }),
    reason: t.exposeString("reason", { description: "Why that input was refused." }),
    handler: t.exposeString("handler", { description: "The unknown handler name." }),
    knownHandlers: t.exposeStringList("knownHandlers", { description: "Every handler name the engine knows, sorted: built-ins and those of HANDLER_MODULES." }),
  }),
});
