import { createHash, randomBytes } from "node:crypto";
import net from "node:net";
import os from "node:os";
import pg from "pg";
import { inject } from "vitest";

export const PG_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
/** Overridable so that two checkouts with different migrations can run their tests side by side (any name: it is quoted). */
export const TEMPLATE_DB = process.env.TEST_TEMPLATE_DB ?? "engine_test_template";
export const TEST_DB_PREFIX = "engine_t_";

export interface Infra {
  available: boolean;
  reason: string;
  pgUrl: string;
  redisUrl: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    infra: Infra;
  }
}

export const infra = (): Infra => inject("infra");

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort), timeout: 2000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: infra().pgUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Test databases are named `engine_t_<unix seconds>_<pid>_<host>_<random>`: the creating process and host
 * tell a later run whether the run that made one is dead (the seconds come first so that older checkouts,
 * which drop by age, read the name as before).
 */
export const HOST_TAG = createHash("sha256").update(os.hostname()).digest("hex").slice(0, 6);
/** Kept databases carry this comment; no clean-up ever drops them (drop them by hand). */
export const KEPT_COMMENT = "kept by KEEP_TEST_DATABASES";
/** Databases of the legacy `engine_t_<seconds>_<random>` form, and of other hosts, are dropped after this. */
const LEGACY_STALE_AFTER_S = 3600;
const OTHER_HOST_STALE_AFTER_S = 24 * 3600;

/** The databases this process created and has not dropped yet. */
const created = new Set<string>();
let failed = false;

/** A test of this file failed: with KEEP_TEST_DATABASES=1, its databases are kept from now on. */
export function markTestFailed(): void {
  failed = true;
}

/**
 * A fresh database, cloned from the migrated template (fast). It is dropped by `releaseTestDatabase` or,
 * at the latest, when its test file ends (test/helpers/test-databases.ts), also when a test failed.
 */
export async function createTestDatabase(): Promise<string> {
  const name = `${TEST_DB_PREFIX}${Math.floor(Date.now() / 1000)}_${process.pid}_${HOST_TAG}_${randomBytes(4).toString("hex")}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${pg.escapeIdentifier(TEMPLATE_DB)}`));
      break;
    } catch (err) {
      // Another run's setup may be reading the template this instant ("being accessed by other users").
      if (attempt >= 10 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  created.add(name);
  return databaseUrl(infra().pgUrl, name);
}

/**
 * Drops a database made by createTestDatabase (terminating its sessions), unless KEEP_TEST_DATABASES=1
 * and a test of this file failed: then it is marked kept and its name printed.
 */
export async function releaseTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!created.delete(name)) return;
  if (failed && process.env.KEEP_TEST_DATABASES === "1") {
    await withAdmin((c) => c.query(`COMMENT ON DATABASE ${name} IS '${KEPT_COMMENT}'`));
    console.warn(`  kept test database ${name} (KEEP_TEST_DATABASES=1); drop it with: psql -c 'DROP DATABASE ${name}'`);
    return;
  }
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Releases every database this process still holds (at the end of each test file). */
export async function releaseTestDatabases(): Promise<void> {
  for (const name of [...created]) await releaseTestDatabase(databaseUrl(infra().pgUrl, name));
}

/** The test databases named as created by this process (for tests of the clean-up itself). */
export function ownTestDatabasePattern(): string {
  return `${TEST_DB_PREFIX}%\_${process.pid}\_${HOST_TAG}\_%`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/** Whether `datname` is a left-over of a dead run: safe to drop while other runs use the same server. */
export function staleTestDatabase(datname: string, nowS: number): boolean {
  const parts = datname.slice(TEST_DB_PREFIX.length).split("_");
  const createdS = Number(parts[0]);
  if (!Number.isInteger(createdS)) return false;
  if (parts.length === 2) return createdS < nowS - LEGACY_STALE_AFTER_S;
  if (parts.length !== 4) return false;
  const [, pid, host] = parts;
  if (host !== HOST_TAG) return createdS < nowS - OTHER_HOST_STALE_AFTER_S;
  return !alive(Number(pid));
}

/** Drops the test databases of dead runs (not kept ones); returns their names. */
export async function dropStaleTestDatabases(admin: pg.Client): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string; comment: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE starts_with(datname, $1)`,
    [TEST_DB_PREFIX],
  );
  const now = Math.floor(Date.now() / 1000);
  const stale = rows.filter((r) => r.comment !== KEPT_COMMENT && staleTestDatabase(r.datname, now)).map((r) => r.datname);
  for (const name of stale) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  return stale;
}
