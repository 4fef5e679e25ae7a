-- CreateEnum
CREATE TYPE "ApiRole" AS ENUM ('VIEWER', 'OPERATOR', 'ADMIN');

-- AlterTable
ALTER TABLE "Execution" ADD COLUMN     "usesResources" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "PlanTask" ADD COLUMN     "resources" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "needsResources" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "resources" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "waitingFor" TEXT,
ADD COLUMN     "waitingOn" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "Resource" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "capacity" DOUBLE PRECISION NOT NULL,
    "allocated" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "costPerUnitSecond" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceAllocation" (
    "id" UUID NOT NULL,
    "resourceId" UUID NOT NULL,
    "amount" DOUBLE PRECISION NOT NULL,
    "amountUsed" DOUBLE PRECISION,
    "costPerUnitSecond" DOUBLE PRECISION NOT NULL,
    "priority" "Priority" NOT NULL,
    "executionId" UUID,
    "taskRunId" UUID,
    "taskKey" TEXT,
    "attempt" INTEGER,
    "label" TEXT,
    "releaseOnPause" BOOLEAN NOT NULL DEFAULT true,
    "allocatedAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3),
    "releasedAt" TIMESTAMPTZ(3),
    "releaseReason" TEXT,
    "cost" DOUBLE PRECISION,

    CONSTRAINT "ResourceAllocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimit" (
    "name" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "windowMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "RateWindow" (
    "name" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RateWindow_pkey" PRIMARY KEY ("name","windowStart")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "ApiRole" NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Resource_name_key" ON "Resource"("name");

-- CreateIndex
CREATE INDEX "Resource_type_idx" ON "Resource"("type");

-- CreateIndex
CREATE INDEX "ResourceAllocation_resourceId_releasedAt_idx" ON "ResourceAllocation"("resourceId", "releasedAt");

-- CreateIndex
CREATE INDEX "ResourceAllocation_executionId_allocatedAt_idx" ON "ResourceAllocation"("executionId", "allocatedAt");

-- CreateIndex
CREATE INDEX "ResourceAllocation_taskRunId_idx" ON "ResourceAllocation"("taskRunId");

-- CreateIndex
CREATE INDEX "ResourceAllocation_expiresAt_idx" ON "ResourceAllocation"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "ApiKey_createdAt_id_idx" ON "ApiKey"("createdAt", "id");

-- AddForeignKey
ALTER TABLE "ResourceAllocation" ADD CONSTRAINT "ResourceAllocation_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceAllocation" ADD CONSTRAINT "ResourceAllocation_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceAllocation" ADD CONSTRAINT "ResourceAllocation_taskRunId_fkey" FOREIGN KEY ("taskRunId") REFERENCES "TaskRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Not expressible in schema.prisma: the pool invariant, guarded by the database itself.
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_allocated_within_capacity" CHECK ("capacity" >= 0 AND "allocated" >= 0 AND "allocated" <= "capacity" + 1e-9);
ALTER TABLE "ResourceAllocation" ADD CONSTRAINT "ResourceAllocation_amount_positive" CHECK ("amount" > 0);
