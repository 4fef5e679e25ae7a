-- CreateEnum
CREATE TYPE "MisfirePolicy" AS ENUM ('SKIP', 'RUN_ONCE', 'RUN_ALL');

-- CreateEnum
CREATE TYPE "OverlapPolicy" AS ENUM ('ALLOW', 'SKIP', 'QUEUE', 'CANCEL_PREVIOUS');

-- CreateEnum
CREATE TYPE "AlertOperator" AS ENUM ('GT', 'GTE', 'LT', 'LTE', 'EQ');

-- CreateEnum
CREATE TYPE "TriggerKind" AS ENUM ('METRIC', 'WEBHOOK');

-- AlterTable
ALTER TABLE "Execution" ADD COLUMN     "scheduleId" UUID,
ADD COLUMN     "triggerId" UUID;

-- CreateTable
CREATE TABLE "Schedule" (
    "id" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "name" TEXT,
    "cron" TEXT,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "intervalMs" INTEGER,
    "runAt" TIMESTAMPTZ(3),
    "params" JSONB NOT NULL,
    "priority" "Priority" NOT NULL DEFAULT 'NORMAL',
    "misfirePolicy" "MisfirePolicy" NOT NULL DEFAULT 'RUN_ONCE',
    "overlapPolicy" "OverlapPolicy" NOT NULL DEFAULT 'ALLOW',
    "maxConsecutiveFailures" INTEGER NOT NULL DEFAULT 5,
    "maxExecutionsPerDay" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabledReason" TEXT,
    "nextRunAt" TIMESTAMPTZ(3),
    "lastRunAt" TIMESTAMPTZ(3),
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduleFiring" (
    "id" UUID NOT NULL,
    "scheduleId" UUID NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "executionId" UUID,
    "firedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScheduleFiring_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Trigger" (
    "id" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "kind" "TriggerKind" NOT NULL,
    "name" TEXT,
    "metric" TEXT,
    "operator" "AlertOperator",
    "threshold" DOUBLE PRECISION,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "cooldownMs" INTEGER NOT NULL DEFAULT 0,
    "params" JSONB NOT NULL,
    "priority" "Priority" NOT NULL DEFAULT 'NORMAL',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "secret" TEXT,
    "holdingSince" TIMESTAMPTZ(3),
    "armed" BOOLEAN NOT NULL DEFAULT true,
    "lastFiredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Trigger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MetricSample" (
    "id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "labels" JSONB,
    "executionId" UUID,

    CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "triggerId" UUID NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "executionId" UUID,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("triggerId","deliveryId")
);

-- CreateIndex
CREATE INDEX "Schedule_enabled_nextRunAt_idx" ON "Schedule"("enabled", "nextRunAt");

-- CreateIndex
CREATE INDEX "ScheduleFiring_scheduleId_firedAt_idx" ON "ScheduleFiring"("scheduleId", "firedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduleFiring_scheduleId_dueAt_key" ON "ScheduleFiring"("scheduleId", "dueAt");

-- CreateIndex
CREATE INDEX "Trigger_kind_metric_idx" ON "Trigger"("kind", "metric");

-- CreateIndex
CREATE INDEX "MetricSample_metric_timestamp_idx" ON "MetricSample"("metric", "timestamp");

-- CreateIndex
CREATE INDEX "Execution_scheduleId_createdAt_idx" ON "Execution"("scheduleId", "createdAt");

-- CreateIndex
CREATE INDEX "Execution_triggerId_createdAt_idx" ON "Execution"("triggerId", "createdAt");

-- AddForeignKey
ALTER TABLE "Schedule" ADD CONSTRAINT "Schedule_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduleFiring" ADD CONSTRAINT "ScheduleFiring_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "Schedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Trigger" ADD CONSTRAINT "Trigger_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_triggerId_fkey" FOREIGN KEY ("triggerId") REFERENCES "Trigger"("id") ON DELETE CASCADE ON UPDATE CASCADE;
