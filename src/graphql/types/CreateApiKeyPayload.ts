import type { ApiKey } from "../../../generated/prisma/client.ts";
import { builder } from "../builder.ts";

export const CreateApiKeyPayload = builder.objectRef<{ apiKey: ApiKey; secret: string }>("CreateApiKeyPayload").implement({
  description: "The key createApiKey made, with its secret.",
  fields: (t) => ({
    apiKey: t.prismaField({ type: "ApiKey", description: "The key as stored.", resolve: (_query, p) => p.apiKey }),
    secret: t.exposeString("secret", { description: "Send it as `Authorization: Bearer <secret>`. Shown here once and never again: only its SHA-256 is stored." }),
  }),
});
