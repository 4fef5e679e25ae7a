import { readFileSync } from "node:fs";
import type { CodegenConfig } from "@graphql-codegen/cli";
import { buildSchema, isAbstractType } from "graphql";

// Types the operations the tests (and later the CLI) send, and those of the typed client (src/client),
// from the committed contract. test/contract.test.ts fails when a generated file is stale: run `npm run codegen`.

const SCHEMA = "schema/schema.graphql";
const scalars = { DateTime: "string", JSON: "unknown", ID: "string" };

/**
 * Every interface and union with its object types, sorted: the `possibleTypes` map a normalising cache
 * (Apollo's InMemoryCache, urql's graphcache) needs to match fragments on abstract types.
 */
function possibleTypesModule(): string {
  const schema = buildSchema(readFileSync(SCHEMA, "utf8"));
  const map: Record<string, string[]> = {};
  for (const type of Object.values(schema.getTypeMap()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (isAbstractType(type) && !type.name.startsWith("__")) map[type.name] = schema.getPossibleTypes(type).map((t) => t.name).sort();
  }
  return [
    "/* eslint-disable */",
    "// Generated from schema/schema.graphql by `npm run codegen` (codegen.ts); do not edit.",
    "/** Object types of each interface and union: pass as `possibleTypes` to Apollo's InMemoryCache or urql's cacheExchange. */",
    `export const possibleTypes: { [abstractType: string]: string[] } = ${JSON.stringify(map, null, 2)};`,
    "",
  ].join("\n");
}

const config: CodegenConfig = {
  schema: SCHEMA,
  generates: {
    "test/__generated__/": {
      documents: ["test/**/*.ts", "!test/__generated__/**"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars },
    },
    "src/client/__generated__/": {
      documents: ["src/client/**/*.ts", "!src/client/__generated__/**"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars },
    },
    "src/client/__generated__/possible-types.ts": {
      plugins: [{ add: { content: possibleTypesModule() } }],
    },
  },
  silent: true,
};

export default config;
