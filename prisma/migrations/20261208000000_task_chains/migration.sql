-- Issue 14: a run's end touches only its own dependants, and the stats come from one aggregate.
-- "dependants": the keys of the tasks that depend on this one. "pendingDeps": how many of its
-- dependencies are not yet satisfied (completed, skipped, or failed and replaced by a completed
-- fallback). A WAITING regular run whose count reaches 0 becomes READY (store/dependencies.ts).
-- "downstream": the regular tasks on the longest chain of its dependants, the ETA's critical path
-- (domain/eta.ts). All three are fixed by the plan, or kept by the engine, from an execution's creation.
-- No DO block and no semicolon in a comment: Prisma's migration engine splits a script on each one.
ALTER TABLE "TaskRun" ADD COLUMN "downstream" INTEGER NOT NULL DEFAULT 0,
                      ADD COLUMN "dependants" TEXT[] NOT NULL DEFAULT '{}',
                      ADD COLUMN "pendingDeps" INTEGER NOT NULL DEFAULT 0;

-- dependsOn read the other way round, joined on the unique (executionId, key).
UPDATE "TaskRun" t SET dependants = d.keys
  FROM (SELECT p.id, array_agg(c.key ORDER BY c.position) AS keys
          FROM "TaskRun" c
          CROSS JOIN LATERAL unnest(c."dependsOn") AS dep(key)
          JOIN "TaskRun" p ON p."executionId" = c."executionId" AND p.key = dep.key AND p.key <> c.key
         GROUP BY p.id) d
 WHERE t.id = d.id;

UPDATE "TaskRun" t SET "pendingDeps" = (
  SELECT count(*) FROM unnest(t."dependsOn") AS dep(key)
    JOIN "TaskRun" d ON d."executionId" = t."executionId" AND d.key = dep.key AND d.key <> t.key
   WHERE NOT (d.status IN ('COMPLETED', 'SKIPPED')
              OR (d."replacedBy" IS NOT NULL AND EXISTS (SELECT 1 FROM "TaskRun" f WHERE f."executionId" = d."executionId" AND f.key = d."replacedBy" AND f.status = 'COMPLETED'))))
 WHERE cardinality(t."dependsOn") > 0;

-- From the sinks up, one level of dependencies per step, for every execution (an ended one may be
-- retried or restored). UNION keeps each (run, length) once, so the steps are bounded by the plan's depth.
WITH RECURSIVE chain(id, length) AS (
  SELECT id, 0 FROM "TaskRun" WHERE dependants = '{}'
  UNION
  SELECT p.id, c.length + CASE WHEN d.fallback THEN 0 ELSE 1 END
    FROM chain c
    JOIN "TaskRun" d ON d.id = c.id
    CROSS JOIN LATERAL unnest(d."dependsOn") AS dep(key)
    JOIN "TaskRun" p ON p."executionId" = d."executionId" AND p.key = dep.key AND p.key <> d.key
)
UPDATE "TaskRun" t SET downstream = m.length
  FROM (SELECT id, max(length) AS length FROM chain GROUP BY id) m
 WHERE t.id = m.id AND m.length > 0;
