import { bearerToken, decideMode, type AuthKey, type AuthMode, type AuthState } from "../domain/auth.ts";
import { countActiveKeys, ensureBootstrapKey, findActiveKey, hashSecret, revokedAmong, touchKey, API_KEY_EVENTS } from "../services/api-keys.ts";
import type { Services } from "../services/context.ts";
import type { Unsubscribe } from "../infra/pubsub.ts";
import type { Logger } from "../infra/logger.ts";
import type { App } from "./app.ts";

export interface AuthOptions {
  /** AUTH_DISABLED=true: no authentication at all, whatever the address. */
  disabled?: boolean;
  /** BOOTSTRAP_ADMIN_KEY: stored (hashed) as an ADMIN key at start. */
  bootstrapAdminKey?: string;
  /** How long a key found valid is trusted without asking the database (and how often open sockets are re-checked). */
  cacheMs?: number;
  /** lastUsedAt is written at most this often per key and process. */
  touchMs?: number;
}

export class AuthStartupError extends Error {
  override name = "AuthStartupError";
}

/** track() id of the sessions opened without a key in open mode: they end when open mode does. */
export const OPEN_SESSIONS = "open";

/** Something that ends when its key is revoked: an open WebSocket, an SSE stream, an HTTP response. */
type Session = () => void;

/**
 * Authenticates API keys for one API process: hashes the bearer token, looks the key up (valid keys are
 * cached for cacheMs), and ends the sessions of a revoked key — at once in this process (revoked() from
 * the resolver), on the bus message elsewhere (once the database confirms it), and at the latest after
 * cacheMs through a sweep that re-checks the keys of open sessions. Open mode ends when a key appears: every
 * request served in open mode first counts the keys (the bus message only ends open sessions sooner, and
 * a lost one must not leave a process open); keys mode stays on until restart, even if every key is
 * revoked later.
 */
export class Authenticator {
  private current: AuthMode = "keys";
  private readonly cacheMs: number;
  private readonly touchMs: number;
  /** By the secret's hash: keys found valid, until when they are trusted. */
  private readonly cache = new Map<string, { key: AuthKey; until: number }>();
  private readonly sessions = new Map<string, Set<Session>>();
  private readonly touched = new Map<string, number>();
  private unsubscribe: Unsubscribe | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  /** The open-mode key count is failing (the database does not answer): warned once, until it answers. */
  private countFailing = false;

  constructor(
    private readonly services: Services,
    private readonly options: AuthOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 5000;
    this.touchMs = options.touchMs ?? 60_000;
  }

  get mode(): AuthMode {
    return this.current;
  }

  /** Decides the mode for this bind address; throws AuthStartupError when it must not start. */
  async start(host: string): Promise<AuthMode> {
    const { disabled = false, bootstrapAdminKey } = this.options;
    if (bootstrapAdminKey && !disabled) await ensureBootstrapKey(this.services, bootstrapAdminKey);
    const activeKeys = disabled ? 0 : await countActiveKeys(this.services);
    const decision = decideMode({ host, activeKeys, bootstrapKey: !!bootstrapAdminKey, authDisabled: disabled });
    if (!decision.ok) throw new AuthStartupError(decision.error);
    this.current = decision.mode;
    if (decision.warning) this.services.log.warn({ auth: decision.mode, host }, decision.warning);
    else this.services.log.info({ auth: decision.mode, activeKeys }, "authentication on: requests need an API key (Authorization: Bearer <key>)");
    if (decision.mode !== "disabled") {
      this.unsubscribe = await this.services.bus.subscribe("apiKeys", API_KEY_EVENTS, (e) =>
        e.kind === "created"
          ? void this.recheckOpen()
          : void this.confirmRevoked(e.id),
      );
      this.sweepTimer = setInterval(() => void this.sweep(), this.cacheMs);
      this.sweepTimer.unref();
    }
    return decision.mode;
  }

  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** The request's AuthState from its Authorization header (`Bearer <key>`). */
  async authenticate(authorization: string | null | undefined): Promise<AuthState> {
    if (this.current === "open") await this.recheckOpen();
    if (this.current !== "keys") return { mode: this.current, key: null };
    const token = bearerToken(authorization);
    if (token === null) return { mode: "keys", key: null };
    if (token === undefined) return { mode: "keys", key: null, rejectedKey: true };
    const key = await this.lookup(token);
    if (!key) return { mode: "keys", key: null, rejectedKey: true };
    this.touch(key.id);
    return { mode: "keys", key };
  }

