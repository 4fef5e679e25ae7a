import { InvalidTransitionError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const InvalidTransitionErrorType = builder.objectType(InvalidTransitionError, {
  name: "InvalidTransitionError",
  description: "The control call does not apply to the execution's current status",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    currentStatus: t.exposeString("from", { description: "The status it is in now" }),
    requestedStatus: t.exposeString("to"),
  }),
});
