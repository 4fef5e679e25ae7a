import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config/env.ts";
import { PersistedOperations, sha256 } from "../src/api/persisted.ts";

// TRUSTED_DOCUMENTS is read at boot: a bad manifest stops the process with one line naming the variable.
// The allow-list as graphql-ws and /graphql/stream apply it (PersistedOperations.resolve), and APQ's bound.

const dir = mkdtempSync(join(tmpdir(), "manifest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};
const problem = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as ConfigError).lines;
  }
  return [];
};
const code = (r: ReturnType<PersistedOperations["resolve"]>) => ("query" in r ? null : r.extensions.code);

describe("TRUSTED_DOCUMENTS", () => {
  const doc = "query A { __typename }";

  it("reads graphql-codegen's persisted-documents.json and Apollo's manifest", () => {
    expect(loadConfig({ TRUSTED_DOCUMENTS: file("codegen.json", { [`sha256:${sha256(doc)}`]: doc }) }).TRUSTED_DOCUMENTS).toEqual(new Map([[`sha256:${sha256(doc)}`, doc]]));
    const apollo = { format: "apollo-persisted-query-manifest", version: 1, operations: [{ id: "abc", name: "A", type: "query", body: doc }] };
    expect(loadConfig({ TRUSTED_DOCUMENTS: file("apollo.json", apollo) }).TRUSTED_DOCUMENTS).toEqual(new Map([["abc", doc]]));
    expect(loadConfig({}).TRUSTED_DOCUMENTS).toBeUndefined();
  });

  it("refuses a missing, unparsable, empty or malformed manifest at boot, naming the variable", () => {
    expect(problem({ TRUSTED_DOCUMENTS: join(dir, "nope.json") })).toEqual([expect.stringMatching(/^TRUSTED_DOCUMENTS: cannot read the manifest .*nope\.json/)]);
    expect(problem({ TRUSTED_DOCUMENTS: file("broken.json", "{") })).toEqual([expect.stringMatching(/^TRUSTED_DOCUMENTS: cannot read/)]);
    expect(problem({ TRUSTED_DOCUMENTS: file("empty.json", {}) })).toEqual([expect.stringMatching(/holds no operations/)]);
    expect(problem({ TRUSTED_DOCUMENTS: file("list.json", [doc]) })).toEqual([expect.stringMatching(/is not a manifest/)]);
    expect(problem({ TRUSTED_DOCUMENTS: file("number.json", { h: 1 }) })).toEqual([expect.stringMatching(/must map a hash to a document/)]);
  });
});

describe("PersistedOperations.resolve (graphql-ws, /graphql/stream)", () => {
  const doc = "query A { __typename }";
  const pq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

  it("trusted: by hash (either spelling, extensions or documentId) or exact text; nothing else", () => {
    const trusted = new PersistedOperations({ apqMaxEntries: 10, apqMaxBytes: 1e6, trustedDocuments: new Map([[`sha256:${sha256(doc)}`, doc]]) });
    expect(trusted.mode).toBe("trusted");
    for (const params of [{ query: "", extensions: pq(sha256(doc)) }, { query: "", extensions: pq(`sha256:${sha256(doc)}`) }, { documentId: `sha256:${sha256(doc)}` }, { query: doc }]) expect(trusted.resolve(params)).toEqual({ query: doc });
    expect(code(trusted.resolve({ query: "{ __typename }" }))).toBe("PERSISTED_QUERY_NOT_IN_LIST");
    expect(code(trusted.resolve({ query: "", extensions: pq("f00") }))).toBe("PERSISTED_QUERY_NOT_IN_LIST");
    expect(code(trusted.resolve({ query: "" }))).toBe("PERSISTED_QUERY_ID_REQUIRED");
  });

  it("APQ: registers a document with its hash, bounded by count and by bytes", () => {
    const apq = new PersistedOperations({ apqMaxEntries: 2, apqMaxBytes: 100 });
    const docs = ["query B { __typename }", "query C { __typename }", "query D { __typename }"];
    expect(code(apq.resolve({ query: "", extensions: pq(sha256(docs[0]!)) }))).toBe("PERSISTED_QUERY_NOT_FOUND");
    for (const d of docs) expect(apq.resolve({ query: d, extensions: pq(sha256(d)) })).toEqual({ query: d });
    expect(apq.size).toBe(2);
    expect(code(apq.resolve({ query: "", extensions: pq(sha256(docs[0]!)) }))).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect(apq.resolve({ query: "", extensions: pq(sha256(docs[2]!)) })).toEqual({ query: docs[2] });
    expect(code(apq.resolve({ query: docs[0], extensions: pq(sha256("other")) }))).toBe("PERSISTED_QUERY_MISMATCH");
    const big = `query E { ${"__typename ".repeat(20)}}`;
    apq.resolve({ query: big, extensions: pq(sha256(big)) });
    expect(code(apq.resolve({ query: "", extensions: pq(sha256(big)) }))).toBe("PERSISTED_QUERY_NOT_FOUND"); // over 100 bytes: not kept
    expect(new PersistedOperations({ apqMaxEntries: 0, apqMaxBytes: 100 }).mode).toBe("off");
  });
});
