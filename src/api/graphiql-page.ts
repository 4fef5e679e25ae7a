import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import { shouldRenderGraphiQL, type GraphiQLOptions, type Plugin } from "graphql-yoga";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";

// The self-contained GraphiQL page (about 9 MB of HTML: GraphiQL, Monaco and its workers inlined, since
// the default page loads them from a CDN) rendered once per process, compressed once per encoding (on the
// first request that asks for it, off the event loop), served with an ETag. yoga's own GraphiQL plugin
// renders the page on every request and sends it uncompressed; app.ts turns it off for this one.

export type Encoding = "br" | "gzip" | "identity";

/**
 * `no-cache`: a browser keeps the page but asks again on every visit (If-None-Match), and gets a 304
 * without a body while it is unchanged. The page lives at the API's unversioned URL, so a max-age would
 * keep showing an old GraphiQL or walkthrough after an upgrade; a revalidation is one small round trip.
 */
export const GRAPHIQL_CACHE_CONTROL = "no-cache";

/** Both at level 6: brotli at its maximum (11) took 13 s on this page for 11 % less. */
const compressors: Record<Exclude<Encoding, "identity">, (raw: Buffer) => Promise<Buffer>> = {
  br: (raw) => promisify(brotliCompress)(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
  gzip: (raw) => promisify(gzip)(raw, { level: 6 }),
};

/**
 * The encoding to send for an Accept-Encoding header: the acceptable one (q > 0) with the highest q, br
 * before gzip on a tie; identity when neither is acceptable, when the header is absent, or when it gives
 * identity itself a higher q.
 */
export function negotiateEncoding(acceptEncoding: string | null | undefined): Encoding {
  if (!acceptEncoding) return "identity";
  const q = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [coding = "", ...params] = part.split(";").map((s) => s.trim());
    if (!coding) continue;
    const given = params.find((p) => p.startsWith("q="));
    const value = given === undefined ? 1 : Number(given.slice(2));
    q.set(coding, Number.isFinite(value) ? value : 0);
  }
  const weight = (...names: string[]) => names.map((n) => q.get(n)).find((v) => v !== undefined) ?? q.get("*") ?? 0;
  const br = weight("br");
  const gz = weight("gzip", "x-gzip");
  const best: Encoding | null = br > 0 && br >= gz ? "br" : gz > 0 ? "gzip" : null;
  if (!best) return "identity";
  return (q.get("identity") ?? 0) > Math.max(br, gz) ? "identity" : best;
}

/** If-None-Match by weak comparison (RFC 9110 §13.1.2): `*`, or a listed tag with this one's opaque part. */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => opaque(tag) === opaque(etag));
}

/** One rendered page and its encodings. */
export class GraphiQLPage {
  readonly raw: Buffer;
  private readonly hash: string;
  private readonly encoded = new Map<Exclude<Encoding, "identity">, Promise<Buffer>>();

  constructor(options: GraphiQLOptions) {
    this.raw = Buffer.from(renderGraphiQL(options), "utf8");
    this.hash = createHash("sha256").update(this.raw).digest("base64url").slice(0, 27);
  }

  /** One strong tag per encoding: each is another representation (its bytes differ). */
  etag(encoding: Encoding): string {
    return `"${this.hash}${encoding === "identity" ? "" : `-${encoding}`}"`;
  }

  /** The page in this encoding: compressed on the first call for it, the same bytes afterwards (concurrent first calls share one compression). */
  body(encoding: Encoding): Promise<Buffer> {
    if (encoding === "identity") return Promise.resolve(this.raw);
    let body = this.encoded.get(encoding);
    if (!body) {
      body = compressors[encoding](this.raw);
      this.encoded.set(encoding, body);
      body.catch(() => this.encoded.delete(encoding)); // a failed compression is tried again by the next request
    }
    return body;
  }
}

/** Pages by their options: the apps of one process (tests start many) render and compress each page once. */
const pages = new Map<string, GraphiQLPage>();

export function graphiqlPage(options: GraphiQLOptions): GraphiQLPage {
  const key = JSON.stringify(options);
  let page = pages.get(key);
  if (!page) pages.set(key, (page = new GraphiQLPage(options)));
  return page;
}

/**
 * Serves GraphiQL where yoga's plugin did: a GET that accepts text/html on the GraphQL endpoint (with or
 * without a trailing slash, whatever the query string); every other request goes on to GraphQL. The page
 * is rendered on the first such request, not when the app is built.
 */
export function useGraphiQLPage(options: GraphiQLOptions, endpoint = "/graphql"): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!shouldRenderGraphiQL(request) || (url.pathname !== endpoint && url.pathname !== `${endpoint}/`)) return;
      const page = graphiqlPage(options);
      const encoding = negotiateEncoding(request.headers.get("accept-encoding"));
      const etag = page.etag(encoding);
      // The same URL answers GraphQL requests: caches key the page on Accept too.
      const headers: Record<string, string> = { "content-type": "text/html; charset=utf-8", "cache-control": GRAPHIQL_CACHE_CONTROL, etag, vary: "Accept, Accept-Encoding" };
      if (etagMatches(request.headers.get("if-none-match"), etag)) return endResponse(new fetchAPI.Response(null, { status: 304, headers }));
      return page.body(encoding).then((body) => {
        if (encoding !== "identity") headers["content-encoding"] = encoding;
        headers["content-length"] = String(body.length);
        endResponse(new fetchAPI.Response(body as Uint8Array<ArrayBuffer>, { status: 200, headers })); // a Buffer of zlib's or Buffer.from's: never on a SharedArrayBuffer
      });
    },
  };
}
