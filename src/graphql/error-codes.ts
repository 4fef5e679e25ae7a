import { DomainError, InvalidTransitionError, NotFoundError } from "../domain/errors.ts";

// The one list of `extensions.code` values a client can get, on every transport (HTTP GET/POST, SSE,
// graphql-sse, graphql-ws). The README's "Errors" table is printed from it (errorCodeTable) and a test
// compares the two; another test fails on a code literal in src/api or src/graphql that is not here.

export type ErrorGroup = "domain" | "request" | "auth" | "limit" | "persisted" | "stream" | "server";

export interface ErrorCodeInfo {
  readonly group: ErrorGroup;
  /** When a client gets it. */
  readonly when: string;
  /** The HTTP status of a POST/GET on /graphql that gets it ("—" when HTTP cannot get it). */
  readonly http: string;
  /** Extensions besides `code`. */
  readonly extensions?: string;
}

/** yoga's status for a document it refuses: the GraphQL-over-HTTP spec's 400, 200 to a client accepting only application/json. */
const REFUSED = "400 (200 with `Accept: application/json`)";

/**
 * Domain refusals are coded by the name of their schema type (the union member a mutation returns as
 * data, with the same fields): one name per refusal, whether it comes as data or as a GraphQL error.
 */
const domain = (when: string, extensions: string): ErrorCodeInfo => ({ group: "domain", when, http: "200", extensions });

