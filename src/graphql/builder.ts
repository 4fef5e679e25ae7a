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
import { TotalCountDescription } from "./total-count.ts";

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
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin, TotalCountDescription],
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
    // Descriptions of what the plugin generates (Node, PageInfo, every Connection and Edge, their fields and
    // arguments): GraphiQL's docs pane shows them, and test/schema-descriptions.test.ts requires them.
    idFieldOptions: { description: "Global ID (opaque): what node(id:) and every ID argument take; the row's bare UUID is accepted too." },
    nodeTypeOptions: { description: "An object with a global ID, fetchable with node(id:) or nodes(ids:)." },
    pageInfoTypeOptions: { description: "Where a page sits in its connection: pass endCursor as `after` for the next page, startCursor as `before` for the previous one." },
    hasNextPageFieldOptions: { description: "Paging forward (first, after): whether more items follow this page. With before it is true; with last and no before, false." },
    hasPreviousPageFieldOptions: { description: "Paging backward (last, before): whether more items precede this page. With after it is true; paging forward without after, false." },
    startCursorFieldOptions: { description: "Cursor of the page's first edge; null when the page is empty." },
    endCursorFieldOptions: { description: "Cursor of the page's last edge; null when the page is empty." },
    defaultConnectionTypeOptions: { description: "One page of a list, in the order its field states, with the cursors to fetch the pages around it." },
    defaultEdgeTypeOptions: { description: "One item of a page, with its cursor." },
    pageInfoFieldOptions: { description: "Cursors and whether more pages follow or precede this one." },
    edgesFieldOptions: { nullable: false, description: "The page's items, each with its cursor." },
    nodeFieldOptions: { nullable: false, description: "The item." },
    cursorFieldOptions: { description: "Opaque position of this item: pass it as `after` or `before` to page from here." },
    // Every connection pages by pageSize (below): say so where a client reads the argument.
    firstArgOptions: { description: "Returns the first n edges: 20 when neither first nor last is given, at most 100 (a larger n returns 100, with pageInfo.hasNextPage)." },
    lastArgOptions: { description: "Returns the last n edges, at most 100 (a larger n returns 100, with pageInfo.hasPreviousPage)." },
    afterArgOptions: { description: "Returns the edges after this cursor (an edge's cursor or pageInfo.endCursor)." },
    beforeArgOptions: { description: "Returns the edges before this cursor (an edge's cursor or pageInfo.startCursor)." },
    // The one ID decoder (ids.ts). A bare UUID, or an ID that does not decode, comes with typename "" to
    // loadNodes: the row tells the type of the one, the other is an InvalidIdError there.
    decodeGlobalID: (raw) => {
      const decoded = decodeId(raw);
      return decoded?.typename ? { typename: decoded.typename, id: decoded.id } : { typename: "", id: raw };
    },
    nodeQueryOptions: {
      description: "Any object with a global ID, by that ID (or its bare UUID); null when there is no such row. Reading an ApiKey needs role ADMIN.",
      args: { id: { description: "A global ID, or the bare UUID of any node." } },
      resolve: (_root, args, ctx, info) => loadNodes("id", [args.id], ctx, info)[0] as never,
    },
    // nodes(ids:) loads every id it is given: bounded like a page; each id is answered (or refused) on its own.
    nodesQueryOptions: {
      description: `Several nodes by global ID (or bare UUID), in the order asked: at most ${MAX_NODES} IDs; null for each ID without a row, and an error for each malformed one.`,
      args: { ids: { description: `At most ${MAX_NODES} global IDs or bare UUIDs.` } },
      resolve: (_root, args, ctx, info) => {
        if (args.ids.length > MAX_NODES) throw new ValidationError("ids", `at most ${MAX_NODES} IDs at once, got ${args.ids.length}`);
        return loadNodes("ids", args.ids, ctx, info) as never;
      },
    },
  },
  errors: {
    directResult: true,
    defaultUnionOptions: { description: "What the mutation returns: its result, or a type implementing Error that says why it was refused." },
    defaultResultOptions: { description: "The mutation's result when it succeeded." },
  },
});
self = builder;

/** Page size of every connection: `first` defaults to 20 and is capped at 100. */
export const pageSize = { defaultSize: 20, maxSize: 100 } as const;

// Every field needs a role (src/domain/auth.ts): reading and subscribing VIEWER, changing OPERATOR; ADMIN
// fields add `authScopes: { admin: true }`.
const OPEN = "Without API keys (open mode, loopback only) or with AUTH_DISABLED every caller has every role.";
builder.queryType({
  description: `Reads. Every field needs role VIEWER or higher (apiKeys and ApiKey nodes: ADMIN). ${OPEN}`,
  authScopes: { viewer: true },
});
builder.mutationType({
  description: `Changes. Every field needs role OPERATOR or higher, or ADMIN where it says so. Refusals the caller can act on come back as data: a type implementing Error in the field's result. ${OPEN}`,
  authScopes: { operator: true },
});
builder.subscriptionType({
  description: `Live streams (graphql-ws, or server-sent events over HTTP). Every field needs role VIEWER or higher; revoking the key ends its streams. ${OPEN}`,
  authScopes: { viewer: true },
});
