// PostgreSQL stores neither NUL (text rejects the byte, jsonb the \u0000 escape) nor unpaired UTF-16
// surrogates (jsonb rejects their escapes). JavaScript strings hold both, and handlers hand over what they
// got: an http body, a binary log line, a message cut in the middle of a surrogate pair. One such
// character used to fail the whole transaction (a run's end, then the run, as LEASE_EXPIRED). Every
// statement parameter passes here instead: such characters become U+FFFD, the Unicode replacement
// character, in plain strings and, for parameters the statement casts to json/jsonb (`$n::jsonb`), in
// their JSON escapes too (object keys and values alike). The value is stored, visibly marked where it
// was changed; the rest of it is kept as it was.

const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `s` with NUL and unpaired surrogates replaced by U+FFFD (the same string when it has none). */
export function storableText(s: string): string {
  return SUSPECT.test(s) ? s.replace(UNSTORABLE, "\uFFFD") : s;
}

// Every escape of a JSON text, left to right, so that an escaped backslash is never read as the start of
// an escape (`\\u0000` is a backslash and "u0000").
const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|[^u])/g;
const LOW_SURROGATE_ESCAPE = /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/;

/** A JSON text with \u0000 and the escapes of unpaired surrogates replaced by \ufffd (and storableText). */
export function storableJson(text: string): string {
  if (!text.includes("\\u")) return storableText(text);
  let pairedLowAt = -1;
  const escaped = text.replace(ESCAPE, (match, hex: string | undefined, at: number) => {
    if (hex === undefined) return match;
    const code = parseInt(hex, 16);
    if (code === 0) return "\\ufffd";
    if (code >= 0xd800 && code <= 0xdbff) {
      if (!LOW_SURROGATE_ESCAPE.test(text.slice(at + 6, at + 12))) return "\\ufffd";
      pairedLowAt = at + 6;
      return match;
    }
    if (code >= 0xdc00 && code <= 0xdfff && at !== pairedLowAt) return "\\ufffd";
    return match;
  });
  return storableText(escaped);
}

const JSON_PARAM = /\$(\d+)\s*::\s*jsonb?\b/g;

/** The statement's parameters, made storable: strings (also in arrays) by storableText, json/jsonb ones by storableJson. */
export function storableParams(text: string, params: unknown[] | undefined): unknown[] | undefined {
  const suspect = (p: unknown): boolean =>
    typeof p === "string" ? SUSPECT.test(p) || p.includes("\\u") : Array.isArray(p) && p.some((v) => typeof v === "string" && SUSPECT.test(v));
  if (!params?.some(suspect)) return params; // the usual case: nothing to copy
  const json = new Set([...text.matchAll(JSON_PARAM)].map((m) => Number(m[1])));
  return params.map((p, i) => {
    if (typeof p === "string") return json.has(i + 1) ? storableJson(p) : storableText(p);
    if (Array.isArray(p)) return p.map((v: unknown) => (typeof v === "string" ? storableText(v) : v));
    return p;
  });
}
