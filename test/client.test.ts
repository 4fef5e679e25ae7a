import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildSchema, isAbstractType } from "graphql";
import { ERROR_CLASSES, EngineError, possibleTypes } from "execution-engine/client";
import { possibleTypes as fromSubpath } from "execution-engine/client/possible-types";

// The typed client's published artefacts, from the committed contract (no server needed): the
// possibleTypes map for normalising caches, and one exception class per type implementing Error.
// Imported by package name, through package.json "exports", as a TypeScript user would.

const schema = buildSchema(readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8"));

describe("typed client: published artefacts", () => {
  it("possibleTypes lists every interface and union of the schema with exactly its object types", () => {
    const expected = Object.fromEntries(
      Object.values(schema.getTypeMap())
        .filter((t) => isAbstractType(t) && !t.name.startsWith("__"))
        .map((t) => [t.name, schema.getPossibleTypes(t as never).map((o) => o.name).sort()]),
    );
    expect(Object.keys(possibleTypes).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, members] of Object.entries(expected)) expect([...possibleTypes[name]!].sort(), name).toEqual(members);
    expect(possibleTypes.Node).toContain("Execution");
    expect(possibleTypes.MutationCreatePlanResult).toEqual(["CycleError", "DuplicateTaskKeyError", "Plan", "UnknownDependencyError", "UnknownHandlerError", "ValidationError"]);
    expect(fromSubpath).toBe(possibleTypes);
  });

  it("has an EngineError subclass named like each type implementing Error", () => {
    expect(Object.keys(ERROR_CLASSES).sort()).toEqual(possibleTypes.Error);
    for (const [name, Class] of Object.entries(ERROR_CLASSES)) {
      const err = new (Class as new (r: unknown) => EngineError)({ __typename: name, message: "m", field: "f", reason: "r" });
      expect(err).toBeInstanceOf(EngineError);
      expect([err.name, err.__typename, err.message]).toEqual([name, name, "m"]);
    }
  });
});
