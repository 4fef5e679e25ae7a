-- Issue 14: stats are tallied in one aggregate, not computed from every task run in the worker. The ETA's
-- critical path needs, per run, the regular tasks on the longest chain of its dependants: fixed by the
-- plan, counted when an execution is created (domain/eta.ts downstreamLengths).
ALTER TABLE "TaskRun" ADD COLUMN "downstream" INTEGER NOT NULL DEFAULT 0;

-- The runs of executions still going: every chain length reachable from each run, one level of
-- dependencies per step. UNION keeps each (run, length) once, so the steps are bounded by the depth of the
-- plan (no DO block: Prisma's migration engine runs a script statement by statement).
WITH RECURSIVE chain(id, length) AS (
  SELECT t.id, 0 FROM "TaskRun" t JOIN "Execution" e ON e.id = t."executionId" AND e.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
  UNION
  SELECT p.id, c.length + CASE WHEN d.fallback THEN 0 ELSE 1 END
    FROM chain c
    JOIN "TaskRun" d ON d.id = c.id
    JOIN "TaskRun" p ON p."executionId" = d."executionId" AND p.key = ANY(d."dependsOn") AND p.key <> d.key
)
UPDATE "TaskRun" t SET downstream = m.length
  FROM (SELECT id, max(length) AS length FROM chain GROUP BY id) m
 WHERE t.id = m.id AND m.length > 0;
