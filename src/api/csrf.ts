import { getOperationAST, parse } from "graphql";
import { createGraphQLError, type GraphQLParams, type Plugin } from "graphql-yoga";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";

// CSRF (#8, #16 item 4). A browser sends some requests to another site without a CORS preflight: GET,
// and POSTs with a form or text content type. Those need the x-graphql-yoga-csrf header, which a page
// on another site cannot add without a preflight (yoga's csrf-prevention plugin). One exception: a GET
// asking for text/event-stream that runs a subscription, because a browser's EventSource can send no
// header at all. It cannot do harm: a GET never runs a mutation (yoga answers 405), a subscription only
// reads, and another site cannot read the stream (no CORS for it). Its key comes as a stream ticket
// (stream-tickets.ts), since an EventSource sends no Authorization header either.

export const CSRF_HEADER = "x-graphql-yoga-csrf";

/** Content types a browser POSTs without a preflight (the Fetch standard's CORS-safelisted ones). */
const SIMPLE_CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

export const acceptsEventStream = (request: { headers: Headers }): boolean => /(^|[\s,])text\/event-stream\b/i.test(request.headers.get("accept") ?? "");

/**
 * A request another site's page could send without a preflight and without the CSRF header: GET, HEAD
 * or POST with no content type or a form/text one (yoga's rule). PUT, DELETE and other methods are
 * always preflighted.
 */
export function csrfExposed(request: Request): boolean {
  if (!["GET", "HEAD", "POST"].includes(request.method.toUpperCase())) return false;
  if (request.headers.has(CSRF_HEADER)) return false;
  const type = request.headers.get("content-type")?.toLowerCase();
  return !type || SIMPLE_CONTENT_TYPES.some((t) => type.startsWith(t));
}

/** Does this operation (its document is parsed with the token limit) subscribe? False when it does not parse. */
export function isSubscription(params: Pick<GraphQLParams, "query" | "operationName">, maxTokens: number): boolean {
  if (typeof params.query !== "string") return false;
  try {
    return getOperationAST(parse(params.query, { maxTokens, noLocation: true }), params.operationName)?.operation === "subscription";
  } catch {
    return false;
  }
}

export function csrfError(detail = "") {
  return createGraphQLError(`Required CSRF header(s) not present: send ${CSRF_HEADER} (any value)${detail}`, { extensions: { code: "CSRF_HEADER_REQUIRED", http: { status: 403 } } });
}

const SUBSCRIPTION_ONLY = "; without it a GET may only run a subscription, with Accept: text/event-stream";

/**
 * yoga's csrf-prevention, except for a GET that asks for text/event-stream: that one is let through
 * parsing and must turn out to be a subscription once its params are known (after persisted operations
 * resolved a hash), or it gets the same 403. `subscriptionOnly` also holds the requests a stream ticket
 * authenticated (a ticket is good for a subscription only). Put it after the plugins that resolve params.
 */
export function useCsrf(subscriptionOnly: WeakSet<Request>, maxTokens: () => number): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  const headerless = new WeakSet<Request>();
  return {
    onRequestParse(payload) {
      const { request } = payload;
      if (request.method === "GET" && acceptsEventStream(request) && csrfExposed(request)) return void headerless.add(request);
      return csrf.onRequestParse?.(payload);
    },
    onParams({ params, request }) {
      if (!headerless.has(request) && !subscriptionOnly.has(request)) return;
      if (isSubscription(params, maxTokens())) return;
      if (headerless.has(request)) throw csrfError(SUBSCRIPTION_ONLY);
      throw createGraphQLError("a stream ticket authenticates only a subscription (GET with Accept: text/event-stream); send the key as Authorization: Bearer <key> for anything else", { extensions: { code: "STREAM_TICKET_MISUSED", http: { status: 400 } } });
    },
  };
}
