import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { GraphQLError } from "graphql";
import { createGraphQLError, shouldRenderGraphiQL, type Plugin } from "graphql-yoga";
import { useAPQ } from "@graphql-yoga/plugin-apq";
import { usePersistedOperations } from "@graphql-yoga/plugin-persisted-operations";

// Persisted operations (#16 item 3), one of two modes per API process:
// - automatic persisted queries (APQ, the default; Apollo's PersistedQueryLink): a request may send
//   `extensions.persistedQuery.sha256Hash` without the document. An unknown hash is PERSISTED_QUERY_NOT_FOUND
//   (the client then sends the document with its hash, which registers it); a document whose hash is
//   not the one sent is PERSISTED_QUERY_MISMATCH. Registered documents sit in an LRU bounded by count
//   (APQ_MAX_ENTRIES, 0 turns APQ off) and total size (APQ_MAX_BYTES), per API process: a client that
//   meets another process just registers again. With APQ off, a hash alone is PERSISTED_QUERY_NOT_SUPPORTED
//   (Apollo's link then sends every document in full).
// - trusted documents (TRUSTED_DOCUMENTS=manifest.json): only the manifest's operations run. A request
//   names one by hash (`extensions.persistedQuery.sha256Hash`, or `documentId`, `sha256:` prefix or
//   not) or sends its exact text; anything else is PERSISTED_QUERY_NOT_IN_LIST, no hash and no document
//   PERSISTED_QUERY_ID_REQUIRED. That covers introspection too, and GraphiQL is not served.
// HTTP (GET, POST, SSE) goes through yoga's plugins for each mode; graphql-ws and graphql-sse's
// /graphql/stream, which do not run yoga's onParams, apply the same rules through `resolve`.

export const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
const normalizeId = (id: string): string => (id.startsWith("sha256:") ? id.slice(7) : id).trim();

export interface PersistedOptions {
  apqMaxEntries: number;
  apqMaxBytes: number;
  /** The manifest's documents by id (src/config/trusted-documents.ts); set: trusted-documents mode. */
  trustedDocuments?: ReadonlyMap<string, string>;
}

type Params = { query?: string | null; extensions?: Record<string, unknown> | null; documentId?: unknown };
type Resolved = { query: string } | GraphQLError;

const coded = (message: string, code: string, status = 400) => createGraphQLError(message, { extensions: { code, http: { status } } });
const NOT_IN_LIST = "this API runs only trusted documents (TRUSTED_DOCUMENTS)";

function hashOf(params: Params): string | null {
  if (typeof params.documentId === "string") return params.documentId;
  const pq = params.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
  return pq && pq.version === 1 && typeof pq.sha256Hash === "string" ? pq.sha256Hash : null;
}

export class PersistedOperations {
  readonly mode: "apq" | "trusted" | "off";
  private readonly apq: LRUCache<string, string> | null;
  /** Trusted documents by normalized id, and by the SHA-256 of their text. */
  private readonly byId = new Map<string, string>();
  private readonly byText = new Set<string>();

  constructor(options: PersistedOptions) {
    if (options.trustedDocuments) {
      this.mode = "trusted";
      for (const [id, doc] of options.trustedDocuments) {
        this.byId.set(normalizeId(id), doc);
        this.byText.add(sha256(doc));
      }
      this.apq = null;
    } else if (options.apqMaxEntries > 0) {
      this.mode = "apq";
      this.apq = new LRUCache<string, string>({ max: options.apqMaxEntries, maxSize: options.apqMaxBytes, sizeCalculation: (q) => Math.max(1, Buffer.byteLength(q)) });
    } else {
      this.mode = "off";
      this.apq = null;
    }
  }

  get size(): number {
    return this.mode === "trusted" ? this.byId.size : (this.apq?.size ?? 0);
  }

