import { fileURLToPath } from "node:url";
import { printSchema } from "graphql";
import { sortedSchema } from "./schema.ts";

export const SCHEMA_PATH = fileURLToPath(new URL("../../schema/schema.graphql", import.meta.url));

export const printContract = (): string =>
  `# Printed from the code by \`npm run schema:print\`; do not edit. A test fails when this file is stale.\n\n${printSchema(sortedSchema)}\n`;
