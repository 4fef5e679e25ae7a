import { CycleError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const CycleErrorType = builder.objectType(CycleError, {
  name: "CycleError",
  description: "The plan's task dependencies form a cycle; nothing was written.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field", { description: "Always tasks." }),
    reason: t.exposeString("reason", { description: "Why that input was refused." }),
    cycle: t.exposeStringList("cycle", { description: "Task keys along the cycle, closed on the first: [a, b, c, a]." }),
  }),
});
