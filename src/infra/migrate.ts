// Runtime migration applier: runs prisma/migrations/*/migration.sql in name order and records them in
// _prisma_migrations exactly as Prisma's schema engine does, so `prisma migrate deploy|status` and
// scripts/migrate.ts agree afterwards. No WASM engine: used by the embedded PGlite default and by tests.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ClientBase, Pool } from "pg";

/** One database session (transactions and session locks must stick): a PGlite, or a pg client via pgMigrationTarget. */
export interface MigrationTarget {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
  /** Runs a multi-statement script (simple query protocol). */
  exec(sql: string): Promise<unknown>;
}

export interface Migration {
  name: string;
  sql: string;
  /** sha256 hex of the file content: what Prisma stores in _prisma_migrations.checksum. */
  checksum: string;
}

/** Resolved from this file, not the cwd, so the embedded default works wherever the process starts. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));

// Prisma's own advisory-lock key: concurrent appliers (test workers) and `prisma migrate deploy`
// serialize with each other instead of racing on CREATE TYPE / CREATE TABLE.
const LOCK_KEY = 72707369;

// Byte-for-byte the table Prisma's schema engine creates (PostgreSQL flavour).
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

/** Adapts a connected pg.Client / PoolClient (a single session). */
export function pgMigrationTarget(client: ClientBase): MigrationTarget {
  return {
    query: (sql, params) => client.query(sql, params),
    exec: (sql) => client.query(sql), // no params -> simple protocol -> multiple statements allowed
  };
}

/** Migration folders in name (= timestamp) order, as the Prisma CLI lists them. */
export async function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(names.map(async (name) => {
    const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
    return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
  }));
}

/**
 * Applies pending migrations; returns the names applied (empty when up to date).
 * Accepts a PGlite, a MigrationTarget, or a pg.Pool (one client is checked out for the whole run).
 */
export async function applyMigrations(db: MigrationTarget | Pool, dir = DEFAULT_MIGRATIONS_DIR): Promise<string[]> {
  if (!("exec" in db)) {
    const client = await db.connect();
    try {
      return await applyMigrations(pgMigrationTarget(client), dir);
    } finally {
      client.release();
    }
  }
  const migrations = await readMigrations(dir);
  // Session lock (not xact): it must span several transactions, one per migration.
  await db.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
  try {
    // Checked under the lock; avoids CREATE ... IF NOT EXISTS notices on every start.
    const { rows: [t] } = await db.query(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`);
    if (!t.present) await db.exec(CREATE_MIGRATIONS_TABLE);
    const { rows } = await db.query(
      `SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL`);
    // A half-applied migration (left by Prisma) needs a human, as with `prisma migrate deploy` (P3009).
    const failed = rows.filter((r) => !r.finished).map((r) => r.migration_name as string);
    if (failed.length) throw new Error(`Failed migrations recorded in _prisma_migrations: ${failed.join(", ")}; resolve them first`);
    const done = new Set(rows.map((r) => r.migration_name as string));
    const applied: string[] = [];
    for (const m of migrations.filter((m) => !done.has(m.name))) {
      // One transaction per migration: a failure leaves neither schema changes nor a history row.
      await db.exec("BEGIN");
      try {
        await db.exec(m.sql);
        await db.query(
          `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
          [randomUUID(), m.checksum, m.name]);
        await db.exec("COMMIT");
      } catch (err) {
        await db.exec("ROLLBACK").catch(() => undefined);
        throw new Error(`Migration ${m.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await db.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => undefined);
  }
}
