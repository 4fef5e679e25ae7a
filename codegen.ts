import type { CodegenConfig } from "@graphql-codegen/cli";

// Types the operations the tests (and later the CLI) send, from the committed contract.
// test/codegen.test.ts fails when test/__generated__ is stale: run `npm run codegen`.
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: ["test/**/*.ts", "!test/__generated__/**"],
  generates: {
    "test/__generated__/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: "string", JSON: "unknown", ID: "string" } },
    },
  },
  silent: true,
};

export default config;
