import { UnknownDependencyError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const UnknownDependencyErrorType = builder.objectType(UnknownDependencyError, {
  name: "UnknownDependencyError",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field"),
    reason: t.exposeString("reason"),
    taskKey: t.exposeString("taskKey"),
    dependency: t.exposeString("dependency"),
  }),
});
