import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { generate } from "@graphql-codegen/cli";
import { printContract, SCHEMA_PATH } from "../src/graphql/print.ts";
import config from "../codegen.ts";

// The committed SDL is the API contract, and the typed test operations are generated from it.
describe("committed contract", () => {
  it("schema/schema.graphql matches the schema built from the code (run `npm run schema:print`)", async () => {
    expect(await readFile(SCHEMA_PATH, "utf8")).toBe(printContract());
  });

  it("test/__generated__ matches codegen over the committed schema (run `npm run codegen`)", async () => {
    const files = (await generate({ ...config, silent: true }, false)) as { filename: string; content: string }[];
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(await readFile(file.filename, "utf8"), file.filename).toBe(file.content);
  });
});
