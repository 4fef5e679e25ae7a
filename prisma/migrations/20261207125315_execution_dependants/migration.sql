-- AlterTable
ALTER TABLE "Execution" ADD COLUMN     "hasDependants" BOOLEAN NOT NULL DEFAULT false;

-- Existing executions that some execution depends on.
UPDATE "Execution" e SET "hasDependants" = true WHERE EXISTS (SELECT 1 FROM "Execution" d WHERE e.id = ANY(d."dependsOn"));
