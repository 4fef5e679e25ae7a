import { describe, expect, it } from "vitest";
import { ResponseCache } from "./response-cache.ts";

const limits = { maxEntries: 3, maxEntryBytes: 100, maxTotalBytes: 250 };

/** A cache on a clock the test moves. */
function cacheAt(start = 1000) {
  const clock = { t: start };
  return { clock, cache: new ResponseCache<string>(limits, () => clock.t) };
}

describe("ResponseCache (lru-cache)", () => {
  it("serves an entry until its TTL ends", () => {
    const { clock, cache } = cacheAt();
    expect(cache.set("a", "A", 10, 500)).toBe(true);
    expect(cache.get("a")).toEqual({ value: "A", ageMs: 0 });
    clock.t = 1499;
    expect(cache.get("a")).toEqual({ value: "A", ageMs: 499 });
    clock.t = 1501;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("serves a reader asking for younger entries only what is young enough", () => {
    const { clock, cache } = cacheAt();
    cache.set("a", "A", 10, 10_000);
    clock.t = 1200;
    expect(cache.get("a", 100)).toBeUndefined();
    expect(cache.get("a", 300)).toMatchObject({ value: "A", ageMs: 200 });
    expect(cache.size).toBe(1);
  });

  it("evicts the least recently used past maxEntries", () => {
    const { cache } = cacheAt();
    for (const k of ["a", "b", "c"]) cache.set(k, k.toUpperCase(), 1, 1000);
    cache.get("a"); // a is now the most recent: b goes first
    cache.set("d", "D", 1, 1000);
    expect(cache.size).toBe(3);
    expect(cache.get("b")).toBeUndefined();
    expect(["a", "c", "d"].map((k) => cache.get(k)?.value)).toEqual(["A", "C", "D"]);
  });

  it("keeps the total size bounded and refuses entries too large", () => {
    const { cache } = cacheAt();
    expect(cache.set("big", "x", 101, 1000)).toBe(false);
    expect(cache.size).toBe(0);
    for (const k of ["a", "b", "c"]) cache.set(k, k.toUpperCase(), 100, 1000);
    expect(cache.bytes).toBeLessThanOrEqual(250);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("c")?.value).toBe("C");
  });

  it("replaces an entry under the same key and accounts its size once; a zero TTL removes it", () => {
    const { clock, cache } = cacheAt(0);
    cache.set("a", "A", 40, 1000);
    clock.t = 10;
    cache.set("a", "A2", 60, 1000);
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(60);
    clock.t = 20;
    expect(cache.get("a")).toEqual({ value: "A2", ageMs: 10 });
    expect(cache.set("a", "A3", 10, 0)).toBe(false);
    expect(cache.size).toBe(0);
  });
});
