import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations, pgMigrationTarget } from "../../src/infra/migrate.ts";
import { databaseUrl, PG_URL, reachable, REDIS_URL, TEMPLATE_DB, TEST_DB_PREFIX } from "./infra.ts";

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
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${TEST_DB_PREFIX}%`]);
    for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const template = new pg.Client({ connectionString: databaseUrl(PG_URL, TEMPLATE_DB) });
  await template.connect();
  try {
    await applyMigrations(pgMigrationTarget(template));
  } finally {
    await template.end();
  }
  project.provide("infra", { available: true, reason: "", pgUrl: PG_URL, redisUrl: REDIS_URL });
}
