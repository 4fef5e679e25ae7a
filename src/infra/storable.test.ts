import { describe, expect, it } from "vitest";
import { storableJson, storableParams, storableText } from "./storable.ts";

const R = "\uFFFD";

describe("storable values", () => {
  it("storableText replaces NUL and unpaired surrogates, keeps pairs and everything else", () => {
    expect(storableText("a\u0000b")).toBe(`a${R}b`);
    expect(storableText("x\uD800")).toBe(`x${R}`);
    expect(storableText("\uDC00y")).toBe(`${R}y`);
    expect(storableText("\uDC00\uD800")).toBe(`${R}${R}`); // low then high: neither is a pair
    expect(storableText("ok 😀 é \\u0000")).toBe("ok 😀 é \\u0000"); // a pair, and the six characters \u0000
    const plain = "nothing to change";
    expect(storableText(plain)).toBe(plain);
  });

  it("storableJson replaces the escapes of NUL and of unpaired surrogates, in keys and values, and no escaped backslash", () => {
    const value = { "k\u0000": ["v\u0000", { lone: "\uD800", low: "\uDC00", pair: "😀", escaped: "\\u0000" }] };
    const fixed = JSON.parse(storableJson(JSON.stringify(value)));
    expect(fixed).toEqual({ [`k${R}`]: [`v${R}`, { lone: R, low: R, pair: "😀", escaped: "\\u0000" }] });
    // Escaped pairs (as other JSON writers emit them) stay; upper-case hex too.
    expect(JSON.parse(storableJson('"\\uD83D\\uDE00 \\ud83d\\ude00 \\u0041"'))).toBe("😀 😀 A");
    expect(storableJson('"\\ud83d\\u0041"')).toBe('"\\ufffd\\u0041"');
    expect(storableJson('"\\\\ud800\\ude00"')).toBe('"\\\\ud800\\ufffd"'); // a backslash, "ud800", then a lone low surrogate
    expect(storableJson('{"a":1}')).toBe('{"a":1}');
  });

  it("storableParams fixes strings and string arrays; JSON escapes only in parameters cast to json/jsonb", () => {
    const sql = `INSERT INTO t (a, b, c) VALUES ($1, $2::jsonb, $3::text[]) -- $4 stays`;
    const params = ["\\u0000 a\u0000", JSON.stringify({ k: "\u0000" }), ["x\u0000", 1], new Date(0)];
    expect(storableParams(sql, params)).toEqual([`\\u0000 a${R}`, `{"k":"\\ufffd"}`, [`x${R}`, 1], new Date(0)]);
    const clean = [1, "plain", ["a"], null];
    expect(storableParams(sql, clean)).toBe(clean); // nothing to change: no copy
    expect(storableParams("SELECT 1", undefined)).toBeUndefined();
  });
});
