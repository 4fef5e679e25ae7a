import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startInProcess } from "./helpers/inprocess.ts";
import { dropStaleTestDatabases, HOST_TAG, infra, KEPT_COMMENT, ownTestDatabasePattern, TEST_DB_PREFIX, withAdmin } from "./helpers/infra.ts";

// The suite cleans up the databases it creates, also when a test fails, and keeps them only when asked.

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const hasPg = () => infra().available;

const databases = (like: string) =>
  withAdmin(async (c) => (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1`, [like])).rows.map((r) => r.datname));

/** A pid that belonged to a process that has exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    child.once("error", reject);
    child.once("exit", () => resolve(child.pid!));
  });
}

/** Runs the fixture test file in a vitest of its own; resolves with the database names it created. */
async function runLeakingFixture(env: Record<string, string>): Promise<{ code: number | null; names: string[] }> {
  const out = path.join(await mkdtemp(path.join(os.tmpdir(), "test-dbs-")), "names");
  const vitest = path.join(ROOT, "node_modules/vitest/vitest.mjs");
  const child = spawn(process.execPath, [vitest, "run", "--config", "test/fixtures/test-databases/vitest.config.ts"], {
    cwd: ROOT,
    env: { ...process.env, CI: "true", FIXTURE_OUT: out, ...env },
    stdio: "ignore",
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const names = (await readFile(out, "utf8")).split("\n").filter(Boolean);
  return { code, names };
}

describe.skipIf(!hasPg())("test databases", () => {
  it("startInProcess().stop() drops its database: the count of this process's databases returns to what it was", async () => {
    const before = await databases(ownTestDatabasePattern());
    const env = await startInProcess({ startWorker: false });
    const during = await databases(ownTestDatabasePattern());
    expect(during.length).toBe(before.length + 1);
    await env.stop();
    expect(await databases(ownTestDatabasePattern())).toEqual(before);
  });

  it("a failing test file's databases are dropped when it ends, even in use; KEEP_TEST_DATABASES=1 keeps them", async () => {
    const [dropped, kept] = await Promise.all([runLeakingFixture({}), runLeakingFixture({ KEEP_TEST_DATABASES: "1" })]);
    expect(dropped.code).not.toBe(0); // the fixture did fail
    expect(kept.code).not.toBe(0);
    expect(dropped.names).toHaveLength(1);
    expect(kept.names).toHaveLength(1);
    expect(await databases(dropped.names[0]!)).toEqual([]);
    try {
      const comment = await withAdmin(async (c) => (await c.query(`SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`, [kept.names[0]])).rows[0]?.c);
      expect(comment).toBe(KEPT_COMMENT);
      // A later run's clean-up leaves a kept database alone although the run that made it is dead.
      await withAdmin(dropStaleTestDatabases);
      expect(await databases(kept.names[0]!)).toEqual(kept.names);
    } finally {
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${kept.names[0]} WITH (FORCE)`));
    }
  });

  it("the global setup drops only the databases of dead runs, never a live run's", async () => {
    const now = Math.floor(Date.now() / 1000);
    const dead = await deadPid();
    const name = (parts: (string | number)[]) => `${TEST_DB_PREFIX}${parts.join("_")}`;
    const cases = {
      deadRun: name([now, dead, HOST_TAG, "aaaa0001"]),
      liveRun: name([now - 7200, process.pid, HOST_TAG, "aaaa0002"]), // old, but its process lives
      otherHostRecent: name([now - 600, dead, "ffffff", "aaaa0003"]), // its pid means nothing here
      otherHostOld: name([now - 2 * 86400, dead, "ffffff", "aaaa0004"]),
      legacyRecent: name([now - 600, "aaaa0005"]), // `engine_t_<seconds>_<random>` of older checkouts
      legacyOld: name([now - 7200, "aaaa0006"]),
    };
    await withAdmin(async (c) => {
      for (const db of Object.values(cases)) await c.query(`CREATE DATABASE ${db}`);
    });
    try {
      const droppedNames = await withAdmin(dropStaleTestDatabases);
      expect(droppedNames).toEqual(expect.arrayContaining([cases.deadRun, cases.otherHostOld, cases.legacyOld]));
      const left = await databases(`${TEST_DB_PREFIX}%aaaa000_`);
      expect(left.sort()).toEqual([cases.liveRun, cases.otherHostRecent, cases.legacyRecent].sort());
    } finally {
      await withAdmin(async (c) => {
        for (const db of Object.values(cases)) await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      });
    }
  });
});
