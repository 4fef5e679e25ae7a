import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, openPglite, type Db } from "../src/infra/db.ts";
import { createLogger } from "../src/infra/logger.ts";
import { TransactionMisuseError } from "../src/infra/tx-guard.ts";
import { createTestDatabase } from "./helpers/infra.ts";
import { modes } from "./helpers/inprocess.ts";

// The rule behind the embedded default's hang (issue 13): inside a transaction every statement runs on
// that transaction's connection. With TX_GUARD on (as in every test), breaking it throws at once instead
// of waiting for a second connection forever (PGlite) or until the pool runs dry (PostgreSQL).

const probeExists = async (db: Db) =>
  (await db.sql.query<{ exists: boolean }>(`SELECT to_regclass('guard_probe') IS NOT NULL AS exists`))[0]!.exists;

describe.each(modes())("transaction guard ($mode)", ({ embedded }) => {
  let db: Db;
  beforeAll(async () => {
    db = embedded ? await openPglite(undefined, { txGuard: true }) : connectPostgres({ url: await createTestDatabase(), log: createLogger("warn", "test"), txGuard: true });
  });
  afterAll(async () => db?.close());

  it("outside a transaction, the pool and Prisma work", async () => {
    expect(await db.sql.query<{ one: number }>("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    expect(await db.prisma.plan.count()).toBe(0);
  });

  it.each([
    ["a pool statement", (d: Db) => d.sql.query("SELECT 1")],
    ["a Prisma query", (d: Db) => d.prisma.plan.count()],
    ["a second transaction", (d: Db) => d.sql.tx((c) => c.query("SELECT 1"))],
  ])("inside a transaction, %s throws TransactionMisuseError and the transaction rolls back", async (_what, misuse) => {
    const attempt = db.sql.tx(async (c) => {
      await c.query("CREATE TABLE guard_probe (x int)");
      await misuse(db);
    });
    await expect(attempt).rejects.toThrow(TransactionMisuseError);
    await expect(attempt).rejects.toThrow(/open transaction: use the transaction's client/);
    expect(await probeExists(db)).toBe(false); // nothing half-written
  });

  it("the transaction's own client works, and work started after the transaction is free again", async () => {
    const seen = await db.sql.tx(async (c) => (await c.query<{ n: number }>("SELECT 2 AS n"))[0]!.n);
    expect(seen).toBe(2);
    expect(await db.prisma.plan.count()).toBe(0); // the chain left the transaction
  });
});
