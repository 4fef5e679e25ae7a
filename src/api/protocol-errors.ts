import { createGraphQLError, type Plugin } from "graphql-yoga";
import { httpStatusCode } from "../graphql/error-codes.ts";

// Every refusal of /graphql is JSON with a message, also the ones yoga answers with an empty or plain
// body (405, 406, 415…), and malformed GET parameters are a 400 instead of an exception (a 500).

const MESSAGES: Record<number, string> = {
  405: "method not allowed on /graphql: use GET or POST (GraphQL over HTTP)",
  406: "none of the accepted media types can be served: accept application/graphql-response+json, application/json, text/event-stream or multipart/mixed",
  415: "unsupported content type: send application/json",
};

const JSON_PARAMS = ["variables", "extensions"] as const;

export function useProtocolErrors(): Plugin {
  return {
    onRequestParse({ request, url }) {
      if (request.method !== "GET") return;
      for (const name of JSON_PARAMS) {
        const raw = url.searchParams.get(name);
        if (raw === null || raw === "") continue;
        let value: unknown;
        try {
          value = JSON.parse(raw);
        } catch {
          value = undefined;
        }
        if (value === null || typeof value !== "object" || Array.isArray(value))
          throw createGraphQLError(`the ${name} parameter must be a JSON object`, { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });
      }
    },
    onResponse({ response, setResponse, fetchAPI }) {
      if (response.status < 400) return;
      const type = response.headers.get("content-type") ?? "";
      // JSON, SSE and multipart answers carry their errors already (and a multipart one is chunked: rewriting it broke the framing).
      if (type.includes("json") || type.includes("text/event-stream") || type.includes("multipart")) return;
      const message = MESSAGES[response.status] ?? `request refused: ${response.status} ${response.statusText}`.trim();
      const headers = new fetchAPI.Headers(response.headers);
      headers.set("content-type", "application/json; charset=utf-8");
      headers.delete("content-length");
      headers.delete("transfer-encoding");
      const body = JSON.stringify({ errors: [{ message, extensions: { code: httpStatusCode(response.status) } }] });
      setResponse(new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers }));
    },
  };
}
