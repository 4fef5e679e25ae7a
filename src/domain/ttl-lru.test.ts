import { describe, expect, it } from "vitest";
import { TtlLruCache } from "./ttl-lru.ts";

const limits = { maxEntries: 3, maxEntryBytes: 100, maxTotalBytes: 250 };

describe("TtlLruCache", () => {
  it("serves an entry until its TTL ends", () => {
    const c = new TtlLruCache<string>(limits);
    expect(c.set("a", "A", 10, 1000, 500)).toBe(true);
    expect(c.get("a", 1000)).toEqual({ value: "A", ageMs: 0 });
    expect(c.get("a", 1499)).toEqual({ value: "A", ageMs: 499 });
    expect(c.get("a", 1500)).toBeUndefined();
    expect(c.size).toBe(0);
    expect(c.bytes).toBe(0);
  });

  it("serves a reader asking for younger entries only what is young enough", () => {
    const c = new TtlLruCache<string>(limits);
    c.set("a", "A", 10, 1000, 10_000);
    expect(c.get("a", 1200, 100)).toBeUndefined();
    expect(c.get("a", 1200, 300)).toMatchObject({ value: "A", ageMs: 200 });
    expect(c.size).toBe(1);
  });

  it("evicts the least recently used past maxEntries", () => {
    const c = new TtlLruCache<string>(limits);
    c.set("a", "A", 1, 0, 1000);
    c.set("b", "B", 1, 0, 1000);
    c.set("c", "C", 1, 0, 1000);
    c.get("a", 1); // a is now the most recent: b goes first
    c.set("d", "D", 1, 2, 1000);
    expect(c.size).toBe(3);
    expect(c.get("b", 3)).toBeUndefined();
    expect(["a", "c", "d"].map((k) => c.get(k, 3)?.value)).toEqual(["A", "C", "D"]);
  });

  it("keeps the total size bounded and refuses entries too large", () => {
    const c = new TtlLruCache<string>(limits);
    expect(c.set("big", "x", 101, 0, 1000)).toBe(false);
    expect(c.size).toBe(0);
    c.set("a", "A", 100, 0, 1000);
    c.set("b", "B", 100, 0, 1000);
    c.set("c", "C", 100, 0, 1000);
    expect(c.bytes).toBeLessThanOrEqual(250);
    expect(c.get("a", 1)).toBeUndefined();
    expect(c.get("c", 1)?.value).toBe("C");
  });

  it("replaces an entry under the same key and accounts its size once", () => {
    const c = new TtlLruCache<string>(limits);
    c.set("a", "A", 40, 0, 1000);
    c.set("a", "A2", 60, 10, 1000);
    expect(c.size).toBe(1);
    expect(c.bytes).toBe(60);
    expect(c.get("a", 20)).toEqual({ value: "A2", ageMs: 10 });
    expect(c.set("a", "A3", 10, 20, 0)).toBe(false);
    expect(c.size).toBe(0);
  });
});
