-- CreateEnum
CREATE TYPE "Priority" AS ENUM ('CRITICAL', 'HIGH', 'NORMAL', 'LOW', 'IDLE');

-- CreateEnum
CREATE TYPE "ExecutionStatus" AS ENUM ('SCHEDULED', 'PENDING', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('WAITING', 'READY', 'RUNNING', 'RETRYING', 'COMPLETED', 'FAILED', 'TIMED_OUT', 'SKIPPED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ExecutionEventType" AS ENUM ('EXECUTION_SCHEDULED', 'EXECUTION_STARTED', 'EXECUTION_COMPLETED', 'EXECUTION_FAILED', 'EXECUTION_PAUSED', 'EXECUTION_RESUMED', 'EXECUTION_CANCELLED', 'TASK_STARTED', 'TASK_COMPLETED', 'TASK_FAILED', 'TASK_RETRYING', 'TASK_RELEASED', 'RESOURCE_ALLOCATED', 'RESOURCE_RELEASED', 'CHECKPOINT_CREATED', 'RECOVERY_INITIATED');

-- CreateEnum
CREATE TYPE "MessageLevel" AS ENUM ('DEBUG', 'INFO', 'WARNING', 'ERROR');

-- CreateTable
CREATE TABLE "Plan" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanTask" (
    "id" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "handler" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "dependsOn" TEXT[],
    "priority" "Priority",
    "timeoutMs" INTEGER,

    CONSTRAINT "PlanTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Execution" (
    "id" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "status" "ExecutionStatus" NOT NULL DEFAULT 'PENDING',
    "priority" "Priority" NOT NULL DEFAULT 'NORMAL',
    "params" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "result" JSONB,
    "error" JSONB,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "stats" JSONB NOT NULL,

    CONSTRAINT "Execution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskRun" (
    "id" UUID NOT NULL,
    "executionId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "handler" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "dependsOn" TEXT[],
    "priority" "Priority" NOT NULL,
    "timeoutMs" INTEGER,
    "status" "TaskStatus" NOT NULL DEFAULT 'WAITING',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "readyAt" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "output" JSONB,
    "error" JSONB,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMPTZ(3),

    CONSTRAINT "TaskRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExecutionEvent" (
    "id" UUID NOT NULL,
    "executionId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" "ExecutionEventType" NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "taskKey" TEXT,
    "message" TEXT NOT NULL,
    "data" JSONB,
    "status" "ExecutionStatus" NOT NULL,
    "stats" JSONB NOT NULL,

    CONSTRAINT "ExecutionEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExecutionMessage" (
    "id" UUID NOT NULL,
    "executionId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "level" "MessageLevel" NOT NULL,
    "message" TEXT NOT NULL,
    "taskKey" TEXT,
    "context" JSONB,
    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExecutionMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Plan_createdAt_id_idx" ON "Plan"("createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "PlanTask_planId_key_key" ON "PlanTask"("planId", "key");

-- CreateIndex
CREATE INDEX "Execution_createdAt_id_idx" ON "Execution"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Execution_planId_createdAt_idx" ON "Execution"("planId", "createdAt");

-- CreateIndex
CREATE INDEX "Execution_status_createdAt_idx" ON "Execution"("status", "createdAt");

-- CreateIndex
CREATE INDEX "TaskRun_status_priority_readyAt_idx" ON "TaskRun"("status", "priority", "readyAt");

-- CreateIndex
CREATE UNIQUE INDEX "TaskRun_executionId_key_key" ON "TaskRun"("executionId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "ExecutionEvent_executionId_seq_key" ON "ExecutionEvent"("executionId", "seq");

-- CreateIndex
CREATE INDEX "ExecutionMessage_executionId_seq_idx" ON "ExecutionMessage"("executionId", "seq");

-- AddForeignKey
ALTER TABLE "PlanTask" ADD CONSTRAINT "PlanTask_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Execution" ADD CONSTRAINT "Execution_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskRun" ADD CONSTRAINT "TaskRun_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExecutionEvent" ADD CONSTRAINT "ExecutionEvent_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExecutionMessage" ADD CONSTRAINT "ExecutionMessage_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;
