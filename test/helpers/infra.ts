import { randomBytes } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { inject } from "vitest";

export const PG_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
/** Overridable so that two checkouts with different migrations can run their tests side by side. */
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
 * A fresh database for one test file, cloned from the migrated template (fast). Databases are kept
 * after the run for debugging and dropped by a global setup an hour later.
 */
export async function createTestDatabase(): Promise<string> {
  // The creation time in the name lets a later run drop left-overs without touching a concurrent run's.
  const name = `${TEST_DB_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString("hex")}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`));
      break;
    } catch (err) {
      // Another run's setup may be reading the template this instant ("being accessed by other users").
      if (attempt >= 10 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return databaseUrl(infra().pgUrl, name);
}