  /** Ends `session` when the key is revoked; call the returned function when the session ends by itself. */
  track(keyId: string, session: Session): () => void {
    let set = this.sessions.get(keyId);
    if (!set) this.sessions.set(keyId, (set = new Set()));
    set.add(session);
    return () => {
      set.delete(session);
      if (set.size === 0 && this.sessions.get(keyId) === set) this.sessions.delete(keyId);
    };
  }

  /** A key was revoked: forget it and end its sessions. */
  revoked(id: string): void {
    for (const [hash, entry] of this.cache) if (entry.key.id === id) this.cache.delete(hash);
    const set = this.sessions.get(id);
    this.sessions.delete(id);
    for (const end of set ?? []) {
      try {
        end();
      } catch (err) {
        this.services.log.warn({ err: (err as Error).message }, "closing a revoked key's session failed");
      }
    }
  }

  /** A key was created: open mode ends (a request without a key is refused from now on). */
  created(): void {
    if (this.current !== "open") return;
    this.current = "keys";
    this.services.log.info({ auth: "keys" }, "an API key was created: authentication is on from now on");
    // The keyless WebSockets and SSE streams of open mode end, just after the answer that created the key went out.
    setTimeout(() => this.revoked(OPEN_SESSIONS), 250).unref();
  }

  /**
   * Leaves open mode if this database has a key. A bus message triggers the count rather than being
   * believed: another deployment (or test) may share the Redis but not the database. One count per
   * request is the price of open mode, which serves a single developer on loopback. While the database
   * is unreachable the last answer stands: no key can be created meanwhile, and a request or stream
   * waiting for the database must not fail on this count.
   */
  private async recheckOpen(): Promise<void> {
    if (this.current !== "open") return;
    const count = await countActiveKeys(this.services).then(
      (n) => ((this.countFailing = false), n),
      (err: Error) => {
        // Once per outage, not once per request.
        if (!this.countFailing) this.services.log.warn({ err: err.message }, "could not count API keys; open mode stands until the database answers");
        this.countFailing = true;
        return 0;
      },
    );
    if (count > 0) this.created();
  }

  private async lookup(token: string): Promise<AuthKey | null> {
    const now = Date.now();
    const hash = hashSecret(token);
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.key;
    this.cache.delete(hash);
    const key = await findActiveKey(this.services, token);
    if (key) {
      if (this.cache.size > 10_000) this.cache.clear(); // bounded: many distinct keys just mean more lookups
      this.cache.set(hash, { key, until: now + this.cacheMs });
    }
    return key;
  }

  private touch(id: string): void {
    const now = Date.now();
    if (now - (this.touched.get(id) ?? 0) < this.touchMs) return;
    this.touched.set(id, now);
    touchKey(this.services, id).catch((err: Error) => this.services.log.warn({ err: err.message }, "could not record an API key's use"));
  }

  /**
   * A revocation heard on the bus ends sessions only once the database confirms it: a forged message (or
   * another deployment's) closes nothing. Ids this process holds nothing for cost no read.
   */
  private async confirmRevoked(id: string): Promise<void> {
    if (!this.sessions.has(id) && ![...this.cache.values()].some((e) => e.key.id === id)) return;
    try {
      for (const revoked of await revokedAmong(this.services, [id])) this.revoked(revoked);
    } catch (err) {
      this.services.log.warn({ err: (err as Error).message }, "could not confirm an API key revocation; the sweep re-checks within cacheMs");
    }
  }

  /** Revocations this process missed on the bus still end the sessions within cacheMs. */
  private async sweep(): Promise<void> {
    try {
      for (const id of await revokedAmong(this.services, [...this.sessions.keys()].filter((id) => id !== OPEN_SESSIONS))) this.revoked(id);
    } catch (err) {
      this.services.log.warn({ err: (err as Error).message }, "API key sweep failed");
    }
  }
}

/** app.start(), except that a refusal to start (AuthStartupError) is one fatal log line and exit code 1 after cleanup. */
export async function listenOrExit(app: App, log: Logger, port: number, host: string, cleanup: () => Promise<void>): Promise<{ url: string; port: number }> {
  try {
    return await app.start(port, host);
  } catch (err) {
    if (!(err instanceof AuthStartupError)) throw err;
    log.fatal({ host }, err.message);
    await cleanup().catch(() => undefined);
    process.exit(1);
  }
}
