import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
} from "graphql";
import { SCHEMA_PATH } from "../src/graphql/print.ts";
import { schema as served } from "../src/graphql/schema.ts";
import { neededRole, type Scope } from "../src/domain/auth.ts";

// The docs pane of GraphiQL is the API's manual: every type, field, argument, input field and enum value
// of the committed SDL says what it is (units, defaults, limits, who may call it). Same rule as
// graphql-schema-linter's *-have-descriptions and descriptions-are-capitalized, over the printed contract.

/** Coordinates (`Type.field(arg:)`) of the elements without a usable description, with why. */
function describeFindings(sdl: string): string[] {
  const schema = buildSchema(sdl);
  const findings: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    const text = description?.trim() ?? "";
    if (text === "") findings.push(`${coordinate}: no description`);
    else if (!/^[A-Z0-9`]/.test(text)) findings.push(`${coordinate}: starts lower-case ("${text.slice(0, 30)}…")`);
    else if (!text.endsWith(".")) findings.push(`${coordinate}: does not end with a period ("…${text.slice(-30)}")`);
  };
  const named = Object.values(schema.getTypeMap()).filter(
    (type: GraphQLNamedType) => !type.name.startsWith("__") && !isSpecifiedScalarType(type),
  );
  for (const type of named) {
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return findings;
}

describe("schema descriptions", () => {
  it("every type, field, argument, input field and enum value of schema/schema.graphql is described", async () => {
    const findings = describeFindings(await readFile(SCHEMA_PATH, "utf8"));
    expect(findings, `${findings.length} findings:\n${findings.join("\n")}`).toEqual([]);
  });

  // The role a root field needs (its type's scope plus its own, as test/auth.int.test.ts reads them) is
  // what its description says: every mutation, and every query or subscription that needs more than VIEWER.
  it("root fields name the role they need", () => {
    const wrong: string[] = [];
    const roots = [[served.getQueryType(), "viewer"], [served.getMutationType(), "operator"], [served.getSubscriptionType(), "viewer"]] as const;
    for (const [type, typeScope] of roots) {
      const root = type!.name;
      for (const field of Object.values(type!.getFields())) {
        const own = (field.extensions?.pothosOptions as { authScopes?: Record<string, unknown> } | undefined)?.authScopes ?? {};
        const role = neededRole([typeScope, ...(Object.keys(own).filter((k) => own[k]) as Scope[])]);
        const says = field.description?.match(/Needs role (\w+)\./)?.[1];
        if (says !== undefined ? says !== role : root === "Mutation" || role !== "VIEWER") wrong.push(`${root}.${field.name}: needs ${role}, says ${says ?? "nothing"}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("reports what it should", () => {
    const sdl = `
      "A thing."
      type Query {
        "lower start."
        a(x: Int): Int
        "No period"
        b: E
      }
      enum E { "Described." ONE TWO }
    `;
    expect(describeFindings(sdl)).toEqual([
      'Query.a: starts lower-case ("lower start.…")',
      "Query.a(x:): no description",
      'Query.b: does not end with a period ("…No period")',
      "E: no description",
      "E.TWO: no description",
    ]);
  });
});