  /** yoga plugins for HTTP; put them after the key and rate-limit check, before the CSRF one. */
  plugins(): Plugin[] {
    if (this.mode === "apq") return [useAPQ({ store: this.apq! })];
    if (this.mode === "off")
      return [
        {
          // Apollo's PersistedQueryLink turns itself off on this code and sends documents from then on.
          onParams({ params }) {
            if (typeof params.query !== "string" && hashOf(params as Params) !== null) throw coded("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED");
          },
        },
      ];
    const { byText, byId } = this;
    const trusted: Plugin = {
      // A manifest document sent as text runs too: it is exactly what its hash names.
      onParams({ params, setParams }) {
        if (typeof params.query !== "string" || hashOf(params as Params) !== null) return;
        const hash = sha256(params.query);
        if (byText.has(hash)) setParams({ ...params, query: undefined, extensions: { ...params.extensions, persistedQuery: { version: 1, sha256Hash: hash } } });
      },
      // Not GraphiQL either: it could run nothing but the manifest.
      onRequest({ request, endResponse }) {
        if (!shouldRenderGraphiQL(request)) return;
        endResponse(new Response(JSON.stringify({ errors: [{ message: `GraphiQL is off: ${NOT_IN_LIST}`, extensions: { code: "GRAPHIQL_DISABLED" } }] }), { status: 404, headers: { "content-type": "application/json; charset=utf-8" } }));
      },
    };
    return [
      trusted,
      usePersistedOperations({
        getPersistedOperation: (key) => byId.get(normalizeId(key)) ?? null,
        extractPersistedOperationId: (params, request) => hashOf(params as Params) ?? (request.method === "GET" ? new URL(request.url, "http://localhost").searchParams.get("documentId") : null),
        allowArbitraryOperations: false,
        customErrors: {
          notFound: { message: `${NOT_IN_LIST}, and no operation of the manifest has this hash`, extensions: { code: "PERSISTED_QUERY_NOT_IN_LIST", http: { status: 400 } } },
          persistedQueryOnly: { message: `${NOT_IN_LIST}, and this document is not one of them: send an operation of the manifest, by its hash or as its exact text`, extensions: { code: "PERSISTED_QUERY_NOT_IN_LIST", http: { status: 400 } } },
          keyNotFound: { message: `${NOT_IN_LIST}: send an operation's hash (extensions.persistedQuery.sha256Hash or documentId)`, extensions: { code: "PERSISTED_QUERY_ID_REQUIRED", http: { status: 400 } } },
        },
      }),
    ];
  }

  /** yoga's extraParamNames: `documentId` in a POST body is a trusted document's id. */
  extraParamNames(): string[] {
    return this.mode === "trusted" ? ["documentId"] : [];
  }

  /** The document to run for these params (graphql-ws, /graphql/stream), by the rules the HTTP plugins apply. */
  resolve(params: Params): Resolved {
    const hash = hashOf(params);
    const text = typeof params.query === "string" && params.query.trim() !== "" ? params.query : null;
    if (this.mode === "trusted") {
      if (text !== null) return this.byText.has(sha256(text)) ? { query: text } : coded(`${NOT_IN_LIST}, and this document is not one of them: send an operation of the manifest, by its hash or as its exact text`, "PERSISTED_QUERY_NOT_IN_LIST");
      if (hash === null) return coded(`${NOT_IN_LIST}: send an operation's hash (extensions.persistedQuery.sha256Hash or documentId)`, "PERSISTED_QUERY_ID_REQUIRED");
      const doc = this.byId.get(normalizeId(hash));
      return doc !== undefined ? { query: doc } : coded(`${NOT_IN_LIST}, and no operation of the manifest has this hash`, "PERSISTED_QUERY_NOT_IN_LIST");
    }
    if (this.mode === "apq" && hash !== null) {
      if (text === null) {
        const doc = this.apq!.get(hash);
        return doc !== undefined ? { query: doc } : coded("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", 404);
      }
      if (sha256(text) !== hash) return coded("PersistedQueryMismatch", "PERSISTED_QUERY_MISMATCH");
      this.apq!.set(hash, text);
    }
    if (text === null && hash !== null && this.mode === "off") return coded("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED");
    return { query: typeof params.query === "string" ? params.query : "" }; // parsing says what is wrong with it
  }
}
