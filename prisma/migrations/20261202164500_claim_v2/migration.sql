-- Claim v2 (issue 14). A run whose execution or plan has a concurrency limit, or that needs resources,
-- is "limited": claims weigh it against those limits. Every other run is claimed by walking
-- "TaskRun_ready_idx" per priority in readiness order and "TaskRun_retry_idx" up to now, FOR UPDATE
-- SKIP LOCKED, stopping at the batch size: the cost of a claim does not grow with the queue. The
-- indexes are partial, which Prisma's schema cannot express: they live in migrations only.
ALTER TABLE "TaskRun" ADD COLUMN "limited" BOOLEAN NOT NULL DEFAULT false;

UPDATE "TaskRun" t SET "limited" = true
  FROM "Execution" e JOIN "Plan" p ON p.id = e."planId"
 WHERE e.id = t."executionId"
   AND (t."needsResources" OR e."maxParallelism" IS NOT NULL OR p."maxConcurrentExecutions" IS NOT NULL);

CREATE INDEX "TaskRun_ready_idx" ON "TaskRun" ("priority", "readyAt", "position")
  WHERE "status" = 'READY' AND NOT "limited";

CREATE INDEX "TaskRun_retry_idx" ON "TaskRun" ("nextAttemptAt")
  WHERE "status" = 'RETRYING' AND NOT "limited";

CREATE INDEX "TaskRun_limited_idx" ON "TaskRun" ("executionId")
  WHERE "status" IN ('READY', 'RETRYING') AND "limited";
