import { NotFoundError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const NotFoundErrorType = builder.objectType(NotFoundError, {
  name: "NotFoundError",
  description: "No row has the given ID (or name); nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entity: t.exposeString("entity", { description: "The type looked for, e.g. Plan, Execution, Checkpoint, RateLimit." }),
    entityId: t.exposeString("id", { description: "The id (or rate limit name) that was looked up: a bare UUID, not a global ID." }),
  }),
});
