import { describe, expect, it } from "vitest";
import { MAX_PREPARED, prepared } from "./db.ts";

describe("prepared statements", () => {
  it("name a text the same way every time, and stop naming past MAX_PREPARED distinct texts", () => {
    const first = prepared("SELECT 1 AS probe", []);
    expect(first.name).toMatch(/^s[0-9a-f]{20}$/);
    expect(prepared("SELECT 1 AS probe", [1]).name).toBe(first.name);
    expect(prepared("SELECT 2 AS probe", []).name).not.toBe(first.name);
    for (let i = 0; i < MAX_PREPARED; i++) prepared(`SELECT ${i} AS filler`, []);
    const late = prepared("SELECT 'late' AS probe", ["v"]);
    expect(late.name).toBeUndefined(); // unnamed: per-connection caches stay bounded
    expect(late).toMatchObject({ text: "SELECT 'late' AS probe", values: ["v"] });
    expect(prepared("SELECT 1 AS probe", []).name).toBe(first.name); // named ones stay named
  });
});
