import { UnknownDependencyError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const UnknownDependencyErrorType = builder.objectType(UnknownDependencyError, {
  name: "UnknownDependencyError",
  description: "A task depends on a key that is not a task of the plan; nothing was written.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field", { description: "Path of the dependency, e.g. tasks[2].dependsOn[0]." }),
    reason: t.exposeString("reason", { description: "Why that input was refused." }),
    taskKey: t.exposeString("taskKey", { description: "Key of the task that names it." }),
    dependency: t.exposeString("dependency", { description: "The unknown key." }),
  }),
});
