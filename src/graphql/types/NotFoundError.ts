import { NotFoundError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const NotFoundErrorType = builder.objectType(NotFoundError, {
  name: "NotFoundError",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entity: t.exposeString("entity"),
    entityId: t.exposeString("id", { description: "The id that was looked up" }),
  }),
});
