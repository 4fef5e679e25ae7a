import { ValidationError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const ValidationErrorType = builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "An input was refused; nothing was written.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field", { description: "Path of the offending input, e.g. tasks[2].dependsOn[0]." }),
    reason: t.exposeString("reason", { description: "Why that input was refused." }),
  }),
});
