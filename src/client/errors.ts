import type { EngineErrorFieldsFragment } from "./__generated__/graphql.ts";

// What the client throws. A mutation's result union holds either its value or a member implementing
// `interface Error { message }`: the helpers return the value and throw the member as an EngineError
// subclass named like its GraphQL type. A response with errors[] (refused, invalid, unauthenticated…)
// throws EngineGraphQLError with extensions.code; a transport that fails throws EngineConnectionError.

/** A result-union error member as selected by EngineErrorFields (every type implementing Error). */
export type EngineErrorResult = EngineErrorFieldsFragment;
export type EngineErrorTypename = EngineErrorResult["__typename"];
type Member<N extends EngineErrorTypename> = Extract<EngineErrorResult, { __typename: N }>;

/** An error member of a mutation's result union, e.g. a ValidationError: nothing was written. */
export class EngineError<R extends EngineErrorResult = EngineErrorResult> extends Error {
  /** The GraphQL type of the member, e.g. "ValidationError" */
  readonly __typename: R["__typename"];
  /** Path of the offending input (ValidationError, InvalidIdError, CycleError… — not NotFoundError or InvalidTransitionError) */
  readonly field: string | undefined;
  /** Why it was rejected, without the field */
  readonly reason: string | undefined;
  /** The member as received, with every field of its type */
  readonly result: R;

  constructor(result: R) {
    super(result.message);
    this.name = new.target.name;
    this.__typename = result.__typename;
    this.result = result;
    this.field = "field" in result ? result.field : undefined;
    this.reason = "reason" in result ? result.reason : undefined;
  }
}

export class ValidationError extends EngineError<Member<"ValidationError">> {}
export class InvalidIdError extends EngineError<Member<"InvalidIdError">> {
  get value(): string {
    return this.result.value;
  }
}
export class NotFoundError extends EngineError<Member<"NotFoundError">> {
  get entity(): string {
    return this.result.entity;
  }
  get entityId(): string {
    return this.result.entityId;
  }
}
export class InvalidTransitionError extends EngineError<Member<"InvalidTransitionError">> {
  get currentStatus(): string {
    return this.result.currentStatus;
  }
  get requestedStatus(): string {
    return this.result.requestedStatus;
  }
}
export class CycleError extends EngineError<Member<"CycleError">> {
  get cycle(): string[] {
    return this.result.cycle;
  }
}
export class DuplicateTaskKeyError extends EngineError<Member<"DuplicateTaskKeyError">> {
  get key(): string {
    return this.result.key;
  }
}
export class UnknownDependencyError extends EngineError<Member<"UnknownDependencyError">> {
  get taskKey(): string {
    return this.result.taskKey;
  }
  get dependency(): string {
    return this.result.dependency;
  }
}
export class UnknownHandlerError extends EngineError<Member<"UnknownHandlerError">> {
  get handler(): string {
    return this.result.handler;
  }
  get knownHandlers(): string[] {
    return this.result.knownHandlers;
  }
}
export class ResourceUnavailableError extends EngineError<Member<"ResourceUnavailableError">> {}

/** One class per type implementing Error (test/client.int.test.ts checks it against the schema). */
export const ERROR_CLASSES: { [N in EngineErrorTypename]: new (result: Member<N>) => EngineError<Member<N>> } = {
  ValidationError,
  InvalidIdError,
  NotFoundError,
  InvalidTransitionError,
  CycleError,
  DuplicateTaskKeyError,
  UnknownDependencyError,
  UnknownHandlerError,
  ResourceUnavailableError,
};

/** The exception for an error member (a type this client does not know yet: the base class). */
export function engineErrorOf(result: EngineErrorResult): EngineError {
  const Class = ERROR_CLASSES[result.__typename] as (new (r: EngineErrorResult) => EngineError) | undefined;
  return Class ? new Class(result) : new EngineError(result);
}

/** One entry of a GraphQL response's errors[]. */
export interface GraphQLErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** The server answered with errors[]: the operation was refused or failed (nothing to unwrap). */
export class EngineGraphQLError extends Error {
  /** extensions.code of the first error, e.g. UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, RATE_LIMITED */
  readonly code: string | undefined;
  /** extensions of the first error */
  readonly extensions: GraphQLErrorEntry["extensions"];
  /** HTTP status (undefined over graphql-ws) */
  readonly status: number | undefined;

  constructor(
    readonly errors: readonly GraphQLErrorEntry[],
    options: { status?: number; data?: unknown } = {},
  ) {
    super(errors.map((e) => e.message).join("; ") || "GraphQL error");
    this.name = "EngineGraphQLError";
    this.extensions = errors[0]?.extensions;
    this.code = typeof this.extensions?.code === "string" ? this.extensions.code : undefined;
    this.status = options.status;
    this.data = options.data;
  }

  /** Partial data the response carried beside its errors, if any */
  readonly data: unknown;
}

/** The transport failed: fetch rejected, a non-GraphQL HTTP answer, or a WebSocket closed for good. */
export class EngineConnectionError extends Error {
  constructor(
    message: string,
    readonly details: { status?: number; closeCode?: number; closeReason?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = "EngineConnectionError";
  }
}
