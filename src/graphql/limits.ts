import { GraphQLError, Kind, parse, type ASTVisitor, type SelectionSetNode, type ValidationContext } from "graphql";
import type { Plugin } from "graphql-yoga";

/** Bounds on what one operation may ask for; page sizes are bounded on each connection. */
export const QUERY_LIMITS = { maxTokens: 5000, maxDepth: 12, maxFields: 1000 } as const;

/** Token limit at parse time (before any work grows with the document), depth and size at validation. */
export const useQueryLimits = (): Plugin => ({
  onParse({ setParseFn }) {
    setParseFn((source, options) => parse(source, { ...options, maxTokens: QUERY_LIMITS.maxTokens }));
  },
  onValidate({ addValidationRule }) {
    addValidationRule(costRule);
  },
});

/** Depth and total selected fields per operation, with fragments expanded (and cycles cut). */
function costRule(context: ValidationContext): ASTVisitor {
  const fragments = new Map(context.getDocument().definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const measure = (set: SelectionSetNode, depth: number, seen: Set<string>): { depth: number; fields: number } => {
    let maxDepth = depth;
    let fields = 0;
    for (const sel of set.selections) {
      let sub: SelectionSetNode | undefined;
      let nextDepth = depth;
      if (sel.kind === Kind.FIELD) {
        fields += 1;
        sub = sel.selectionSet;
        nextDepth = depth + 1;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) sub = sel.selectionSet;
      else if (!seen.has(sel.name.value)) {
        sub = fragments.get(sel.name.value)?.selectionSet;
        seen = new Set(seen).add(sel.name.value);
      }
      if (!sub) {
        maxDepth = Math.max(maxDepth, nextDepth);
        continue;
      }
      const inner = measure(sub, nextDepth, seen);
      maxDepth = Math.max(maxDepth, inner.depth);
      fields += inner.fields;
      if (fields > QUERY_LIMITS.maxFields) break;
    }
    return { depth: maxDepth, fields };
  };
  return {
    OperationDefinition(node) {
      const { depth, fields } = measure(node.selectionSet, 0, new Set());
      if (depth > QUERY_LIMITS.maxDepth)
        context.reportError(new GraphQLError(`query depth ${depth} exceeds the limit of ${QUERY_LIMITS.maxDepth}`, { nodes: [node], extensions: { code: "QUERY_TOO_DEEP" } }));
      if (fields > QUERY_LIMITS.maxFields)
        context.reportError(new GraphQLError(`query selects more than ${QUERY_LIMITS.maxFields} fields`, { nodes: [node], extensions: { code: "QUERY_TOO_COSTLY" } }));
    },
  };
}
