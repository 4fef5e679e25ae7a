import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../../generated/prisma/client.ts";
import type { Logger } from "./logger.ts";
import type { Sql, SqlClient } from "./sql.ts";
import { applyMigrations, pgMigrationTarget } from "./migrate.ts";
import { createTxGuard } from "./tx-guard.ts";
import { storableParams } from "./storable.ts";

export type Listener = (payload: string) => void;

export interface Db {
  kind: "postgres" | "pglite";
  prisma: PrismaClient;
  sql: Sql;
  /**
   * LISTEN on a channel; resolves to an unlisten function. A lost connection is restored by itself, after
   * which onNotify is called once with an empty payload: notifications sent meanwhile are lost.
   */
  listen(channel: string, onNotify: Listener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface PostgresOptions {
  url: string;
  log: Logger;
  /** An externally built pool (tests count statements through a custom Client class). */
  pool?: pg.Pool;
  poolSize?: number;
  /** Statements outside an open transaction's connection throw (src/infra/tx-guard.ts). */
  txGuard?: boolean;
}

/** Statement texts given a name (so each connection parses and plans them once), at most this many. */
export const MAX_PREPARED = 1000;
const statementNames = new Map<string, string>();

/**
 * A query as a named (prepared) statement: PostgreSQL parses it once per connection and, after a few
 * runs, reuses a generic plan, which saves most of the planning the hot path's statements cost. Texts
 * past MAX_PREPARED run unnamed, so a stream of distinct texts cannot grow the per-connection caches.
 */
export function prepared(text: string, values: unknown[] | undefined): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_PREPARED) statementNames.set(text, (name = `s${createHash("sha1").update(text).digest("hex").slice(0, 20)}`));
  return name === undefined ? { text, values } : { name, text, values };
}

export function connectPostgres({ url, log, pool: given, poolSize = 10, txGuard = false }: PostgresOptions): Db {
  const pool = given ?? new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection (Postgres restart) must not crash the process.
  pool.on("error", (err) => log.warn({ err: err.message }, "postgres idle client error"));
  const guard = createTxGuard(txGuard);
  const prisma = new PrismaClient({ adapter: guard.wrapAdapter(new PrismaPg(pool)) });
  const sql: Sql = {
    query: async (text, params) => {
      guard.check("a pool statement");
      return (await pool.query(prepared(text, storableParams(text, params)))).rows;
    },
    tx: (fn) => guard.inTx(async () => {
      const client = await pool.connect();
      // A checked-out client has no pool listener: without this one, the server closing the connection
      // between two statements (a restart) would be an uncaught 'error' event.
      const onError = (err: Error) => log.warn({ err: err.message }, "postgres connection lost in a transaction");
      client.on("error", onError);
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await fn({ query: async (text, params) => (await client.query(prepared(text, storableParams(text, params)))).rows });
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch((e: Error) => (broken = e));
        throw err;
      } finally {
        client.removeListener("error", onError);
        client.release(broken); // a connection that cannot even roll back leaves the pool
      }
    }),
  };
  const listening = new Set<() => Promise<void>>();
  return {
    kind: "postgres",
    prisma,
    sql,
    async listen(channel, onNotify) {
      const unlisten = await listenReconnecting({ url, channel, onNotify, log });
      const stop = async () => {
        listening.delete(stop);
        await unlisten();
      };
      listening.add(stop);
      return stop;
    },
    async close() {
      await Promise.all([...listening].map((stop) => stop()));
      await prisma.$disconnect();
      if (!given) await pool.end();
    },
  };
}

/**
 * LISTEN on a dedicated connection (pooled clients cannot hold one) that comes back by itself: when the
 * connection is lost (PostgreSQL restarted), it reconnects with backoff, LISTENs again and then calls
 * onNotify once with an empty payload, since notifications sent meanwhile are lost. The first connection
 * must succeed (a worker does not start without its database).
 */
