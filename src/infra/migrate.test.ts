import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "./migrate.ts";

describe("applyMigrations (PGlite in memory)", () => {
  let db: PGlite;
  beforeAll(async () => { db = new PGlite(); await db.waitReady; }, 30_000);
  afterAll(async () => { await db.close(); });

  it("applies every migration once and records Prisma-compatible rows", async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(await applyMigrations(db)).toEqual(migrations.map((m) => m.name));
    expect(await applyMigrations(db)).toEqual([]);
    const { rows } = await db.query<{ migration_name: string; checksum: string; applied_steps_count: number; finished: boolean }>(
      `SELECT migration_name, checksum, applied_steps_count, finished_at IS NOT NULL AS finished
       FROM _prisma_migrations ORDER BY migration_name`);
    expect(rows).toEqual(migrations.map((m) => ({
      migration_name: m.name,
      checksum: createHash("sha256").update(m.sql).digest("hex"),
      applied_steps_count: 1,
      finished: true,
    })));
  }, 30_000);

  it("rolls back a failing migration without recording it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "migrations-"));
    try {
      await mkdir(path.join(dir, "1_bad"));
      await writeFile(path.join(dir, "1_bad", "migration.sql"), `CREATE TABLE "Half" (id int);\nSELECT no_such_fn();\n`);
      await expect(applyMigrations(db, dir)).rejects.toThrow(/1_bad failed/);
      const { rows } = await db.query(`SELECT to_regclass('"Half"') IS NULL AS gone,
        (SELECT count(*)::int FROM _prisma_migrations WHERE migration_name = '1_bad') AS recorded`);
      expect(rows).toEqual([{ gone: true, recorded: 0 }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
