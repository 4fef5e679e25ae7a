import { InvalidIdError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const InvalidIdErrorType = builder.objectType(InvalidIdError, {
  name: "InvalidIdError",
  description: "An ID argument is malformed or names another type",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field"),
    reason: t.exposeString("reason"),
    value: t.exposeString("value"),
  }),
});
