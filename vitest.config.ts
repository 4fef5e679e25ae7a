import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Pothos and yoga load graphql through require(); our ESM imports must get that same instance,
    // or graphql's realm check fails ("Cannot use GraphQLScalarType from another module").
    alias: { graphql: require.resolve("graphql") },
  },
  test: {
    // Integration tests mostly wait (on the engine, timers, child processes), so files run three at a
    // time even on two cores (vitest's default there is one): the suite must fit CI's 15 minutes, and the
    // tests hold under the load this puts on the machine.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["test/**/*.int.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.int.test.ts"],
          globalSetup: ["test/helpers/global-setup.ts"],
          setupFiles: ["test/helpers/test-databases.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
