-- AlterTable
ALTER TABLE "Execution" ADD COLUMN     "lastCheckpointAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "checkpointIntervalMs" INTEGER;

-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "state" JSONB;

-- CreateTable
CREATE TABLE "Checkpoint" (
    "id" UUID NOT NULL,
    "executionId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedTasks" TEXT[],
    "taskStates" JSONB NOT NULL,
    "variables" JSONB NOT NULL,
    "resourceAllocations" JSONB NOT NULL,

    CONSTRAINT "Checkpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "running" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastHeartbeatAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Checkpoint_executionId_createdAt_idx" ON "Checkpoint"("executionId", "createdAt");

-- CreateIndex
CREATE INDEX "Worker_lastHeartbeatAt_idx" ON "Worker"("lastHeartbeatAt");

-- AddForeignKey
ALTER TABLE "Checkpoint" ADD CONSTRAINT "Checkpoint_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;
