import SchemaBuilder from "@pothos/core";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin, { resolveNodes } from "@pothos/plugin-relay";
import type { GraphQLInterfaceType, GraphQLResolveInfo } from "graphql";
import type PrismaTypes from "../../generated/pothos-types.ts";
import { getDatamodel } from "../../generated/pothos-types.ts";
import type { GraphQLContext } from "./context.ts";
import { InvalidIdError, ValidationError } from "../domain/errors.ts";
import { nodeTypesOf } from "../services/nodes.ts";
import { decodeId, globalId } from "./ids.ts";

/** Most IDs one nodes(ids:) call may ask for (the page size cap). */
const MAX_NODES = 100;
const orNull = <T>(load: Promise<T>): Promise<T | null> => load.catch((err: { code?: string }) => (err?.code === "P2025" ? null : Promise.reject(err)));

/** The builder, for resolveNodes in its own options (set right after it is made). */
let self: unknown;

/**
 * node(id:) and nodes(ids:), each id answered (or refused) on its own: InvalidIdError unless it is the
 * global ID of a Node type or a bare UUID; null when there is no such row. The types of bare UUIDs are
 * looked up together, in one statement.
 */
function loadNodes(field: string, ids: readonly { typename: string; id: string }[], ctx: GraphQLContext, info: GraphQLResolveInfo): Promise<unknown>[] {
  const nodeTypes = info.schema.getImplementations(info.schema.getType("Node") as GraphQLInterfaceType).objects.map((t) => t.name);
  // typename "" (see decodeGlobalID below): a bare UUID, or an ID that does not decode.
  const bareUuid = ({ typename, id }: { typename: string; id: string }) => (typename === "" ? decodeId(id)?.id : undefined);
  const bare = ids.map(bareUuid).filter((id) => id !== undefined);
  const found = bare.length > 0 ? nodeTypesOf(ctx, bare, nodeTypes) : Promise.resolve(new Map<string, string>());
  const load = (typename: string, id: string) => orNull(resolveNodes(self as never, ctx, info, [{ typename, id }]).then(([node]) => node));
  return ids.map(async (g) => {
    const uuid = bareUuid(g);
    if (uuid) {
      const typename = (await found).get(uuid);
      return typename ? load(typename, uuid) : null;
    }
    if (!nodeTypes.includes(g.typename)) throw new InvalidIdError(field, g.typename ? globalId(g.typename, g.id) : g.id, "node");
    return load(g.typename, g.id);
  });
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
    // Every connection pages by pageSize (below): say so where a client reads the argument.
    firstArgOptions: { description: "Returns the first n edges: 20 when neither first nor last is given, at most 100 (a larger n returns 100, with pageInfo.hasNextPage)" },
    lastArgOptions: { description: "Returns the last n edges, at most 100 (a larger n returns 100, with pageInfo.hasPreviousPage)" },
    // The one ID decoder (ids.ts). A bare UUID, or an ID that does not decode, comes with typename "" to
    // loadNodes: the row tells the type of the one, the other is an InvalidIdError there.
    decodeGlobalID: (raw) => {
      const decoded = decodeId(raw);
      return decoded?.typename ? { typename: decoded.typename, id: decoded.id } : { typename: "", id: raw };
    },
    nodeQueryOptions: {
      resolve: (_root, args, ctx, info) => loadNodes("id", [args.id], ctx, info)[0] as never,
    },
    // nodes(ids:) loads every id it is given: bounded like a page; each id is answered (or refused) on its own.
    nodesQueryOptions: {
      resolve: (_root, args, ctx, info) => {
        if (args.ids.length > MAX_NODES) throw new ValidationError("ids", `at most ${MAX_NODES} IDs at once, got ${args.ids.length}`);
        return loadNodes("ids", args.ids, ctx, info) as never;
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
