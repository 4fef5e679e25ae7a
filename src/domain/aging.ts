import { PRIORITIES, type Priority } from "./status.ts";

// Priority aging: a ready task climbs one priority level per `stepMs` it has waited, so a steady stream
// of CRITICAL work can delay IDLE work by at most 4 steps, never starve it. Lower rank = claimed first.

/** CRITICAL 0, HIGH 1, NORMAL 2, LOW 3, IDLE 4. */
export function priorityRank(p: Priority): number {
  const rank = PRIORITIES.indexOf(p);
  if (rank < 0) throw new RangeError(`unknown priority "${String(p)}"`);
  return rank;
}

/**
 * max(0, rank − floor(max(0, now − readyAt) / stepMs)). A readyAt in the future counts as no wait
 * (clock skew between workers must not lower a task's rank). stepMs = Infinity turns aging off.
 */
export function effectiveRank(p: Priority, readyAt: Date, now: Date, stepMs: number): number {
  if (!(stepMs > 0)) throw new RangeError(`aging step must be > 0 ms, got ${stepMs}`);
  const waited = Math.max(0, now.getTime() - readyAt.getTime());
  return Math.max(0, priorityRank(p) - Math.floor(waited / stepMs));
}

/**
 * effectiveRank as a PostgreSQL expression, for the claim query's ORDER BY. Arguments are SQL
 * fragments (`t.priority`, `t."readyAt"`, `$2::timestamptz`, `$3::int`) inserted verbatim, so never
 * pass user input. The rank comes from the "Priority" enum's declaration order (CRITICAL..IDLE, as
 * PRIORITIES). Both greatest(0, …) mirror the TS: no negative wait, no rank below 0; greatest ignores
 * NULL, so a NULL readyAt counts as no wait. The result is numeric (floor of a numeric), so long waits
 * cannot overflow an int.
 *
 * The unit test pins the exact string; test/queue.int.test.ts runs it in Postgres and checks that SQL
 * and TS agree.
 */
export function effectiveRankSql(priorityCol: string, readyAtCol: string, nowParam: string, stepParam: string): string {
  const rank = `(array_position(enum_range(NULL::"Priority"), ${priorityCol}) - 1)`;
  const waitedMs = `greatest(0, extract(epoch from (${nowParam} - ${readyAtCol})) * 1000)`;
  return `greatest(0, ${rank} - floor(${waitedMs} / ${stepParam}))`;
}
