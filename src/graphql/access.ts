// Who is asking, as far as the limits care: the access mode and the API key's id. Read from `ctx.auth`
// (set by the auth layer, src/domain/auth.ts AuthState) without depending on more of its shape.

export type AccessMode = "open" | "keys" | "disabled";

export interface Access {
  /** undefined: the context carries no auth (yet), e.g. before the request's context is built. */
  mode: AccessMode | undefined;
  keyId: string | null;
}

interface AuthLike {
  mode?: AccessMode;
  key?: { id?: string } | null;
}

export function accessOf(ctx: unknown): Access {
  const auth = (ctx as { auth?: AuthLike } | null | undefined)?.auth;
  return { mode: auth?.mode, keyId: auth?.key?.id ?? null };
}

/**
 * Whether a debugging aid (introspection, field suggestions) is on: as configured, or else only in open
 * mode — the request's, or before its context is built the process's (`processMode`).
 */
export const debugAidOn = (configured: boolean | undefined, ctx: unknown, processMode?: () => AccessMode): boolean =>
  configured ?? (accessOf(ctx).mode ?? processMode?.() ?? "open") === "open";
