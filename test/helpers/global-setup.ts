import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations, pgMigrationTarget, readMigrations } from "../../src/infra/migrate.ts";
import { databaseUrl, dropStaleTestDatabases, PG_URL, reachable, REDIS_URL, TEMPLATE_DB } from "./infra.ts";

const SETUP_LOCK = 72707370;

// Integration tests need PostgreSQL and Redis. Without them they are skipped with a notice, except
// under CI=true, where a missing service fails the run.
export default async function setup(project: TestProject): Promise<void> {
  const [pgUp, redisUp] = await Promise.all([reachable(PG_URL, 5432), reachable(REDIS_URL, 6379)]);
  const missing = [!pgUp && `PostgreSQL (${PG_URL})`, !redisUp && `Redis (${REDIS_URL})`].filter(Boolean).join(" and ");
  if (missing) {
    const reason = `${missing} unreachable`;
    if (process.env.CI === "true") throw new Error(`CI=true requires the integration services: ${reason}`);
    console.warn(`\n  ⚠ SKIPPING integration tests: ${reason}. Start them (see README) or set TEST_DATABASE_URL / TEST_REDIS_URL.\n`);
    project.provide("infra", { available: false, reason, pgUrl: PG_URL, redisUrl: REDIS_URL });
    return;
  }
  // Migrate a template once; each test file clones it (CREATE DATABASE … TEMPLATE), as graphile-worker does.
  // Under a lock, and only when the migrations changed, so concurrent test runs do not pull it away.
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_advisory_lock(${SETUP_LOCK})`);
    // Each test file drops its own databases; these are the left-overs of runs that crashed.
    await dropStaleTestDatabases(admin);
    if (!(await templateCurrent())) {
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(TEMPLATE_DB)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(TEMPLATE_DB)}`);
      const template = new pg.Client({ connectionString: databaseUrl(PG_URL, TEMPLATE_DB) });
      await template.connect();
      try {
        await applyMigrations(pgMigrationTarget(template));
      } finally {
        await template.end();
      }
    }
  } finally {
    await admin.end(); // ends the session: releases the lock
  }
  project.provide("infra", { available: true, reason: "", pgUrl: PG_URL, redisUrl: REDIS_URL });
}

/** The template exists and holds exactly the migrations (names and checksums) in prisma/migrations. */
async function templateCurrent(): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl(PG_URL, TEMPLATE_DB) });
  try {
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    const wanted = await readMigrations();
    return rows.length === wanted.length && rows.every((r, i) => r.migration_name === wanted[i]!.name && r.checksum === wanted[i]!.checksum);
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