export const ERROR_CODES = {
  ValidationError: domain("An argument or input is refused: a bad `first`/`last`/`after`/`before` of a connection, `afterSeq: -1`, more than 100 `nodes(ids:)`…", "`field`, `reason`"),
  InvalidIdError: domain("An ID argument is neither a global ID of the expected type nor a bare UUID.", "`field`, `reason`, `value`"),
  NotFoundError: domain("A subscription's execution does not exist. (A query's unknown ID is `null`, no error.)", "`entity`, `entityId`"),
  InvalidTransitionError: domain("The call does not apply to the execution's current status.", "`currentStatus`, `requestedStatus`"),
  CycleError: domain("A plan's tasks depend on each other in a cycle.", "`field`, `reason`, `cycle`"),
  DuplicateTaskKeyError: domain("Two tasks of a plan have the same key.", "`field`, `reason`, `key`"),
  UnknownDependencyError: domain("A task depends on a key that is not a task of the plan.", "`field`, `reason`, `taskKey`, `dependency`"),
  UnknownHandlerError: domain("A task names a handler no worker has.", "`field`, `reason`, `handler`, `knownHandlers`"),
  ResourceUnavailableError: domain("allocateResources cannot be served now (nothing was allocated).", "`field`, `reason`"),

  BAD_USER_INPUT: { group: "request", when: "A variable is missing or of the wrong type.", http: "400" },
  GRAPHQL_PARSE_FAILED: { group: "request", when: "The document does not parse.", http: REFUSED },
  GRAPHQL_VALIDATION_FAILED: { group: "request", when: "The document is not valid against the schema (unknown field, wrong argument type…).", http: REFUSED },
  OPERATION_RESOLUTION_FAILURE: { group: "request", when: "`operationName` names no operation of the document (or it holds several and none is named).", http: "400" },
  BAD_REQUEST: { group: "request", when: "Not a GraphQL request: no query, a body that is not JSON, `variables`/`extensions` that are not JSON objects, a method other than GET and POST, a GET of a mutation (405).", http: "400, 405" },
  HTTP_404: { group: "request", when: "A path this server does not serve.", http: "404" },
  HTTP_405: { group: "request", when: "A method a path does not serve, e.g. GET on /graphql/stream-ticket.", http: "405" },
  HTTP_406: { group: "request", when: "None of the accepted media types can be served (e.g. a subscription over `Accept: application/json`).", http: "406" },
  HTTP_415: { group: "request", when: "A POST body of another content type than JSON.", http: "415" },

  UNAUTHENTICATED: { group: "auth", when: "Keys mode and no usable key (missing, wrong or revoked). graphql-ws: the socket closes with 4401 instead.", http: "401" },
  FORBIDDEN: { group: "auth", when: "A field above the key's role (the error's path names it).", http: "200", extensions: "`requiredRole`" },
  CSRF_HEADER_REQUIRED: { group: "auth", when: "A browser's simple request (GET, form or `text/plain` POST) without `x-graphql-yoga-csrf`.", http: "403" },
  HOST_NOT_ALLOWED: { group: "auth", when: "Open mode and a Host header other than localhost, 127.0.0.1 or [::1].", http: "403" },
  STREAM_TICKET_INVALID: { group: "auth", when: "A stream ticket that is spent, expired or forged.", http: "401" },
  STREAM_TICKET_MISUSED: { group: "auth", when: "A stream ticket on anything but a GET subscription asking for `text/event-stream`.", http: "400" },

  QUERY_TOO_LARGE: { group: "limit", when: "More tokens than `GRAPHQL_MAX_TOKENS`.", http: REFUSED },
  QUERY_TOO_DEEP: { group: "limit", when: "Deeper than `GRAPHQL_MAX_DEPTH`.", http: REFUSED },
  QUERY_TOO_COSTLY: { group: "limit", when: "Costlier than `GRAPHQL_MAX_COST`.", http: REFUSED },
  TOO_MANY_ALIASES: { group: "limit", when: "More aliases than `GRAPHQL_MAX_ALIASES`.", http: REFUSED },
  TOO_MANY_DIRECTIVES: { group: "limit", when: "More directives than `GRAPHQL_MAX_DIRECTIVES`.", http: REFUSED },
  INTROSPECTION_DISABLED: { group: "limit", when: "Introspection while it is off (keys mode by default).", http: REFUSED },
  REQUEST_TOO_LARGE: { group: "limit", when: "A body over `GRAPHQL_MAX_BODY_BYTES`.", http: "413", extensions: "`maxBytes`" },
  RATE_LIMITED: { group: "limit", when: "Over the key's (or address's) operation rate.", http: "429 + `Retry-After`", extensions: "`retryAfterSeconds`" },
  TOO_MANY_SUBSCRIPTIONS: { group: "limit", when: "More operations at once on one graphql-ws connection than `WS_MAX_SUBSCRIPTIONS`.", http: "—" },
  TOO_MANY_STREAM_RESERVATIONS: { group: "limit", when: "More unopened graphql-sse reservations per key than allowed.", http: "429" },

  PERSISTED_QUERY_NOT_FOUND: { group: "persisted", when: "APQ: a hash this process does not hold (send the document with it).", http: "404" },
  PERSISTED_QUERY_MISMATCH: { group: "persisted", when: "APQ: a document whose SHA-256 is not the hash sent.", http: "400" },
  PERSISTED_QUERY_NOT_SUPPORTED: { group: "persisted", when: "A hash alone while APQ is off (`APQ_MAX_ENTRIES=0`).", http: "400" },
  PERSISTED_QUERY_NOT_IN_LIST: { group: "persisted", when: "Trusted documents: an operation that is not in the manifest.", http: "400" },
  PERSISTED_QUERY_ID_REQUIRED: { group: "persisted", when: "Trusted documents: neither a hash nor a document.", http: "400" },
  GRAPHIQL_DISABLED: { group: "persisted", when: "Trusted documents: the GraphiQL page is not served.", http: "404" },

  STREAM_NOT_FOUND: { group: "stream", when: "graphql-sse: an unknown stream token, or another key's.", http: "404" },
  STREAM_ALREADY_OPEN: { group: "stream", when: "graphql-sse: a second GET of a reserved stream.", http: "409" },

  INTERNAL_SERVER_ERROR: { group: "server", when: "Anything unexpected: the message is `Unexpected error.`, with no stack, SQL or driver message (the log has the detail).", http: "500, or 200 with the field's error" },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === "string" && Object.hasOwn(ERROR_CODES, code);

/** `HTTP_<status>` for the statuses the list has, else the code of any other refusal (4xx) or failure. */
export const httpStatusCode = (status: number): ErrorCode => {
  const code = `HTTP_${status}`;
  return isErrorCode(code) ? code : status < 500 ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR";
};

/**
 * A domain error as a GraphQL error's extensions: its code (the name of its schema type, or of the nearest
 * ancestor that has one) and the fields that type exposes, so a refusal reads the same as data (a
 * mutation's union member) and as an error. null for a DomainError without a listed ancestor (masked).
 */
export function domainErrorExtensions(error: DomainError): ({ code: ErrorCode } & Record<string, unknown>) | null {
  let proto: { constructor: { name: string } } | null = Object.getPrototypeOf(error);
  while (proto && proto !== DomainError.prototype && !isDomainCode(proto.constructor.name)) proto = Object.getPrototypeOf(proto);
  const code = proto?.constructor.name;
  if (!isDomainCode(code)) return null;
  if (error instanceof NotFoundError) return { code, entity: error.entity, entityId: error.id };
  if (error instanceof InvalidTransitionError) return { code, currentStatus: error.from, requestedStatus: error.to };
  // ValidationError and its kinds, ResourceUnavailableError: their own fields (field, reason, value, cycle…).
  const own = Object.entries(error).filter(([k, v]) => k !== "name" && v !== undefined);
  return { code, ...Object.fromEntries(own) };
}

const isDomainCode = (code: unknown): code is ErrorCode => isErrorCode(code) && ERROR_CODES[code].group === "domain";

/** The README's table of codes (printed from ERROR_CODES; test/error-codes.test.ts compares them). */
export function errorCodeTable(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, info]: [string, ErrorCodeInfo]) => `| \`${code}\` | ${info.group} | ${info.when} | ${info.http} | ${info.extensions ?? ""} |`);
  return ["| Code | Kind | When | HTTP status | Extensions besides `code` |", "|---|---|---|---|---|", ...rows].join("\n");
}
