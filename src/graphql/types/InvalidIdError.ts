import { InvalidIdError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const InvalidIdErrorType = builder.objectType(InvalidIdError, {
  name: "InvalidIdError",
  description: "An ID argument is neither a global ID of the expected type nor a bare UUID; nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field", { description: "Path of the argument, e.g. id, input.planId or ids[2]." }),
    reason: t.exposeString("reason", { description: "Why that input was refused." }),
    value: t.exposeString("value", { description: "The value given." }),
  }),
});
