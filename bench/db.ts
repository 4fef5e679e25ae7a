import pg from "pg";
import { applyMigrations, pgMigrationTarget } from "../src/infra/migrate.ts";

// Shared by the benchmarks: each run gets fresh, migrated databases on the same PostgreSQL.

export const BASE = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
export const REDIS = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

export const databaseUrl = (db: string) => Object.assign(new URL(BASE), { pathname: `/${db}` }).toString();

/** Drops and recreates `name`, applies the migrations; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  await applyMigrations(pgMigrationTarget(client));
  await client.end();
  return databaseUrl(name);
}
