import { DuplicateTaskKeyError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const DuplicateTaskKeyErrorType = builder.objectType(DuplicateTaskKeyError, {
  name: "DuplicateTaskKeyError",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field"),
    reason: t.exposeString("reason"),
    key: t.exposeString("key"),
  }),
});
