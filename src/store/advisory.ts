import type { SqlClient } from "../infra/sql.ts";

/** Takes transaction-level advisory lock `key` if no one holds it (never waits): one worker at a time runs what it guards. */
export async function tryXactLock(c: SqlClient, key: number): Promise<boolean> {
  const [lock] = await c.query<{ leader: boolean }>(`SELECT pg_try_advisory_xact_lock(${key}) AS leader`);
  return lock?.leader === true;
}
