// Who may do what: API key roles, the scopes they grant, and the access mode of an API process.
// Pure: no I/O. The GraphQL layer turns `scopesFor` into @pothos/plugin-scope-auth scopes.

export const ROLES = ["VIEWER", "OPERATOR", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

/**
 * open: no key exists and the API listens on loopback only — every request may do everything.
 * keys: requests need a valid API key and get its role's scopes.
 * disabled: AUTH_DISABLED=true — every request may do everything, whatever the address and keys.
 */
export type AuthMode = "open" | "keys" | "disabled";

export interface AuthKey {
  id: string;
  name: string;
  role: Role;
}

/** What one request (HTTP, SSE or WebSocket operation) is allowed, as put on the GraphQL context. */
export interface AuthState {
  mode: AuthMode;
  /** The key the request authenticated with (null: none, or not needed). */
  key: AuthKey | null;
  /** A key was presented but is unknown or revoked (the denial says so instead of "no key"). */
  rejectedKey?: boolean;
}

export type Scope = "viewer" | "operator" | "admin";
export type Scopes = Record<Scope, boolean>;

/** The role each scope needs, lowest first: ADMIN ⊃ OPERATOR ⊃ VIEWER. */
export const SCOPE_ROLE: Record<Scope, Role> = { viewer: "VIEWER", operator: "OPERATOR", admin: "ADMIN" };

export const roleAtLeast = (role: Role, needed: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(needed);

/** Every scope in open and disabled mode; in keys mode the scopes the key's role reaches (none without a key). */
export function scopesFor(auth: AuthState): Scopes {
  const all = auth.mode !== "keys";
  const has = (s: Scope) => all || (auth.key !== null && roleAtLeast(auth.key.role, SCOPE_ROLE[s]));
  return { viewer: has("viewer"), operator: has("operator"), admin: has("admin") };
}

export type Denial = { code: "UNAUTHENTICATED" | "FORBIDDEN"; message: string };

/** Why a request may not use `field` (which needs `needed`): no usable key, or a key whose role is too low. */
export function denial(auth: AuthState, field: string, needed: Role): Denial {
  if (!auth.key) {
    const why = auth.rejectedKey ? "the API key is invalid or revoked" : "no API key was given (Authorization: Bearer <key>)";
    return { code: "UNAUTHENTICATED", message: `${field} needs an API key with role ${needed} or higher: ${why}` };
  }
  return { code: "FORBIDDEN", message: `${field} needs role ${needed} or higher; this API key has role ${auth.key.role}` };
}

/** The lowest role that holds every given scope (e.g. type scope viewer + field scope admin → ADMIN). */
export function neededRole(scopes: Iterable<Scope>): Role {
  let needed: Role = "VIEWER";
  for (const s of scopes) if (roleAtLeast(SCOPE_ROLE[s], needed)) needed = SCOPE_ROLE[s];
  return needed;
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and "localhost": only this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice(7) : h;
  return /^127(\.\d{1,3}){3}$/.test(v4);
}

export type ModeDecision = { ok: true; mode: AuthMode; warning?: string } | { ok: false; error: string };

/**
 * The access mode at start-up. Keys (stored unrevoked ones, or a bootstrap key) always switch auth on
 * unless AUTH_DISABLED; without keys, loopback is open and any other address refuses to start.
 */
export function decideMode(input: { host: string; activeKeys: number; bootstrapKey: boolean; authDisabled: boolean }): ModeDecision {
  if (input.authDisabled) {
    return { ok: true, mode: "disabled", warning: `AUTH_DISABLED=true: authentication is off, anyone who can reach ${input.host} may do everything` };
  }
  if (input.activeKeys > 0 || input.bootstrapKey) return { ok: true, mode: "keys" };
  if (isLoopback(input.host)) {
    return { ok: true, mode: "open", warning: `no API keys: access is open to anyone on this machine (${input.host}); createApiKey switches authentication on` };
  }
  return {
    ok: false,
    error:
      `refusing to listen on ${input.host} without API keys: set BOOTSTRAP_ADMIN_KEY (an admin key, at least 32 characters), ` +
      "create a key while listening on loopback (HOST=127.0.0.1), or set AUTH_DISABLED=true to run without authentication",
  };
}

export const API_KEY_LIMITS = { minNameLength: 1, maxNameLength: 100 } as const;

/** A key name's problem, or null when it is fine. */
export function keyNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed.length < API_KEY_LIMITS.minNameLength) return "must not be empty";
  if (name.length > API_KEY_LIMITS.maxNameLength) return `must be at most ${API_KEY_LIMITS.maxNameLength} characters`;
  return null;
}

/** The token of an `Authorization: Bearer <token>` header; null when absent, undefined when malformed. */
export function bearerToken(header: string | null | undefined): string | null | undefined {
  if (header == null || header === "") return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1] : undefined;
}

/** Bus message on topic apiKeys (infra/pubsub.ts): a key was created (leave open mode) or revoked. */
export type ApiKeyEvent = { kind: "created" } | { kind: "revoked"; id: string };
export const encodeApiKeyEvent = (e: ApiKeyEvent): string => JSON.stringify(e);
export function decodeApiKeyEvent(raw: string): ApiKeyEvent {
  const e = JSON.parse(raw) as ApiKeyEvent;
  if (e.kind === "revoked" && typeof e.id === "string") return { kind: "revoked", id: e.id };
  if (e.kind === "created") return { kind: "created" };
  throw new Error("not an API key event");
}
