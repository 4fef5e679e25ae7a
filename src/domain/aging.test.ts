import { describe, expect, it } from "vitest";
import { effectiveRank, effectiveRankSql, priorityRank } from "./aging.ts";

const t0 = new Date("2026-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("priorityRank", () => {
  it("orders CRITICAL 0 … IDLE 4", () => {
    expect((["CRITICAL", "HIGH", "NORMAL", "LOW", "IDLE"] as const).map(priorityRank)).toEqual([0, 1, 2, 3, 4]);
  });
  it("rejects unknown priorities", () => {
    expect(() => priorityRank("URGENT" as never)).toThrow(RangeError);
  });
});

describe("effectiveRank", () => {
  it("gains one level per full step waited", () => {
    expect([0, 999, 1000, 1999, 2000, 3500, 4000].map((w) => effectiveRank("IDLE", t0, at(w), 1000))).toEqual([4, 4, 3, 3, 2, 1, 0]);
  });

  it("never goes below 0", () => {
    expect(effectiveRank("IDLE", t0, at(60_000), 1000)).toBe(0);
    expect(effectiveRank("CRITICAL", t0, at(60_000), 1000)).toBe(0);
    expect(effectiveRank("NORMAL", t0, at(1e12), 1)).toBe(0);
  });

  it("counts a readyAt in the future as no wait", () => {
    expect(effectiveRank("LOW", at(10_000), t0, 1000)).toBe(3);
  });

  it("an IDLE task that waited 4 steps ties with fresh CRITICAL work", () => {
    expect(effectiveRank("IDLE", t0, at(40_000), 10_000)).toBe(effectiveRank("CRITICAL", at(40_000), at(40_000), 10_000));
  });

  it("stepMs = Infinity disables aging", () => {
    expect(effectiveRank("IDLE", t0, at(1e12), Number.POSITIVE_INFINITY)).toBe(4);
  });

  it.each([0, -1, Number.NaN])("rejects stepMs %s", (step) => {
    expect(() => effectiveRank("IDLE", t0, at(1), step)).toThrow(RangeError);
  });
});

describe("effectiveRankSql", () => {
  // test/queue.int.test.ts runs this expression in Postgres and checks it agrees with effectiveRank.
  it("builds the exact expression", () => {
    expect(effectiveRankSql("t.priority", 't."readyAt"', "$2::timestamptz", "$3::int")).toBe(
      'greatest(0, (array_position(enum_range(NULL::"Priority"), t.priority) - 1) - floor(greatest(0, extract(epoch from ($2::timestamptz - t."readyAt")) * 1000) / $3::int))',
    );
  });

  it("inserts each argument where it belongs", () => {
    const sql = effectiveRankSql("P", "R", "N", "S");
    expect(sql).toBe('greatest(0, (array_position(enum_range(NULL::"Priority"), P) - 1) - floor(greatest(0, extract(epoch from (N - R)) * 1000) / S))');
  });
});
