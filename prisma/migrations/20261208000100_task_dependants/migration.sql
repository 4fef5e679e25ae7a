-- Issue 14: a finish touches only the dependants of what it satisfied, not every run of the execution.
-- "dependants": the keys of the tasks that depend on this one (fixed by the plan). "pendingDeps": how many
-- of its dependencies are not yet satisfied (completed, skipped, or failed and replaced by a completed
-- fallback). A WAITING regular run whose count reaches 0 becomes READY (store/dependencies.ts).
ALTER TABLE "TaskRun" ADD COLUMN "dependants" TEXT[] NOT NULL DEFAULT '{}',
                      ADD COLUMN "pendingDeps" INTEGER NOT NULL DEFAULT 0;

UPDATE "TaskRun" t SET dependants = d.keys
  FROM (SELECT p.id, array_agg(c.key ORDER BY c.position) AS keys
          FROM "TaskRun" p
          JOIN "TaskRun" c ON c."executionId" = p."executionId" AND p.key = ANY(c."dependsOn") AND c.key <> p.key
         GROUP BY p.id) d
 WHERE t.id = d.id;

UPDATE "TaskRun" t SET "pendingDeps" = (
  SELECT count(*) FROM "TaskRun" d
   WHERE d."executionId" = t."executionId" AND d.key = ANY(t."dependsOn") AND d.key <> t.key
     AND NOT (d.status IN ('COMPLETED', 'SKIPPED')
              OR (d."replacedBy" IS NOT NULL AND EXISTS (SELECT 1 FROM "TaskRun" f WHERE f."executionId" = d."executionId" AND f.key = d."replacedBy" AND f.status = 'COMPLETED'))))
 WHERE cardinality(t."dependsOn") > 0;
