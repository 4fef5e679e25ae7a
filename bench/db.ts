import pg from "pg";
import { applyMigrations, pgMigrationTarget } from "../src/infra/migrate.ts";

// Shared by the benchmarks: each run gets fresh, migrated databases on the same PostgreSQL.

export const BASE = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
export const REDIS = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

export const databaseUrl = (db: string) => Object.assign(new URL(BASE), { pathname: `/${db}` }).toString();

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` on a connection of its own to `url`. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `fn` on a connection to BASE's database (for CREATE/DROP DATABASE and the shared statistics views). */
export const withAdmin = <T>(fn: (admin: pg.Client) => Promise<T>) => withClient(BASE, fn);

/** Drops and recreates `name`, empty; returns its URL. */
export async function emptyDatabase(name: string): Promise<string> {
  await withAdmin(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  });
  return databaseUrl(name);
}

/** Drops and recreates `name`, applies the migrations; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  const url = await emptyDatabase(name);
  await withClient(url, (client) => applyMigrations(pgMigrationTarget(client)));
  return url;
}

export const dropDatabase = (name: string) => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
