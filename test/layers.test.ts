import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Dependencies point one way: graphql/api/engine → services → store → domain (infra beside store); the
// typed client (src/client) stands apart.
// This reads every source file of src (not its tests) with the TypeScript parser and names each import
// that points up, and each hand-written SQL statement in src/services (SQL lives in src/store).

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** What each layer must not import (the first folder under src/). */
const FORBIDDEN: Record<string, readonly string[]> = {
  store: ["services", "graphql", "api", "engine"],
  infra: ["services", "graphql", "api", "engine"],
  services: ["graphql", "api", "engine"],
  // The client is published apart: it talks to the API over the wire only.
  client: ["services", "store", "domain", "infra", "graphql", "api", "engine", "config"],
};
/** The npm packages src/domain may import, and which files may (the DESIGN: schedule/ alone reads cron). */
const DOMAIN_PACKAGES: Record<string, readonly string[]> = { "cron-parser": ["domain/schedule/spec.ts"] };
const SQL_START = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s/;
const SQL_CALLS = new Set(["query", "$queryRaw", "$executeRaw", "$queryRawUnsafe", "$executeRawUnsafe"]);

const layerOf = (file: string) => (file.includes("/") ? file.slice(0, file.indexOf("/")) : null);

/** The imports of one file (relative to src/) that break the rules, as `file:line: import "spec" (why)`. */
function importViolations(file: string, text: string): string[] {
  const layer = layerOf(file);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const check = (spec: string, node: ts.Node) => {
    const at = `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: import "${spec}"`;
    if (!spec.startsWith(".")) {
      if (layer === "domain" && !spec.startsWith("node:") && !DOMAIN_PACKAGES[spec]?.includes(file)) found.push(`${at} (src/domain imports only domain, node built-ins and ${Object.keys(DOMAIN_PACKAGES).join(", ")} where listed)`);
      return;
    }
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    const targetLayer = target.startsWith("../") ? "outside src" : layerOf(target);
    if (layer === "domain" && targetLayer !== "domain") found.push(`${at} (src/domain imports only domain)`);
    else if (layer && targetLayer && FORBIDDEN[layer]?.includes(targetLayer)) found.push(`${at} (${layer} must not import ${targetLayer})`);
  };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) check(node.moduleSpecifier.text, node);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) check(node.arguments[0].text, node);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) check(node.argument.literal.text, node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Hand-written SQL in one file: `.query(` calls, raw Prisma queries, and string literals that begin a statement. */
function sqlStatements(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) => found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);
  const visit = (node: ts.Node) => {
    const callee = ts.isCallExpression(node) ? node.expression : ts.isTaggedTemplateExpression(node) ? node.tag : null;
    if (callee && ts.isPropertyAccessExpression(callee) && SQL_CALLS.has(callee.name.text)) at(node, `.${callee.name.text}( call`);
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : ts.isTemplateExpression(node) ? node.head.text : null;
    if (literal !== null && SQL_START.test(literal)) at(node, `SQL literal "${literal.trim().slice(0, 40)}…"`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

async function sources(): Promise<{ file: string; text: string }[]> {
  const entries = await readdir(SRC, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")).map((e) => path.relative(SRC, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
  return Promise.all(files.sort().map(async (file) => ({ file, text: await readFile(path.join(SRC, file), "utf8") })));
}

describe("layers", () => {
  it("no import points up: store and infra import no services/graphql/api/engine, services no graphql/api/engine, domain only domain", async () => {
    const found = (await sources()).flatMap(({ file, text }) => importViolations(file, text));
    expect(found).toEqual([]);
  });

  it("src/services holds no hand-written SQL (it lives in src/store)", async () => {
    const found = (await sources()).filter(({ file }) => layerOf(file) === "services").flatMap(({ file, text }) => sqlStatements(file, text));
    expect(found).toEqual([]);
  });

  it("the scans recognise what they forbid, and leave the rest alone", () => {
    const up = `import type { A } from "../services/a.ts";\nexport { b } from "../engine/b.ts";\nconst c = await import("../graphql/c.ts");\ntype D = import("../api/d.ts").D;\nimport { e } from "../domain/e.ts";\nimport pg from "pg";`;
    expect(importViolations("store/x.ts", up).map((v) => v.replace(/ \(.*/, ""))).toEqual([
      'store/x.ts:1: import "../services/a.ts"',
      'store/x.ts:2: import "../engine/b.ts"',
      'store/x.ts:3: import "../graphql/c.ts"',
      'store/x.ts:4: import "../api/d.ts"',
    ]);
    expect(importViolations("services/x.ts", up)).toHaveLength(3);
    const domain = `import { a } from "./a.ts";\nimport { b } from "../status.ts";\nimport { c } from "../../infra/c.ts";\nimport type { D } from "../../../generated/prisma/enums.ts";\nimport { createHash } from "node:crypto";\nimport { z } from "zod";`;
    expect(importViolations("domain/alerts/x.ts", domain).map((v) => v.replace(/ \(.*/, ""))).toEqual([
      'domain/alerts/x.ts:3: import "../../infra/c.ts"',
      'domain/alerts/x.ts:4: import "../../../generated/prisma/enums.ts"',
      'domain/alerts/x.ts:6: import "zod"',
    ]);
    expect(importViolations("domain/schedule/spec.ts", `import { CronExpressionParser } from "cron-parser";`)).toEqual([]);
    expect(importViolations("domain/dag.ts", `import { CronExpressionParser } from "cron-parser";`)).toHaveLength(1);
    const sql = `await c.query<{ n: number }>("x");\nawait db.sql\n  .query(q);\nconst S = \`\n  SELECT 1\`;\nconst U = 'UPDATE "T" SET a = 1';\nconst W = \`WITH x AS (\${inner}) SELECT 1\`;\nawait prisma.$queryRaw\`SELECT 1\`;\nconst m = "select a name"; const n = "DELETED"; prisma.plan.findMany();`;
    expect(sqlStatements("services/x.ts", sql).map((s) => s.replace(/ ".*/, ""))).toEqual([
      "services/x.ts:1: .query( call",
      "services/x.ts:2: .query( call",
      "services/x.ts:4: SQL literal",
      "services/x.ts:6: SQL literal",
      "services/x.ts:7: SQL literal",
      "services/x.ts:8: .$queryRaw( call",
      "services/x.ts:8: SQL literal",
    ]);
  });
});
