import { InvalidIdError, NotFoundError, ValidationError } from "../../domain/errors.ts";
import { createApiKey, revokeApiKey } from "../../services/api-keys.ts";
import { builder, pageSize } from "../builder.ts";
import { parseId } from "../ids.ts";
import { CreateApiKeyPayload } from "./CreateApiKeyPayload.ts";
import { ApiRoleEnum } from "./enums.ts";

// API keys are ADMIN business, also when reached through node(id).
export const ApiKeyType = builder.prismaNode("ApiKey", {
  id: { field: "id" },
  description: "A key for the API (Authorization: Bearer <secret>, or connectionParams.authorization on graphql-ws). The secret itself is never stored. Only role ADMIN may read keys, also through node(id:).",
  authScopes: { admin: true },
  fields: (t) => ({
    name: t.exposeString("name", { description: "Its name, 1 to 100 characters." }),
    role: t.expose("role", { type: ApiRoleEnum, description: "What requests with it may do." }),
    prefix: t.exposeString("prefix", { description: "The first 12 characters of the secret (eng_ and 8 more), to recognise it." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was created." }),
    lastUsedAt: t.expose("lastUsedAt", { type: "DateTime", nullable: true, description: "When a request last used it, updated at most once a minute per API process; null before its first use." }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true, description: "When it was revoked; null while active." }),
    active: t.boolean({ description: "Not revoked.", resolve: (k) => k.revokedAt === null }),
  }),
});

builder.queryFields((t) => ({
  apiKeys: t.prismaConnection({
    type: "ApiKey",
    cursor: "id",
    ...pageSize,
    authScopes: { admin: true },
    description: "API keys (revoked ones too), newest first. Needs role ADMIN.",
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.apiKey.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    description: "Creates a key with a role (VIEWER: read and subscribe; OPERATOR: + executions, alerts, metrics, resource allocations; ADMIN: + plans, schedules, triggers, resources, keys). The secret is in this payload only. The first key switches authentication on (in open mode anyone on the machine may create it). Needs role ADMIN.",
    authScopes: { admin: true },
    errors: { types: [ValidationError] },
    args: { name: t.arg.string({ required: true, description: "Its name, 1 to 100 characters." }), role: t.arg({ type: ApiRoleEnum, required: true, description: "What requests with it may do." }) },
    resolve: async (_root, args, ctx) => {
      const created = await createApiKey(ctx, args);
      ctx.apiKeyEvents.created();
      return created;
    },
  }),
  revokeApiKey: t.prismaField({
    type: "ApiKey",
    description: "The key stops working at once: requests with it are refused and its open subscriptions end (a second call keeps the first time). Needs role ADMIN.",
    authScopes: { admin: true },
    errors: { types: [InvalidIdError, NotFoundError] },
    args: { id: t.arg.id({ required: true, description: "The key's global ID (or bare UUID)." }) },
    resolve: async (_query, _root, args, ctx) => {
      const id = parseId("id", args.id, "ApiKey");
      const revoked = await revokeApiKey(ctx, id);
      ctx.apiKeyEvents.revoked(id);
      return revoked;
    },
  }),
}));
