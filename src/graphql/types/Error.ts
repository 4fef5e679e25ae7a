import { DomainError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";

/** Every error returned as data implements this. */
export const ErrorInterface = builder.interfaceRef<DomainError>("Error").implement({
  description: "A refusal returned as data in place of a mutation's result; the type and its fields say why.",
  fields: (t) => ({ message: t.exposeString("message", { description: "What went wrong, in one sentence for people (match on the type and its fields, not on this text)." }) }),
});
