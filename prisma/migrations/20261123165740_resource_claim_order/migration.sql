-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "resourcePriority" "Priority",
ADD COLUMN     "unsatisfiable" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "ResourceAllocation" ALTER COLUMN "releaseOnPause" SET DEFAULT false;
