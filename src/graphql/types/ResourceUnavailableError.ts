import { ResourceUnavailableError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./Error.ts";

export const ResourceUnavailableErrorType = builder.objectType(ResourceUnavailableError, {
  name: "ResourceUnavailableError",
  description: "The resources cannot be allocated now; nothing was allocated (all or nothing).",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field", { description: "The requirement that could not be served, e.g. requirements[1]." }),
    reason: t.exposeString("reason", { description: "Why: no pool offers it, it exceeds every matching pool's capacity, too little is free, or what is free is held for higher-priority requests." }),
  }),
});
