// `npm run schema:print`: writes the sorted SDL that is the API contract (test/schema.test.ts checks it).
import { writeFile } from "node:fs/promises";
import { SCHEMA_PATH, printContract } from "../src/graphql/print.ts";

await writeFile(SCHEMA_PATH, printContract());
console.log(`wrote ${SCHEMA_PATH}`);
