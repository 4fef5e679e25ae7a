import { defineConfig } from "prisma/config";

// Offline: the Prisma CLI insists that a native schema-engine binary exists even for `generate`, which
// never runs it. Migrations go through scripts/migrate.ts (WASM engine) and src/infra/migrate.ts instead.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test" },
});
