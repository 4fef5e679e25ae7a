import { createHash, randomBytes } from "node:crypto";
import { keyNameProblem, ROLES, type ApiKeyEvent, type AuthKey, type Role } from "../domain/auth.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import type { Services } from "./context.ts";

// API keys: the secret is `eng_` + 32 random bytes (base64url), shown once by createApiKey; only its
// SHA-256 (hex) is stored, with a short prefix for display. Revocations and creations are published on
// the bus so every API process drops cached keys, closes their sockets and leaves open mode.

export const KEY_PREFIX = "eng_";
/** Characters of the secret kept in clear for display (`eng_` + 8). */
const DISPLAY_CHARS = 12;

export const generateSecret = (): string => KEY_PREFIX + randomBytes(32).toString("base64url");
export const hashSecret = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("hex");
export const displayPrefix = (secret: string): string => secret.slice(0, DISPLAY_CHARS);

/** Bus key of topic apiKeys. */
export const API_KEY_EVENTS = "*";

const publish = (services: Services, event: ApiKeyEvent) =>
  services.bus.publish("apiKeys", API_KEY_EVENTS, event).catch((err: Error) => services.log.warn({ err: err.message, kind: event.kind }, "API key event not published; other API processes notice within their cache time"));

export async function createApiKey(services: Services, input: { name: string; role: Role }) {
  const problem = keyNameProblem(input.name);
  if (problem) throw new ValidationError("name", problem);
  if (!ROLES.includes(input.role)) throw new ValidationError("role", `must be one of ${ROLES.join(", ")}`);
  const secret = generateSecret();
  const apiKey = await services.db.prisma.apiKey.create({
    data: { name: input.name.trim(), role: input.role, prefix: displayPrefix(secret), hash: hashSecret(secret) },
  });
  await publish(services, { kind: "created" });
  return { apiKey, secret };
}

/** Revokes the key (a second call keeps the first time); it stops working at once in this process. */
export async function revokeApiKey(services: Services, id: string) {
  const found = await services.db.prisma.apiKey.findUnique({ where: { id } });
  if (!found) throw new NotFoundError("ApiKey", id);
  const apiKey = found.revokedAt ? found : await services.db.prisma.apiKey.update({ where: { id }, data: { revokedAt: services.clock() } });
  await publish(services, { kind: "revoked", id });
  return apiKey;
}

/** The unrevoked key whose secret this is, or null. */
export async function findActiveKey(services: Pick<Services, "db">, secret: string): Promise<AuthKey | null> {
  const row = await services.db.prisma.apiKey.findUnique({ where: { hash: hashSecret(secret) }, select: { id: true, name: true, role: true, revokedAt: true } });
  return row && !row.revokedAt ? { id: row.id, name: row.name, role: row.role } : null;
}

export const countActiveKeys = (services: Pick<Services, "db">): Promise<number> => services.db.prisma.apiKey.count({ where: { revokedAt: null } });

/** Of these key ids, the ones revoked (or deleted) by now. */
export async function revokedAmong(services: Pick<Services, "db">, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const live = await services.db.prisma.apiKey.findMany({ where: { id: { in: ids }, revokedAt: null }, select: { id: true } });
  const alive = new Set(live.map((k) => k.id));
  return ids.filter((id) => !alive.has(id));
}

/**
 * Stores BOOTSTRAP_ADMIN_KEY's hash as an ADMIN key named "bootstrap", once (API processes starting
 * together may race: the loser's unique violation is the winner's row); a revoked one stays revoked.
 * Only 4 characters are kept for display: a chosen secret may be shorter than a generated one.
 */
export async function ensureBootstrapKey(services: Pick<Services, "db">, secret: string): Promise<void> {
  const hash = hashSecret(secret);
  const create = { name: "bootstrap", role: "ADMIN" as const, prefix: secret.slice(0, 4), hash };
  await services.db.prisma.apiKey.upsert({ where: { hash }, create, update: {} }).catch(async (err: unknown) => {
    if (!(await services.db.prisma.apiKey.findUnique({ where: { hash }, select: { id: true } }))) throw err;
  });
}

/** Records a use (the caller throttles). */
export async function touchKey(services: Pick<Services, "db" | "clock">, id: string): Promise<void> {
  await services.db.prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: services.clock() } });
}
