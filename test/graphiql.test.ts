import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildSchema, Kind, parse, print, validate, type OperationDefinitionNode } from "graphql";
import { GRAPHIQL_OPTIONS, WALKTHROUGH, WALKTHROUGH_HEADERS, WALKTHROUGH_VARIABLES } from "../src/api/graphiql.ts";
import { etagMatches, graphiqlPage, negotiateEncoding } from "../src/api/graphiql-page.ts";

// What GraphiQL opens on stays valid against the committed schema (schema/schema.graphql), and the page's
// content negotiation (src/api/graphiql-page.ts). test/graphiql.int.test.ts runs both through the server.

/** The panes are JSON with whole-line // comments (GraphiQL reads them as JSONC). */
const jsonc = (text: string): Record<string, unknown> =>
  JSON.parse(text.split("\n").filter((line) => !line.trim().startsWith("//")).join("\n")) as Record<string, unknown>;

const operations = () => parse(WALKTHROUGH).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);

describe("GraphiQL's walkthrough", () => {
  it("is valid against schema/schema.graphql", () => {
    const schema = buildSchema(readFileSync(new URL("../schema/schema.graphql", import.meta.url), "utf8"));
    expect(validate(schema, parse(WALKTHROUGH)).map((e) => e.message)).toEqual([]);
  });

  it("creates a plan, runs it, watches it and reads the result: named operations, in that order", () => {
    const ops = operations().map((op) => [op.operation, op.name?.value, (op.selectionSet.selections[0] as { name: { value: string } }).name.value]);
    expect(ops).toEqual([
      ["mutation", "CreateDiamond", "createPlan"],
      ["mutation", "Run", "scheduleExecution"],
      ["subscription", "Watch", "monitor"],
      ["query", "Result", "execution"],
    ]);
  });

  it("is what the README's GraphiQL walkthrough shows (its operations, comments aside)", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const start = readme.indexOf("## GraphiQL walkthrough");
    const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
    const ours = new Map(operations().map((op) => [op.name?.value, print(op)]));
    const shown = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)]
      .flatMap((m) => parse(m[1]!).definitions)
      .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && ours.has(d.name?.value));
    expect(shown.map((op) => op.name?.value)).toEqual(["CreateDiamond", "Run", "Watch"]);
    for (const op of shown) expect(print(op), op.name?.value).toBe(ours.get(op.name?.value));
  });

  it("uses built-in handlers only", () => {
    expect([...WALKTHROUGH.matchAll(/handler: "(\w+)"/g)].map((m) => m[1])).toEqual(["noop", "sleep", "sleep", "noop"]);
  });

  it("has a variables pane that names every variable the operations declare", () => {
    const declared = new Set(operations().flatMap((op) => (op.variableDefinitions ?? []).map((v) => v.variable.name.value)));
    expect(Object.keys(jsonc(WALKTHROUGH_VARIABLES)).sort()).toEqual([...declared].sort());
  });

  it("has a headers pane ready for an API key, as the API reads it (Authorization: Bearer)", () => {
    expect(jsonc(WALKTHROUGH_HEADERS)).toEqual({ Authorization: "Bearer <your API key>" });
    expect(GRAPHIQL_OPTIONS).toMatchObject({ defaultQuery: WALKTHROUGH, headers: WALKTHROUGH_HEADERS, variables: WALKTHROUGH_VARIABLES });
  });

  it("sends subscriptions over SSE, POSTed: the headers pane reaches them (GraphiQL puts no header in graphql-ws connectionParams)", () => {
    expect(GRAPHIQL_OPTIONS).toMatchObject({ subscriptionsProtocol: "SSE", method: "POST" });
  });
});

describe("GraphiQL page", () => {
  it("is rendered once per process and compressed once per encoding", async () => {
    const page = graphiqlPage(GRAPHIQL_OPTIONS);
    expect(graphiqlPage({ ...GRAPHIQL_OPTIONS })).toBe(page);
    expect(page.body("gzip")).toBe(page.body("gzip"));
    expect((await page.body("identity")).toString()).toContain("mutation CreateDiamond");
  });

  it("picks br, then gzip, by q-value; identity when neither is acceptable", () => {
    expect(negotiateEncoding(undefined)).toBe("identity");
    expect(negotiateEncoding("")).toBe("identity");
    expect(negotiateEncoding("gzip")).toBe("gzip");
    expect(negotiateEncoding("gzip, deflate, br, zstd")).toBe("br");
    expect(negotiateEncoding("br;q=0.5, gzip")).toBe("gzip");
    expect(negotiateEncoding("GZIP;Q=0.8")).toBe("gzip");
    expect(negotiateEncoding("x-gzip")).toBe("gzip");
    expect(negotiateEncoding("gzip;q=0")).toBe("identity");
    expect(negotiateEncoding("deflate")).toBe("identity");
    expect(negotiateEncoding("*")).toBe("br");
    expect(negotiateEncoding("*;q=0.5, br;q=0")).toBe("gzip");
    expect(negotiateEncoding("identity;q=1, gzip;q=0.5")).toBe("identity");
    expect(negotiateEncoding("gzip;q=abc")).toBe("identity");
  });

  it("matches If-None-Match by weak comparison, lists and * included", () => {
    expect(etagMatches('"abc-gzip"', '"abc-gzip"')).toBe(true);
    expect(etagMatches('W/"abc-gzip"', '"abc-gzip"')).toBe(true);
    expect(etagMatches('"x", "abc-gzip"', '"abc-gzip"')).toBe(true);
    expect(etagMatches("*", '"abc"')).toBe(true);
    expect(etagMatches('"abc"', '"abc-gzip"')).toBe(false);
    expect(etagMatches("", '"abc"')).toBe(false);
    expect(etagMatches(null, '"abc"')).toBe(false);
  });
});
