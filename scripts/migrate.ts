// Offline stand-in for `prisma migrate dev|deploy|status|diff|reset`, driving the WASM schema engine.
// Writes/reads the standard prisma/migrations/<timestamp>_<name>/migration.sql + migration_lock.toml and
// the _prisma_migrations table, so the real Prisma CLI stays compatible with the result.
//
//   tsx scripts/migrate.ts dev --name <name> [--create-only] [--accept-data-loss]
//   tsx scripts/migrate.ts deploy | status | diff | reset
//   target: --url <postgres url> | $DATABASE_URL | postgresql://postgres@127.0.0.1:5432/test,
//           or --pglite <dataDir> ("" or memory:// for in-memory)
//   also: --schema prisma/schema.prisma --migrations prisma/migrations
import fs from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type { MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { loadSchemaEngine, pgliteMigrateFactory, pgMigrateFactory, type MigrateAdapterFactory } from "./schema-engine.js";

const USAGE = "usage: tsx scripts/migrate.ts dev --name <name> [--create-only] | deploy | status | diff | reset"
  + "  [--url <postgres url> | --pglite <dir>] [--schema <file>] [--migrations <dir>]";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    "create-only": { type: "boolean" },
    "accept-data-loss": { type: "boolean" },
    schema: { type: "string", default: "prisma/schema.prisma" },
    migrations: { type: "string", default: "prisma/migrations" },
    url: { type: "string" },
    pglite: { type: "string" },
  },
});
const cmd = positionals[0];
const migrationsDir = path.resolve(values.migrations);
const filters = { externalTables: [], externalEnums: [] };
const LOCK_FILE = "migration_lock.toml";

/** The migrations folder in the shape the Prisma CLI hands to the engine. */
async function migrationsList(): Promise<MigrationList> {
  const lock = await fs.readFile(path.join(migrationsDir, LOCK_FILE), "utf8").catch(() => null);
  const entries = await fs.readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort(); // code-unit order, like the CLI
  const migrationDirectories = await Promise.all(names.map(async (name) => ({
    path: name,
    migrationFile: {
      path: "migration.sql",
      content: await fs.readFile(path.join(migrationsDir, name, "migration.sql"), "utf8").then(
        (value) => ({ tag: "ok" as const, value }),
        (err: Error) => ({ tag: "error" as const, value: err.message })),
    },
  })));
  return { baseDir: migrationsDir, lockfile: { path: LOCK_FILE, content: lock }, migrationDirectories, shadowDbInitScript: "" };
}

if (!["dev", "deploy", "status", "diff", "reset"].includes(cmd ?? "")) {
  console.error(USAGE);
  process.exit(2);
}

const schemaPath = path.resolve(values.schema);
const schemaFiles: [string, string][] = [[schemaPath, await fs.readFile(schemaPath, "utf8")]];
const schema = { files: schemaFiles.map(([p, content]) => ({ path: p, content })) };
const factory: MigrateAdapterFactory = values.pglite !== undefined
  ? await pgliteMigrateFactory(values.pglite)
  : await pgMigrateFactory(values.url ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test");
const engine = await loadSchemaEngine({
  schemaFiles,
  adapterFactory: factory,
  log: (m) => { if (process.env.DEBUG_SCHEMA_ENGINE) console.error(m); },
});

async function deploy(): Promise<string[]> {
  const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: await migrationsList(), filters });
  return appliedMigrationNames;
}

/** SQL that takes the migrations folder (replayed on a shadow database) to schema.prisma. */
async function pendingSql(): Promise<string> {
  const r = await engine.diff({ from: { tag: "migrations", ...(await migrationsList()) }, to: { tag: "schemaDatamodel", ...schema }, script: true, exitCode: null, filters });
  return r.stdout ?? "";
}

try {
  switch (cmd) {
    case "deploy": {
      const applied = await deploy();
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "No pending migrations.");
      break;
    }
    case "status": {
      const d = await engine.diagnoseMigrationHistory({ migrationsList: await migrationsList(), optInToShadowDatabase: false, filters });
      console.log(JSON.stringify(d, null, 2));
      const ok = d.history === null && !d.failedMigrationNames.length && !d.editedMigrationNames.length;
      console.log(ok ? "Database schema is up to date." : "Database is NOT in sync with the migrations folder.");
      if (!ok) process.exitCode = 1; // like `prisma migrate status`
      break;
    }
    case "diff": { // SQL the next `dev` would generate: migrations folder (via shadow DB) -> schema.prisma
      process.stdout.write(await pendingSql());
      break;
    }
    case "reset": { // drop everything, re-apply all migrations
      await engine.reset({ filter: filters });
      console.log(`Reset; applied: ${(await deploy()).join(", ") || "(none)"}`);
      break;
    }
    case "dev": {
      if (!values.name) throw new Error("--name is required");
      const { action } = await engine.devDiagnostic({ migrationsList: await migrationsList(), filters });
      if (action.tag === "reset") throw new Error(`Database needs a reset (run \`reset\`): ${action.reason}`);
      await deploy();
      // The WASM engine's createMigration/evaluateDataLoss cannot build their shadow database from existing
      // migrations ("shadow DB must be provided through an external factory"); diff can. So the migration
      // is the diff, and the data-loss check is the reader's: review the SQL (the CLI prints it).
      const sql = await pendingSql();
      if (!sql.trim() || /^-- This is an empty migration/.test(sql)) {
        console.log("Already in sync, no migration created.");
      } else {
        const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
        const dir = path.join(migrationsDir, `${stamp}_${values.name.replace(/[^A-Za-z0-9_]/g, "_")}`);
        await fs.mkdir(dir, { recursive: true });
        await fs.writeFile(path.join(dir, "migration.sql"), sql);
        await fs.writeFile(path.join(migrationsDir, LOCK_FILE),
          `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n`);
        console.log(`Created ${path.relative(process.cwd(), dir)}/migration.sql — review it for data loss:\n\n${sql}`);
        if (!values["create-only"]) {
          const applied = await deploy();
          if (applied.length) console.log(`Applied: ${applied.join(", ")}`);
        }
      }
      break;
    }
  }
} catch (e) {
  console.error(`Error: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  engine.free();
  await factory.close();
}
// The engine leaves a 10 s timer pending (advisory-lock timeout); don't wait for it.
process.exit(process.exitCode ?? 0);
