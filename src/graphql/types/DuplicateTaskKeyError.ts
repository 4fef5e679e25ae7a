import { DuplicateTaskKeyError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const DuplicateTaskKeyErrorType = builder.objectType(DuplicateTaskKeyError, {
  name: "DuplicateTaskKeyError",
  description: "Two tasks of the plan have the same key; nothing was written.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field", { description: "Path of the second task's key, e.g. tasks[3].key." }),
    reason: t.exposeString("reason", { description: "Why that input was refused." }),
    key: t.exposeString("key", { description: "The duplicated key." }),
  }),
});
