// One error class per concept; each names the field it is about and why it was rejected.
// The GraphQL layer exposes these as data (union members implementing `Error`).

export class DomainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export class DuplicateTaskKeyError extends ValidationError {
  constructor(
    field: string,
    readonly key: string,
  ) {
    super(field, `task key "${key}" is used more than once`);
  }
}

export class UnknownDependencyError extends ValidationError {
  constructor(
    field: string,
    readonly taskKey: string,
    readonly dependency: string,
  ) {
    super(field, `task "${taskKey}" depends on "${dependency}", which is not a task of this plan`);
  }
}

export class UnknownHandlerError extends ValidationError {
  constructor(
    field: string,
    readonly handler: string,
    readonly knownHandlers: string[],
  ) {
    super(field, `no handler named "${handler}" (known: ${knownHandlers.join(", ")})`);
  }
}

export class CycleError extends ValidationError {
  constructor(readonly cycle: string[]) {
    super("tasks", `dependency cycle: ${cycle.join(" → ")}`);
  }
}

export class NotFoundError extends DomainError {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
  }
}

export class InvalidIdError extends ValidationError {
  constructor(field: string, readonly value: string, expected: string) {
    super(field, `"${value.slice(0, 80)}" is not a valid ${expected} ID`);
  }
}

/** `from` is the current status (the message names it). */
export class InvalidTransitionError extends DomainError {
  constructor(
    readonly entity: string,
    readonly from: string,
    readonly to: string,
    why?: string,
  ) {
    super(`${entity} cannot go from ${from} to ${to}${why ? `: ${why}` : ""}`);
  }
}

/** An allocateResources request that cannot be served now (all or nothing: nothing was allocated). */
export class ResourceUnavailableError extends DomainError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
