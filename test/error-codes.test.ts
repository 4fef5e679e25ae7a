import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GraphQLEnumType, GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import * as domainErrors from "../src/domain/errors.ts";
import { ERROR_CODES, domainErrorExtensions, errorCodeTable, isErrorCode } from "../src/graphql/error-codes.ts";
import { schema } from "../src/graphql/schema.ts";

// ERROR_CODES is the one list of extensions.code values: the README prints it, every domain error has its
// entry (the name of its schema type), and no other code is written in the API's source.

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
    .map((e) => join(e.parentPath, e.name));

describe("the error codes", () => {
  it("the README's Errors table is ERROR_CODES, row for row (paste errorCodeTable() when it changes)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const documented = [...readme.matchAll(/^\| `([A-Za-z0-9_]+)` \| (domain|request|auth|limit|persisted|stream|server) \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(ERROR_CODES));
    expect(readme).toContain(errorCodeTable());
  });

  it("every domain error class has a code: the name of the schema type implementing Error that it is exposed as", () => {
    const classes = Object.values(domainErrors).filter((c) => typeof c === "function" && c.prototype instanceof domainErrors.DomainError);
    const domainCodes = Object.entries(ERROR_CODES).filter(([, info]) => info.group === "domain").map(([code]) => code);
    expect(classes.map((c) => c.name).sort()).toEqual([...domainCodes].sort());
    for (const code of domainCodes) {
      const type = schema.getType(code);
      expect(type, code).toBeInstanceOf(GraphQLObjectType);
      expect((type as GraphQLObjectType).getInterfaces().map((i) => i.name)).toContain("Error");
    }
  });

  it("a domain error's extensions are its code and the fields of its schema type", () => {
    const { InvalidIdError, NotFoundError, CycleError, InvalidTransitionError, DomainError } = domainErrors;
    expect(domainErrorExtensions(new InvalidIdError("id", "nope", "Execution"))).toEqual({ code: "InvalidIdError", field: "id", reason: '"nope" is not a valid Execution ID', value: "nope" });
    expect(domainErrorExtensions(new NotFoundError("Plan", "x"))).toEqual({ code: "NotFoundError", entity: "Plan", entityId: "x" });
    expect(domainErrorExtensions(new CycleError(["a", "b", "a"]))).toMatchObject({ code: "CycleError", field: "tasks", cycle: ["a", "b", "a"] });
    expect(domainErrorExtensions(new InvalidTransitionError("Execution", "COMPLETED", "PAUSED"))).toEqual({ code: "InvalidTransitionError", currentStatus: "COMPLETED", requestedStatus: "PAUSED" });
    class Unlisted extends domainErrors.ValidationError {}
    expect(domainErrorExtensions(new Unlisted("f", "r"))).toMatchObject({ code: "ValidationError", field: "f" });
    expect(domainErrorExtensions(new DomainError("internal"))).toBeNull();
  });

  it("every code the API's source writes is in the list (enum values of the schema aside)", () => {
    const enumValues = new Set(Object.values(schema.getTypeMap()).flatMap((t) => (t instanceof GraphQLEnumType ? t.getValues().map((v) => v.name) : [])));
    const written = new Map<string, string>();
    for (const file of [...sources("src/api"), ...sources("src/graphql"), join(ROOT, "src/domain/auth.ts")]) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"|code: "([A-Za-z_0-9]+)"/g)) {
        const code = m[1] ?? m[2]!;
        if (!enumValues.has(code) && !isErrorCode(code)) written.set(code, file.slice(ROOT.length));
      }
    }
    expect(Object.fromEntries(written)).toEqual({});
  });
});
