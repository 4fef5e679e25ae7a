import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import type { Plugin } from "graphql-yoga";
import { AuthScopeFailureType, type AuthFailure, type ForbiddenResult } from "@pothos/plugin-scope-auth";
import { denial, neededRole, scopesFor, SCOPE_ROLE, type AuthState, type Scope } from "../domain/auth.ts";
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

/**
 * Auth on and no usable key: the whole operation is refused before anything runs (argument decoding
 * such as global IDs included), with one UNAUTHENTICATED error. Field scopes handle everything else.
 */
/** The refusal when the context's auth is on and has no usable key, else null (HTTP: a 401). */
export const keyRefusal = (ctx: unknown, operationName: string | null | undefined) => {
  const auth = (ctx as { auth?: AuthState }).auth;
  if (auth?.mode !== "keys" || auth.key) return null;
  const d = denial(auth, operationName ? `operation ${operationName}` : "this operation", "VIEWER");
  const http = (ctx as { socket?: unknown }).socket === undefined ? { http: { status: 401, headers: { "WWW-Authenticate": "Bearer" } } } : {};
  return { errors: [new GraphQLError(d.message, { extensions: { code: d.code, ...http } })] };
};

export const useRequireKey = (): Plugin => {
  const refusal = keyRefusal;
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const r = refusal(args.contextValue, args.operationName);
      if (r) setResultAndStopExecution(r);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const r = refusal(args.contextValue, args.operationName);
      if (r) setResultAndStopExecution(r);
    },
  };
};
