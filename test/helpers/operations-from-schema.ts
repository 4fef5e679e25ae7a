import { randomUUID } from "node:crypto";
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from "graphql";

// A minimal, syntactically valid operation for any root field, generated from its type information:
// required arguments (and required input fields, recursively) get dummy values, the result `__typename`.
// Used to walk every field of the schema (test/auth.int.test.ts) without a hand-written list.

function dummy(type: GraphQLInputType, depth = 0): string {
  if (isNonNullType(type)) return dummy(type.ofType, depth);
  if (isListType(type)) return `[${dummy(type.ofType, depth)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    if (depth > 5) return "{}";
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${fields.map((f) => `${f.name}: ${dummy(f.type, depth + 1)}`).join(", ")} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case "ID":
        return JSON.stringify(randomUUID());
      case "Int":
        return "1";
      case "Float":
        return "1.5";
      case "Boolean":
        return "true";
      case "DateTime":
        return JSON.stringify("2030-01-01T00:00:00.000Z");
      case "JSON":
        return "{}";
      default:
        return JSON.stringify("x");
    }
  }
  throw new Error(`no dummy value for ${String(type)}`);
}

/** e.g. `mutation { createPlan(input: { name: "x", tasks: [...] }) { __typename } }`. */
export function operationFor(kind: "query" | "mutation" | "subscription", field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined).map((a) => `${a.name}: ${dummy(a.type)}`);
  const call = args.length > 0 ? `${field.name}(${args.join(", ")})` : field.name;
  const selection = isCompositeType(getNamedType(field.type)) ? " { __typename }" : "";
  return `${kind} { ${call}${selection} }`;
}

export const fieldsOf = (type: GraphQLObjectType | null | undefined) => Object.values(type?.getFields() ?? {});
