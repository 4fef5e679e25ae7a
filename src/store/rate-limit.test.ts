import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../domain/errors.ts";
import { openPglite, type Db } from "../infra/db.ts";
import { listRateLimits, removeRateLimit, setRateLimit } from "../services/rate-limits.ts";
import { takeRateSlot } from "./rate-limit.ts";

// The limiter's statement on the embedded database (PGlite in memory, migrated); PostgreSQL runs the same
// statement in test/http-pool.int.test.ts.
describe("takeRateSlot (PGlite)", () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite(undefined);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  const windows = (name: string) => db.sql.query<{ windowStart: Date; count: number }>(`SELECT "windowStart", count FROM "RateWindow" WHERE name = $1 ORDER BY "windowStart"`, [name]);

  it("grants `requests` slots per window, then says how long the window lasts", async () => {
    // A day-long window: the test cannot straddle two windows (except at UTC midnight).
    await setRateLimit({ db }, { name: "day", requests: 3, windowMs: 86_400_000 });
    const slots = [];
    for (let i = 0; i < 5; i++) slots.push(await takeRateSlot(db.sql, "day"));
    expect(slots.map((s) => s.kind)).toEqual(["granted", "granted", "granted", "wait", "wait"]);
    expect(slots.slice(0, 3).map((s) => (s.kind === "granted" ? s.count : 0))).toEqual([1, 2, 3]);
    const wait = slots[3]!;
    if (wait.kind !== "wait") throw new Error("expected wait");
    expect(wait.waitMs).toBeGreaterThan(0);
    expect(wait.waitMs).toBeLessThanOrEqual(86_400_000);
    expect(wait.windowEnd.getTime() % 86_400_000).toBe(0);
    expect(Math.abs(wait.windowEnd.getTime() - Date.now() - wait.waitMs)).toBeLessThan(5_000);
    expect(await windows("day")).toEqual([{ windowStart: new Date(wait.windowEnd.getTime() - 86_400_000), count: 3 }]);
  });

  it("starts a new window after the old one and deletes the old windows", async () => {
    await setRateLimit({ db }, { name: "short", requests: 1, windowMs: 100 });
    // An old window left behind (e.g. by a worker that stopped mid-window).
    await db.sql.query(`INSERT INTO "RateWindow" (name, "windowStart", count) VALUES ('short', '2020-01-01T00:00:00Z', 1)`);
    const first = await takeRateSlot(db.sql, "short");
    expect(first.kind).toBe("granted");
    // Until a window is full: on a slow machine the next call may already fall into the next window.
    let next = await takeRateSlot(db.sql, "short");
    for (let i = 0; next.kind === "granted" && i < 5; i++) next = await takeRateSlot(db.sql, "short");
    expect(next.kind).toBe("wait");
    await new Promise((r) => setTimeout(r, (next.kind === "wait" ? next.waitMs : 0) + 5));
    expect((await takeRateSlot(db.sql, "short")).kind).toBe("granted");
    const left = await windows("short");
    expect(left).toHaveLength(1);
    expect(left[0]!.windowStart.getTime() % 100).toBe(0);
  });

  it("knows no unknown name", async () => {
    expect(await takeRateSlot(db.sql, "nope")).toEqual({ kind: "unknown" });
    expect(await windows("nope")).toEqual([]);
  });

  it("setRateLimit upserts; a new windowMs restarts the count, a new requests value applies at once", async () => {
    await setRateLimit({ db }, { name: "up", requests: 1, windowMs: 86_400_000 });
    expect((await takeRateSlot(db.sql, "up")).kind).toBe("granted");
    expect((await takeRateSlot(db.sql, "up")).kind).toBe("wait");
    const raised = await setRateLimit({ db }, { name: "up", requests: 2, windowMs: 86_400_000 });
    expect(raised).toMatchObject({ name: "up", requests: 2, windowMs: 86_400_000 });
    expect((await takeRateSlot(db.sql, "up")).kind).toBe("granted");
    expect((await takeRateSlot(db.sql, "up")).kind).toBe("wait");
    await setRateLimit({ db }, { name: "up", requests: 2, windowMs: 3_600_000 });
    expect(await windows("up")).toEqual([]);
    expect((await takeRateSlot(db.sql, "up")).kind).toBe("granted");
  });

  it("rejects bad input naming the field and writes nothing", async () => {
    await expect(setRateLimit({ db }, { name: "bad one", requests: 1, windowMs: 1000 })).rejects.toMatchObject({ field: "input.name" });
    await expect(setRateLimit({ db }, { name: "bad", requests: 1, windowMs: 10 })).rejects.toBeInstanceOf(ValidationError);
    expect((await listRateLimits({ db })).map((r) => r.name)).not.toContain("bad");
  });

  it("removeRateLimit deletes the limit and its windows", async () => {
    await setRateLimit({ db }, { name: "gone", requests: 5, windowMs: 1000 });
    await takeRateSlot(db.sql, "gone");
    expect(await removeRateLimit({ db }, "gone")).toBe("gone");
    expect(await windows("gone")).toEqual([]);
    expect(await takeRateSlot(db.sql, "gone")).toEqual({ kind: "unknown" });
    await expect(removeRateLimit({ db }, "gone")).rejects.toMatchObject({ name: "NotFoundError" });
  });
});