async function listenReconnecting({ url, channel, onNotify, log }: { url: string; channel: string; onNotify: Listener; log: Logger }): Promise<() => Promise<void>> {
  let current: pg.Client | null = null;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const lost = (client: pg.Client, err?: Error) => {
    if (closed || current !== client) return;
    current = null;
    log.warn({ err: err?.message, channel }, "listen connection lost; reconnecting");
    void client.end().catch(() => undefined);
    reconnect();
  };

  const open = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url, keepAlive: true });
    let up = false;
    let down: Error | null = null;
    const onDown = (err?: Error) => {
      if (down) return;
      down = err ?? new Error("listen connection ended");
      if (up) lost(client, err);
    };
    client.on("error", onDown);
    client.on("end", () => onDown());
    client.on("notification", (n) => n.channel === channel && onNotify(n.payload ?? ""));
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (down) throw down;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    up = true;
    return client;
  };

  const reconnect = () => {
    if (closed) return;
    const delayMs = Math.min(5000, 100 * 2 ** failures);
    retryTimer = setTimeout(() => {
      open().then(
        (client) => {
          if (closed) return void client.end().catch(() => undefined);
          current = client;
          failures = 0;
          log.info({ channel }, "listen connection restored");
          onNotify(""); // whatever was notified while the connection was down is lost: look once
        },
        (err: Error) => {
          failures += 1;
          log.warn({ err: err.message, channel, failures }, "listen reconnect failed; retrying");
          reconnect();
        },
      );
    }, delayMs);
  };

  current = await open();
  return async () => {
    closed = true;
    clearTimeout(retryTimer);
    const client = current;
    current = null;
    await client?.end().catch(() => undefined);
  };
}

const TRANSIENT_PG_CODES = new Set(["57P01", "57P02", "57P03", "53300", "40001", "40P01"]);
const TRANSIENT_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ENOTCONN"]);
const TRANSIENT_MESSAGES = /Connection terminated|not queryable|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)|terminating connection/i;

/** A lost or refused connection, a server restart, or a serialization conflict: worth retrying as is. */
export function isTransientDbError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (code.startsWith("08") || TRANSIENT_PG_CODES.has(code) || TRANSIENT_NODE_CODES.has(code))) return true;
    if (typeof message === "string" && TRANSIENT_MESSAGES.test(message)) return true;
  }
  return false;
}

/**
 * Runs fn, retrying the errors `retryable` accepts (default: transient database errors) with backoff
 * (baseDelayMs doubling to 2 s) for up to forMs; any other error, one past that time, or an aborted
 * signal ends it with the error.
 */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  opts: { forMs: number; log: Logger; what: string; baseDelayMs?: number; retryable?: (err: unknown) => boolean; signal?: AbortSignal; context?: object },
): Promise<T> {
  const { forMs, log, what, baseDelayMs = 100, retryable = isTransientDbError, signal, context } = opts;
  const giveUpAt = Date.now() + forMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const delayMs = Math.min(2000, baseDelayMs * 2 ** attempt);
      if (!retryable(err) || signal?.aborted || Date.now() + delayMs > giveUpAt) throw err;
      if (attempt === 0) log.warn({ err: (err as Error).message, ...context }, `database unavailable; retrying to ${what}`);
      await new Promise<void>((resolve) => {
        const done = () => (clearTimeout(timer), signal?.removeEventListener("abort", done), resolve());
        const timer = setTimeout(done, delayMs);
        signal?.addEventListener("abort", done, { once: true });
      });
    }
  }
}

export async function migratePostgres(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await applyMigrations(pgMigrationTarget(client));
  } finally {
    await client.end();
  }
}

/** The embedded default: PGlite under dataDir, created and migrated on first start. */
export async function openPglite(dataDir: string | undefined, { txGuard = false }: { txGuard?: boolean } = {}): Promise<Db> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = dataDir ? new PGlite(path.resolve(dataDir)) : new PGlite();
  await db.waitReady;
  await applyMigrations(db);
  // PGlite runs one transaction at a time: a statement outside an open one waits for it forever.
  const guard = createTxGuard(txGuard);
  const prisma = new PrismaClient({ adapter: guard.wrapAdapter(new PrismaPGlite(db)) });
  const client = (q: Pick<PGlite, "query">): SqlClient => ({
    query: async (text, params) => (await q.query<never>(text, storableParams(text, params))).rows,
  });
  return {
    kind: "pglite",
    prisma,
    sql: {
      query: (text, params) => {
        guard.check("a statement");
        return client(db).query(text, params);
      },
      tx: (fn) => guard.inTx(() => db.transaction((t) => fn(client(t)))),
    },
    listen: async (channel, onNotify) => {
      const unlisten = await db.listen(channel, guard.detach(onNotify));
      return async () => unlisten();
    },
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
