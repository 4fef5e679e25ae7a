import { PothosValidationError } from "@pothos/core";
import { GraphQLError, Kind, type FieldNode, type GraphQLFormattedError } from "graphql";
import { maskError } from "graphql-yoga";
import { DomainError, ValidationError } from "../domain/errors.ts";
import { domainErrorExtensions, type ErrorCode } from "../graphql/error-codes.ts";

// One rule for every transport (HTTP, SSE, graphql-ws): a client's mistake is a GraphQL error with an
// `extensions.code` from src/graphql/error-codes.ts (and the field, for a ValidationError), never a 5xx;
// anything else stays masked. This is the one place domain errors become GraphQL errors.

/** Codes of the request errors that graphql-js and yoga raise without one (matched on their messages). */
const REQUEST_ERROR_CODES: readonly [RegExp, ErrorCode][] = [
  [/^Required CSRF header/, "CSRF_HEADER_REQUIRED"],
  [/^Variable "\$/, "BAD_USER_INPUT"],
];

/** The Pothos connection errors a client causes: the argument each is about, and why. */
const PAGING_ERRORS: readonly [RegExp, (match: RegExpExecArray, field: FieldNode | undefined) => [string, string]][] = [
  [/^Argument "(first|last)" must be a non-negative integer$/, (m) => [m[1]!, "must be 0 or more"]],
  [/^Argument "last" can only be used in combination with "before" or "first"$/, () => ["last", 'needs "before" or "first"']],
  [/^Arguments "(\w+)" and "(\w+)" are not supported at the same time$/, (m) => [m[1]!, `cannot be combined with "${m[2]}"`]],
  [/^(Invalid cursor|Cursor must be a string|Invalid offset cursor)/, (_m, field) => [cursorArgument(field), "is not a cursor of this connection"]],
];

/** yoga's maskError: client errors coded and kept, the rest masked (logged by yoga). */
export function maskClientError(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const domain = original instanceof DomainError ? original : error instanceof GraphQLError ? pagingError(error, original) : null;
  const extensions = domain && domainErrorExtensions(domain);
  if (domain && extensions) {
    return error instanceof GraphQLError ? asClientError(error, domain.message, extensions) : new GraphQLError(domain.message, { extensions });
  }
  // Never in development mode either: no stack, SQL or driver message reaches a client.
  const masked = maskError(error, message, false);
  return masked instanceof GraphQLError ? withCode(masked) : masked;
}

/** An error as a graphql-ws message carries it: coded, and without yoga's internal `extensions.http`. */
export function clientErrorJSON(thrown: GraphQLError): GraphQLFormattedError {
  // graphql-ws wraps an error a stream throws (a NotFoundError located at its field) in a new GraphQLError
  // without its path and locations: send the error itself, as over SSE.
  const error = thrown.originalError instanceof GraphQLError ? thrown.originalError : thrown;
  const { http: _http, ...extensions } = withCode(error).extensions;
  const json = error.toJSON();
  return { ...json, extensions };
}

/** A request error (no path) without a code gets one; field errors without one are the server's. */
function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions.code !== undefined || error.path !== undefined) return error;
  const code: ErrorCode = REQUEST_ERROR_CODES.find(([pattern]) => pattern.test(error.message))?.[1] ?? "BAD_REQUEST";
  return asClientError(error, error.message, { ...error.extensions, code });
}

/** A connection argument that Pothos refused (PothosValidationError) as a ValidationError naming it. */
function pagingError(error: GraphQLError, original: unknown): ValidationError | null {
  if (!(original instanceof PothosValidationError)) return null;
  const node = error.nodes?.[0];
  for (const [pattern, describe] of PAGING_ERRORS) {
    const match = pattern.exec(original.message);
    if (match) return new ValidationError(...describe(match, node?.kind === Kind.FIELD ? node : undefined));
  }
  return null;
}

/** The cursor argument the field was given: `before` when only it is, else `after`. */
function cursorArgument(field: FieldNode | undefined): string {
  const given = (field?.arguments ?? []).map((a) => a.name.value);
  return given.includes("before") && !given.includes("after") ? "before" : "after";
}

/**
 * The error as the client's: another message and extensions, and no cause (yoga answers 500 to a cause
 * that is not a GraphQLError). In place, because yoga logs an error that maskError replaced as a failure.
 */
function asClientError(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  return Object.assign(error, { message, extensions, originalError: undefined });
}
