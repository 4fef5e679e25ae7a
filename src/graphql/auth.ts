import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { AuthScopeFailureType, type AuthFailure, type ForbiddenResult } from "@pothos/plugin-scope-auth";
import { denial, neededRole, scopesFor, SCOPE_ROLE, type Scope } from "../domain/auth.ts";
import type { GraphQLContext } from "./context.ts";

// The scope-auth plugin's options: scopes from ctx.auth (src/domain/auth.ts), checked at subscribe time
// too, and denials as unmasked GraphQL errors with code UNAUTHENTICATED or FORBIDDEN that name the field
// and the role it needs (nothing about keys beyond the caller's own role).

const isScope = (s: string): s is Scope => s in SCOPE_ROLE;

function failedScopes(failure: AuthFailure, into: Scope[] = []): Scope[] {
  if (failure.kind === AuthScopeFailureType.AuthScope && isScope(failure.scope)) into.push(failure.scope);
  if (failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes) {
    for (const f of failure.failures) failedScopes(f, into);
  }
  return into;
}

/** The field's own scope map (a type-level failure is reported first, but the field may need more). */
function fieldScopes(info: GraphQLResolveInfo): Scope[] {
  const field = info.parentType.getFields()[info.fieldName];
  const options = field?.extensions?.pothosOptions as { authScopes?: unknown } | undefined;
  const map = options?.authScopes;
  if (!map || typeof map !== "object") return [];
  return Object.entries(map).flatMap(([k, v]) => (v && isScope(k) ? [k] : []));
}

export const scopeAuthOptions = {
  authorizeOnSubscribe: true,
  authScopes: (ctx: GraphQLContext) => scopesFor(ctx.auth),
  unauthorizedError: (_parent: unknown, ctx: GraphQLContext, info: GraphQLResolveInfo, result: ForbiddenResult) => {
    const needed = neededRole([...failedScopes(result.failure), ...fieldScopes(info)]);
    const d = denial(ctx.auth, `${info.parentType.name}.${info.fieldName}`, needed);
    return new GraphQLError(d.message, { extensions: { code: d.code, requiredRole: needed } });
  },
};
