// One error hierarchy for the whole project. Callers decide what to do from `code` and
// `retryable`, never from a message: a retryable failure fails the invocation so that the
// event source or the scheduler runs it again; a non-retryable one is reported and stops.

export type ErrorCode =
  | "CONFIGURATION"
  | "INVALID_EVENT"
  | "INVALID_RECORD"
  | "SCHEMA_NOT_FOUND"
  | "SCHEMA_INVALID"
  | "REGISTRY_UNAVAILABLE"
  | "STORAGE_UNAVAILABLE"
  | "KAFKA_UNAVAILABLE"
  | "CONDITION_FAILED"
  | "COMMIT_CONFLICT"
  | "COMMIT_STATE_UNKNOWN"
  | "TABLE_EXISTS"
  | "TOPIC_NOT_EXPORTABLE"
  | "STAGED_FILES_MISSING"
  | "NOT_FOUND"
  | "STATE_STORE_MISSING"
  | "REPLAY_TOO_LARGE"
  | "INTERNAL";

export interface ExportErrorOptions {
  retryable?: boolean;
  cause?: unknown;
}

export class ExportError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: ExportErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** A setting is missing or malformed; the message names the setting. */
export class ConfigurationError extends ExportError {
  constructor(readonly setting: string, problem: string) {
    super("CONFIGURATION", `configuration setting ${setting}: ${problem}`);
  }
}

/** A service this system depends on did not answer, or answered with a transient failure. */
export class UnavailableError extends ExportError {
  constructor(code: "REGISTRY_UNAVAILABLE" | "STORAGE_UNAVAILABLE" | "KAFKA_UNAVAILABLE", message: string, cause?: unknown) {
    super(code, message, { retryable: true, cause });
  }
}

/** A conditional write lost: someone else changed the item or object first. */
export class ConditionFailedError extends ExportError {
  constructor(message: string, cause?: unknown) {
    super("CONDITION_FAILED", message, { cause });
  }
}

/** An optimistic commit found the table moved since it was read; reload and re-apply. */
export class CommitConflictError extends ExportError {
  constructor(message: string, cause?: unknown) {
    super("COMMIT_CONFLICT", message, { retryable: true, cause });
  }
}

/**
 * The state store is gone, was emptied or replaced (SPEC.md §2.6): never read as "nothing
 * enabled". Retryable, so the event source keeps the batch unacknowledged (and the alarm on
 * failed invocations fires) until the operator restores the store or recovers with `enable`.
 */
export class StateStoreMissingError extends ExportError {
  constructor(message: string, cause?: unknown) {
    super("STATE_STORE_MISSING", message, { retryable: true, cause });
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof ExportError && error.retryable;
}
