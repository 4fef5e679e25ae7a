import { DomainError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";

/** Every error returned as data implements this. */
export const ErrorInterface = builder.interfaceRef<DomainError>("Error").implement({
  fields: (t) => ({ message: t.exposeString("message") }),
});
