-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ExecutionEventType" ADD VALUE 'EXECUTION_QUEUED';
ALTER TYPE "ExecutionEventType" ADD VALUE 'EXECUTION_PAUSE_REQUESTED';
ALTER TYPE "ExecutionEventType" ADD VALUE 'EXECUTION_RETRIED';
ALTER TYPE "ExecutionEventType" ADD VALUE 'TASK_SKIPPED';

-- AlterTable
ALTER TABLE "Execution" ADD COLUMN     "deadlineAt" TIMESTAMPTZ(3),
ADD COLUMN     "dependsOn" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "frozenDeadlineMs" INTEGER,
ADD COLUMN     "idempotencyKey" TEXT,
ADD COLUMN     "maxParallelism" INTEGER,
ADD COLUMN     "pauseRequested" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "runAt" TIMESTAMPTZ(3),
ADD COLUMN     "timeoutMs" INTEGER;

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "maxConcurrentExecutions" INTEGER,
ADD COLUMN     "maxParallelism" INTEGER,
ADD COLUMN     "retryPolicy" JSONB;

-- AlterTable
ALTER TABLE "PlanTask" ADD COLUMN     "fallback" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "recovery" JSONB,
ADD COLUMN     "retryPolicy" JSONB;

-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "attemptBase" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "fallback" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "frozenDelayMs" INTEGER,
ADD COLUMN     "metrics" JSONB,
ADD COLUMN     "nextAttemptAt" TIMESTAMPTZ(3),
ADD COLUMN     "phase" TEXT,
ADD COLUMN     "progress" DOUBLE PRECISION,
ADD COLUMN     "recovery" JSONB,
ADD COLUMN     "replacedBy" TEXT,
ADD COLUMN     "retryPolicy" JSONB;

-- CreateTable
CREATE TABLE "TaskAttempt" (
    "id" UUID NOT NULL,
    "taskRunId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" "TaskStatus" NOT NULL,
    "worker" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3) NOT NULL,
    "error" JSONB,

    CONSTRAINT "TaskAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TaskAttempt_taskRunId_attempt_key" ON "TaskAttempt"("taskRunId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "Execution_planId_idempotencyKey_key" ON "Execution"("planId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "TaskAttempt" ADD CONSTRAINT "TaskAttempt_taskRunId_fkey" FOREIGN KEY ("taskRunId") REFERENCES "TaskRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
