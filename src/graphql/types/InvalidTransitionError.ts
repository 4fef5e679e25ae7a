import { InvalidTransitionError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const InvalidTransitionErrorType = builder.objectType(InvalidTransitionError, {
  name: "InvalidTransitionError",
  description: "The call does not apply to the execution's current status; nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    currentStatus: t.exposeString("from", { description: "The status it is in now, with \" (pausing)\" while a pause is requested, e.g. RUNNING (pausing)." }),
    requestedStatus: t.exposeString("to", { description: "The status the call would have led to, e.g. PAUSED, RUNNING, PENDING, CANCELLED or CHECKPOINTED (createCheckpoint)." }),
  }),
});
