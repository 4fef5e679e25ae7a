import SchemaBuilder from "@pothos/core";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin, { decodeGlobalID, resolveNodes } from "@pothos/plugin-relay";
import { GraphQLObjectType, type GraphQLResolveInfo } from "graphql";
import type PrismaTypes from "../../generated/pothos-types.ts";
import { getDatamodel } from "../../generated/pothos-types.ts";
import type { GraphQLContext } from "./context.ts";
import { InvalidIdError, ValidationError } from "../domain/errors.ts";

/** Most IDs one nodes(ids:) call may ask for (the page size cap). */
const MAX_NODES = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const orNull = <T>(load: Promise<T>): Promise<T | null> => load.catch((err: { code?: string }) => (err?.code === "P2025" ? null : Promise.reject(err)));

/** The builder, for resolveNodes in its own options (set right after it is made). */
let self: unknown;

/**
 * One node of node(id:) or nodes(ids:): InvalidIdError unless the ID names a Node type and a UUID, null
 * when there is no such row (prismaNode loads with findUniqueOrThrow).
 */
function loadNode(field: string, globalId: { id: string; typename: string }, info: GraphQLResolveInfo, load: () => unknown): Promise<unknown> {
  const type = info.schema.getType(globalId.typename);
  const isNode = type instanceof GraphQLObjectType && type.getInterfaces().some((i) => i.name === "Node");
  if (!isNode || !UUID.test(globalId.id)) return Promise.reject(new InvalidIdError(field, globalId.id, isNode ? globalId.typename : "node"));
  return orNull(Promise.resolve(load()));
}
import type { Scopes } from "../domain/auth.ts";
import { scopeAuthOptions } from "./auth.ts";

// Plugins and scalars only; every type lives in its own file under types/.
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: Scopes;
  PrismaTypes: PrismaTypes;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  // scope-auth first: it checks before any other plugin's resolver wrapper runs.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  scopeAuth: scopeAuthOptions,
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.db.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    // A relation loaded outside the planned query is an N+1 in waiting: fail loudly in development.
    onUnusedQuery: process.env.NODE_ENV === "production" ? null : "warn",
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    // An ID that does not decode reaches loadNode (an InvalidIdError there) instead of failing as an unexpected error.
    decodeGlobalID: (globalID) => {
      try {
        return decodeGlobalID(globalID);
      } catch {
        return { typename: "", id: globalID };
      }
    },
    nodeQueryOptions: {
      resolve: (_root, args, _ctx, info, resolveNode) => loadNode("id", args.id, info, () => resolveNode(args.id)),
    },
    // nodes(ids:) loads every id it is given: bounded like a page; each id is answered (or refused) on its own.
    nodesQueryOptions: {
      resolve: (_root, args, ctx, info) => {
        if (args.ids.length > MAX_NODES) throw new ValidationError("ids", `at most ${MAX_NODES} IDs at once, got ${args.ids.length}`);
        return args.ids.map((id) => loadNode("ids", id, info, () => resolveNodes(self as never, ctx, info, [id]).then(([node]) => node))) as never;
      },
    },
  },
  errors: { directResult: true },
});
self = builder;

/** Page size of every connection: `first` defaults to 20 and is capped at 100. */
export const pageSize = { defaultSize: 20, maxSize: 100 } as const;

// Every field needs a role (src/domain/auth.ts): reading and subscribing VIEWER, changing OPERATOR; ADMIN
// fields add `authScopes: { admin: true }`.
builder.queryType({ authScopes: { viewer: true } });
builder.mutationType({ authScopes: { operator: true } });
builder.subscriptionType({ authScopes: { viewer: true } });
