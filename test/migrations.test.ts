import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readMigrations } from "../src/infra/migrate.ts";

// The migrations as Prisma's own engine applies them (scripts/migrate.ts drives its WASM build, as
// `prisma migrate deploy` would), not only as the tests' fast path does (src/infra/migrate.ts runs each
// script whole). The engine splits a script on every semicolon, comments and dollar-quoted blocks
// included: CI's migrate step failed on a DO block and on a semicolon in a comment. And the schema the
// migrations build is the one prisma/schema.prisma describes.

const run = (...args: string[]) => promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/migrate.ts", ...args], { timeout: 120_000 });

describe("migrations through Prisma's migration engine", () => {
  it("apply one by one, in order, on an empty database, and leave nothing for schema.prisma to add", async () => {
    const { stdout } = await run("deploy", "--pglite", "");
    expect(stdout.trim()).toBe(`Applied: ${(await readMigrations()).map((m) => m.name).join(", ")}`);
    const diff = await run("diff", "--pglite", "");
    expect(diff.stdout.trim()).toBe("-- This is an empty migration.");
  }, 120_000);
});
