import type { RateLimitSpec } from "../domain/rate-limit.ts";
import type { Sql, SqlClient } from "../infra/sql.ts";

// The fixed-window limiter of the shared HTTP resource, shared by every worker process through the
// database: one statement takes a slot atomically. It counts on the database clock, so workers with
// skewed clocks still agree on the window. The limits themselves are changed by the API (services/rate-limits.ts).

export type RateSlot =
  /** A request may go now: it is the count-th of at most `requests` in this window. */
  | { kind: "granted"; count: number; requests: number; windowMs: number; windowEnd: Date }
  /** The window is full: ask again once it has ended, waitMs from now (database clock). */
  | { kind: "wait"; requests: number; windowMs: number; windowEnd: Date; waitMs: number }
  /** No RateLimit row has this name. */
  | { kind: "unknown" };

interface SlotRow {
  requests: number;
  windowMs: number;
  count: number | null;
  windowStart: Date;
  windowEnd: Date;
  waitMs: number;
}

// `lim` computes the window holding clock_timestamp() (epoch-aligned, whole ms), `taken` inserts its row
// with count 1 or adds one to it while count < requests (ON CONFLICT … DO UPDATE … WHERE re-checks the
// locked, latest row version: concurrent takers never exceed the limit). No row at all: unknown name;
// a NULL count: the window is full.
const TAKE_SLOT = `
WITH clock AS (SELECT clock_timestamp() AS now),
lim AS (
  SELECT l.name, l.requests, l."windowMs", clock.now,
         to_timestamp(floor(extract(epoch FROM clock.now) * 1000 / l."windowMs") * l."windowMs" / 1000.0)::timestamptz(3) AS ws
  FROM "RateLimit" l, clock
  WHERE l.name = $1
),
taken AS (
  INSERT INTO "RateWindow" (name, "windowStart", count)
  SELECT name, ws, 1 FROM lim
  ON CONFLICT (name, "windowStart") DO UPDATE SET count = "RateWindow".count + 1
  WHERE "RateWindow".count < (SELECT requests FROM lim)
  RETURNING count
)
SELECT lim.requests, lim."windowMs", (SELECT count FROM taken) AS count, lim.ws AS "windowStart",
       lim.ws + lim."windowMs" * interval '1 millisecond' AS "windowEnd",
       (extract(epoch FROM (lim.ws - lim.now)) * 1000 + lim."windowMs")::float8 AS "waitMs"
FROM lim`;

/** Old windows of a name: bounded per call; a new window's first taker runs it, so at most a few rows wait. */
const DELETE_OLD_WINDOWS = `
DELETE FROM "RateWindow" WHERE (name, "windowStart") IN (
  SELECT name, "windowStart" FROM "RateWindow" WHERE name = $1 AND "windowStart" < $2 LIMIT 100
)`;

/** Takes one slot of the named limit, or says how long its full window lasts. */
export async function takeRateSlot(sql: SqlClient, name: string): Promise<RateSlot> {
  const [row] = await sql.query<SlotRow>(TAKE_SLOT, [name]);
  if (!row) return { kind: "unknown" };
  const base = { requests: row.requests, windowMs: row.windowMs, windowEnd: new Date(row.windowEnd) };
  if (row.count === null) return { kind: "wait", ...base, waitMs: Math.max(0, Number(row.waitMs)) };
  // The first slot of a window: the earlier windows of this name are done with (deleting them is best effort).
  if (row.count === 1) await sql.query(DELETE_OLD_WINDOWS, [name, new Date(row.windowStart)]).catch(() => undefined);
  return { kind: "granted", ...base, count: row.count };
}

export interface RateLimitRow {
  name: string;
  requests: number;
  windowMs: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Creates or changes a limit. A new window length restarts the count (its windows are deleted: their
 * starts no longer line up); a new request count applies to the current window at once.
 */
export function saveRateLimit(sql: Sql, spec: RateLimitSpec): Promise<RateLimitRow> {
  return sql.tx(async (tx) => {
    const [previous] = await tx.query<{ windowMs: number }>(`SELECT "windowMs" FROM "RateLimit" WHERE name = $1 FOR UPDATE`, [spec.name]);
    const [row] = await tx.query<RateLimitRow>(
      `INSERT INTO "RateLimit" (name, requests, "windowMs") VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET requests = EXCLUDED.requests, "windowMs" = EXCLUDED."windowMs", "updatedAt" = CURRENT_TIMESTAMP
       RETURNING name, requests, "windowMs", "createdAt", "updatedAt"`,
      [spec.name, spec.requests, spec.windowMs],
    );
    if (previous?.windowMs !== spec.windowMs) await tx.query(`DELETE FROM "RateWindow" WHERE name = $1`, [spec.name]);
    return row!;
  });
}

/** Deletes a limit and its windows; false when there is no such limit. */
export function deleteRateLimit(sql: Sql, name: string): Promise<boolean> {
  return sql.tx(async (tx) => {
    const removed = await tx.query(`DELETE FROM "RateLimit" WHERE name = $1 RETURNING name`, [name]);
    if (removed.length === 0) return false;
    await tx.query(`DELETE FROM "RateWindow" WHERE name = $1`, [name]);
    return true;
  });
}
