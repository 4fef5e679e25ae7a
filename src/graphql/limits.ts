import { ApolloArmor, EnvelopArmor, EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { GraphQLError, Kind, NoSchemaIntrospectionCustomRule, TypeInfo, validate, visit, visitWithTypeInfo, type ArgumentNode, type DocumentNode, type GraphQLSchema, type ValidationContext, type ValidationRule } from "graphql";
import type { Plugin, YogaInitialContext } from "graphql-yoga";
import { debugAidOn, type AccessMode } from "./access.ts";
import { pageSize } from "./builder.ts";

/** Bounds on what one operation may ask for (page sizes are bounded on each connection: builder.ts). */
export interface QueryLimits {
  maxTokens: number;
  maxDepth: number;
  /** graphql-armor's cost: 1 per object and per scalar, `first`/`last` multiplying its subtree (costedPages). */
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  /** undefined: on only in open mode (no API keys). */
  introspection?: boolean;
  /** "Did you mean …?" in validation errors; undefined: on only in open mode. */
  fieldSuggestions?: boolean;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxTokens: 5000, maxDepth: 12, maxCost: 50_000, maxAliases: 15, maxDirectives: 50 };

/** The error code of each limit, in `extensions.code`. */
export const LIMIT_CODES = {
  tokens: "QUERY_TOO_LARGE",
  depth: "QUERY_TOO_DEEP",
  cost: "QUERY_TOO_COSTLY",
  aliases: "TOO_MANY_ALIASES",
  directives: "TOO_MANY_DIRECTIVES",
  introspection: "INTROSPECTION_DISABLED",
} as const;

// armor reports "Syntax Error: <limit> exceeded" without a code: report it with the limit's code instead
// (validation rules through the context; the token limit, which runs in the lexer, by throwing).
const coded = (code: string) => ({
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, err: GraphQLError) => {
      const error = new GraphQLError(err.message.replace(/^Syntax Error: /, ""), { extensions: { code } });
      if (!ctx) throw error;
      ctx.reportError(error);
    },
  ],
});

/**
 * The document as the cost limit sees it: graphql-armor multiplies only by a literal `first`/`last`, so a
 * variable one counts as the largest page (pageSize.maxSize) and a connection without either as the
 * default page (pageSize.defaultSize) — what the resolver would return at most.
 */
export function costedPages(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const int = (value: number) => ({ kind: Kind.INT, value: String(value) }) as const;
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const paged = typeInfo.getFieldDef()?.args.some((a) => a.name === "first" || a.name === "last");
        if (!paged) return undefined;
        const page = node.arguments?.find((a) => a.name.value === "first" || a.name.value === "last");
        if (page && page.value.kind !== Kind.VARIABLE) return undefined;
        const first: ArgumentNode = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: "first" }, value: int(page ? pageSize.maxSize : pageSize.defaultSize) };
        return { ...node, arguments: [first, ...(node.arguments ?? []).filter((a) => a !== page)] };
      },
    }),
  );
}

/** armor's cost rule, run on costedPages(document); its errors are reported on the real document. */
function costRule(options: ConstructorParameters<typeof ApolloArmor>[0]): ValidationRule {
  const [rule] = new ApolloArmor({ ...options, maxTokens: { enabled: false }, maxDepth: { enabled: false }, maxAliases: { enabled: false }, maxDirectives: { enabled: false }, blockFieldSuggestion: { enabled: false } }).protect().validationRules as ValidationRule[];
  return (ctx) => {
    for (const error of validate(ctx.getSchema(), costedPages(ctx.getSchema(), ctx.getDocument()), [rule!])) ctx.reportError(error);
    return {};
  };
}

/**
 * graphql-armor's token, depth, cost, alias and directive limits (parse and validation time, so they
 * apply to every transport that runs yoga's envelop: HTTP, SSE and graphql-ws), field suggestions
 * hidden unless allowed, and introspection refused unless allowed. `processMode`: the API process's auth
 * mode, for validation (which runs before the request's context, and so its ctx.auth, exists).
 */
export function useQueryLimits(limits: QueryLimits = DEFAULT_QUERY_LIMITS, processMode?: () => AccessMode): Plugin {
  const armor = EnvelopArmorPlugin<YogaInitialContext>({
    blockFieldSuggestion: { enabled: false },
    maxTokens: { n: limits.maxTokens, ...coded(LIMIT_CODES.tokens) },
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...coded(LIMIT_CODES.depth) },
    costLimit: { enabled: false }, // costRule below
    maxAliases: { n: limits.maxAliases, ...coded(LIMIT_CODES.aliases) },
    maxDirectives: { n: limits.maxDirectives, ...coded(LIMIT_CODES.directives) },
  });
  const cost = costRule({ costLimit: { maxCost: limits.maxCost, objectCost: 1, scalarCost: 1, depthCostFactor: 1, flattenFragments: true, ...coded(LIMIT_CODES.cost) } });
  const [hideSuggestions] = new EnvelopArmor<YogaInitialContext>({
    blockFieldSuggestion: { enabled: true },
    maxTokens: { enabled: false },
    maxDepth: { enabled: false },
    costLimit: { enabled: false },
    maxAliases: { enabled: false },
    maxDirectives: { enabled: false },
  }).protect().plugins;
  // Introspection is checked once the context (with its auth) is built, on the validated document.
  const introspectionErrors = (args: { schema: Parameters<typeof validate>[0]; document: Parameters<typeof validate>[1]; contextValue: unknown }) => {
    if (debugAidOn(limits.introspection, args.contextValue, processMode)) return null;
    const errors = validate(args.schema, args.document, [NoSchemaIntrospectionCustomRule]);
    if (errors.length === 0) return null;
    const fields = [...new Set(errors.flatMap((e) => e.message.match(/"(__\w+)"/)?.[1] ?? []))].join(", ");
    return [new GraphQLError(`introspection is off on this server (asked for ${fields})`, { nodes: errors[0]!.nodes, extensions: { code: LIMIT_CODES.introspection } })];
  };
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(armor);
    },
    onValidate(payload) {
      payload.addValidationRule(cost);
      if (!debugAidOn(limits.fieldSuggestions, payload.context, processMode)) return hideSuggestions!.onValidate?.(payload);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const errors = introspectionErrors(args);
      if (errors) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = introspectionErrors(args);
      if (errors) setResultAndStopExecution({ errors });
    },
  };
}
