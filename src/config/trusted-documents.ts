import { readFileSync } from "node:fs";

// TRUSTED_DOCUMENTS: the manifest of the only operations the API runs (src/api/persisted.ts). Two
// formats: graphql-codegen's client preset (`persistedDocuments: true` writes persisted-documents.json,
// `{ "<hash>": "<document>" }`, hashes `sha256:<hex>`) and Apollo's persisted query manifest
// (`{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body", … }] }`).

/** The manifest's documents by id, in the file's spelling; throws an Error that says what is wrong. */
export function loadTrustedDocuments(path: string): Map<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read the manifest ${path}: ${(err as Error).message}`);
  }
  const entries = manifestEntries(raw);
  if (entries === null) throw new Error(`${path} is not a manifest: expected { "<hash>": "<document>" } (graphql-codegen's persisted-documents.json) or an apollo-persisted-query-manifest`);
  const bad = entries.find(([id, doc]) => typeof id !== "string" || id === "" || typeof doc !== "string" || doc.trim() === "");
  if (bad) throw new Error(`${path}: entry ${JSON.stringify(String(bad[0])).slice(0, 80)} must map a hash to a document (a non-empty string)`);
  if (entries.length === 0) throw new Error(`${path} holds no operations: the API would refuse everything`);
  return new Map(entries as [string, string][]);
}

function manifestEntries(raw: unknown): [unknown, unknown][] | null {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const apollo = raw as { format?: unknown; operations?: unknown };
  if (apollo.format === "apollo-persisted-query-manifest") {
    if (!Array.isArray(apollo.operations)) return null;
    return apollo.operations.map((o: { id?: unknown; body?: unknown } | null) => [o?.id, o?.body]);
  }
  return Object.entries(raw);
}
