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

export type Listener = (payload: string) => void;

export interface Db {
  kind: "postgres" | "pglite";
  prisma: PrismaClient;
  sql: Sql;
  /** LISTEN on a channel; resolves to an unlisten function. */
  listen(channel: string, onNotify: Listener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface PostgresOptions {
  url: string;
  log: Logger;
  /** An externally built pool (tests count statements through a custom Client class). */
  pool?: pg.Pool;
  poolSize?: number;
}

export function connectPostgres({ url, log, pool: given, poolSize = 10 }: PostgresOptions): Db {
  const pool = given ?? new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection (Postgres restart) must not crash the process.
  pool.on("error", (err) => log.warn({ err: err.message }, "postgres idle client error"));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sql: Sql = {
    query: async (text, params) => (await pool.query(text, params)).rows,
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({ query: async (text, params) => (await client.query(text, params)).rows });
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
  const listeners = new Set<pg.Client>();
  return {
    kind: "postgres",
    prisma,
    sql,
    async listen(channel, onNotify) {
      // A dedicated connection: pooled clients cannot hold a LISTEN.
      const client = new pg.Client({ connectionString: url });
      client.on("error", (err) => log.warn({ err: err.message, channel }, "listen connection error"));
      client.on("notification", (n) => n.channel === channel && onNotify(n.payload ?? ""));
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.add(client);
      return async () => {
        listeners.delete(client);
        await client.end().catch(() => undefined);
      };
    },
    async close() {
      await Promise.all([...listeners].map((c) => c.end().catch(() => undefined)));
      await prisma.$disconnect();
      if (!given) await pool.end();
    },
  };
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
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = dataDir ? new PGlite(path.resolve(dataDir)) : new PGlite();
  await db.waitReady;
  await applyMigrations(db);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  const client = (q: Pick<PGlite, "query">): SqlClient => ({
    query: async (text, params) => (await q.query<never>(text, params)).rows,
  });
  return {
    kind: "pglite",
    prisma,
    sql: { ...client(db), tx: (fn) => db.transaction((t) => fn(client(t))) },
    listen: async (channel, onNotify) => {
      const unlisten = await db.listen(channel, onNotify);
      return async () => unlisten();
    },
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
