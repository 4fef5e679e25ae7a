import { CycleError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const CycleErrorType = builder.objectType(CycleError, {
  name: "CycleError",
  description: "The tasks' dependencies form a cycle",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field"),
    reason: t.exposeString("reason"),
    cycle: t.exposeStringList("cycle", { description: "Task keys in run order, closed on the first: [a, b, c, a]" }),
  }),
});
