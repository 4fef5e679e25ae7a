-- Issue 14: stats are tallied in one aggregate, not computed from every task run in the worker. The ETA's
-- critical path needs, per run, the regular tasks on the longest chain of its dependants: fixed by the
-- plan, counted when an execution is created (domain/eta.ts downstreamLengths).
ALTER TABLE "TaskRun" ADD COLUMN "downstream" INTEGER NOT NULL DEFAULT 0;

-- The runs of executions still going, one level of dependants per pass (a sink keeps 0).
DO $$
DECLARE
  changed integer;
BEGIN
  LOOP
    UPDATE "TaskRun" t SET downstream = d.length
      FROM (SELECT p.id, max(c.downstream + CASE WHEN c.fallback THEN 0 ELSE 1 END) AS length
              FROM "TaskRun" p
              JOIN "Execution" e ON e.id = p."executionId" AND e.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
              JOIN "TaskRun" c ON c."executionId" = p."executionId" AND p.key = ANY(c."dependsOn") AND c.key <> p.key
             GROUP BY p.id) d
     WHERE t.id = d.id AND t.downstream < d.length;
    GET DIAGNOSTICS changed = ROW_COUNT;
    EXIT WHEN changed = 0;
  END LOOP;
END $$;
