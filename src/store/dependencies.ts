import type { SqlClient } from "../infra/sql.ts";

// Dependencies as counters, so that a finish touches only the dependants of what it satisfied: each run
// keeps its dependants' keys (fixed by the plan) and how many of its dependencies are not yet satisfied
// ("pendingDeps"). The rule the counters keep: pendingDeps is the number of the run's dependencies that
// are not satisfied (domain/dag.ts: completed, skipped, or failed and replaced by a completed fallback).
// A change that satisfies runs calls readyDependants; one that resets runs (retry, restore) recounts.

/** Whether the run `alias` is satisfied: domain/dag.ts's rule, in SQL. */
export const satisfiedSql = (alias: string): string =>
  `(${alias}.status IN ('COMPLETED', 'SKIPPED') OR (${alias}."replacedBy" IS NOT NULL AND EXISTS (
     SELECT 1 FROM "TaskRun" f WHERE f."executionId" = ${alias}."executionId" AND f.key = ${alias}."replacedBy" AND f.status = 'COMPLETED')))`;

/** A run this change satisfied; a completed fallback also satisfies the failed runs it stands in for. */
export interface Satisfied {
  executionId: string;
  key: string;
  fallback: boolean;
}

/**
 * Counts the newly satisfied runs off their dependants' pendingDeps, in one statement; the WAITING
 * regular ones left with none become READY at `now`. Returns how many became READY.
 */
export async function readyDependants(c: SqlClient, satisfied: readonly Satisfied[], now: Date): Promise<number> {
  if (satisfied.length === 0) return 0;
  const becomesReady = `t."pendingDeps" = n.n AND t.status = 'WAITING' AND NOT t.fallback`;
  const rows = await c.query<{ ready: boolean }>(
    `WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x("executionId" uuid, key text, fallback boolean)),
          s AS (SELECT "executionId", key FROM x
                UNION ALL
                SELECT r."executionId", r.key FROM x JOIN "TaskRun" r ON r."executionId" = x."executionId" AND r."replacedBy" = x.key WHERE x.fallback),
          n AS (SELECT r."executionId", d.key, count(*)::int AS n
                  FROM s JOIN "TaskRun" r ON r."executionId" = s."executionId" AND r.key = s.key, unnest(r.dependants) AS d(key)
                 GROUP BY 1, 2)
     UPDATE "TaskRun" t SET "pendingDeps" = t."pendingDeps" - n.n,
            status = CASE WHEN ${becomesReady} THEN 'READY' ELSE t.status END,
            "readyAt" = CASE WHEN ${becomesReady} THEN $2 ELSE t."readyAt" END
       FROM n WHERE t."executionId" = n."executionId" AND t.key = n.key
     RETURNING t.status = 'READY' AND t."pendingDeps" = 0 AS ready`,
    [JSON.stringify(satisfied), now],
  );
  return rows.filter((r) => r.ready).length;
}

/** Counts again the unsatisfied dependencies of an execution's runs (after a reset: retry, restore). */
export async function recountPendingDeps(c: SqlClient, executionId: string): Promise<void> {
  await c.query(
    `UPDATE "TaskRun" t SET "pendingDeps" = (SELECT count(*) FROM "TaskRun" d WHERE d."executionId" = t."executionId" AND d.key = ANY(t."dependsOn") AND NOT ${satisfiedSql("d")})
      WHERE t."executionId" = $1 AND cardinality(t."dependsOn") > 0`,
    [executionId],
  );
}
