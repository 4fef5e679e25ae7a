import { UnknownHandlerError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const UnknownHandlerErrorType = builder.objectType(UnknownHandlerError, {
  name: "UnknownHandlerError",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field"),
    reason: t.exposeString("reason"),
    handler: t.exposeString("handler"),
    knownHandlers: t.exposeStringList("knownHandlers"),
  }),
});
