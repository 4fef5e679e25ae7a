import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// A column cast in a comparison (status::text = ANY($1), id::text = $2) cannot use the column's index:
// cast the parameter to the column's type instead ($1::text[]::"ExecutionStatus"[]). test/index-use.int.test.ts
// checks the plans of the statistics statements; this scan keeps the rule for every statement in src.

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
/** identifier or "quoted identifier", optionally table-qualified, cast, then a comparison operator */
const COLUMN_CAST_COMPARED = /(?<![$\w"'])(?:\w+\.)?(?:"\w+"|[A-Za-z_]\w*)::"?\w+"?(?:\[\])?\s*(?:=|<>|!=|<|>|\bIN\b|\bLIKE\b|\bILIKE\b)/g;

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")).map((e) => path.join(e.parentPath, e.name));
}

it("no statement in src compares a cast column (the cast hides the column from its index)", async () => {
  const found: string[] = [];
  for (const file of await sources(SRC)) {
    const text = await readFile(file, "utf8");
    for (const m of text.matchAll(COLUMN_CAST_COMPARED)) found.push(`${path.relative(SRC, file)}: ${m[0]}`);
  }
  expect(found).toEqual([]);
});

it("the scan recognises the forms it forbids, and leaves parameter casts alone", () => {
  const hits = (sql: string) => [...sql.matchAll(COLUMN_CAST_COMPARED)].map((m) => m[0].replace(/\s*\S+$/, ""));
  expect(hits(`WHERE status::text = ANY($2::text[]) OR t.status::text IN ('A') AND "planId"::text = $1`)).toEqual(["status::text", "t.status::text", '"planId"::text']);
  expect(hits(`WHERE status = ANY($2::text[]::"ExecutionStatus"[]) AND id = $1::uuid AND $3::text = 'x'`)).toEqual([]);
  expect(hits(`SELECT status::text AS status, count(*)::int AS count`)).toEqual([]);
});
