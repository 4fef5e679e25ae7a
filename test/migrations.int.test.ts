import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { readMigrations } from "../src/infra/migrate.ts";
import { modes } from "./helpers/inprocess.ts";
import { createTestDatabase, releaseTestDatabase } from "./helpers/infra.ts";

// The migrations as Prisma's own engine applies them (scripts/migrate.ts drives its WASM build, as
// `prisma migrate deploy` would), not only as the tests' fast path does (src/infra/migrate.ts runs each
// script whole). On PostgreSQL the engine splits a script on every semicolon, comments and dollar-quoted
// blocks included: CI's migrate step failed on a DO block and on a semicolon in a comment. And the schema
// the migrations build is the one prisma/schema.prisma describes.

const run = (...args: string[]) => promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/migrate.ts", ...args], { timeout: 120_000 });

describe.each(modes())("migrations through Prisma's migration engine ($mode)", ({ embedded }) => {
  it("apply one by one, in order, on an empty database, and leave nothing for schema.prisma to add", async () => {
    let url: string | undefined;
    try {
      let target = ["--pglite", ""];
      if (!embedded) {
        url = await createTestDatabase(); // a clone of the migrated template, emptied
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`).finally(() => client.end());
        target = ["--url", url];
      }
      const { stdout } = await run("deploy", ...target);
      expect(stdout.trim()).toBe(`Applied: ${(await readMigrations()).map((m) => m.name).join(", ")}`);
      const diff = await run("diff", ...target);
      expect(diff.stdout.trim()).toBe("-- This is an empty migration.");
    } finally {
      if (url) await releaseTestDatabase(url);
    }
  }, 120_000);
});
