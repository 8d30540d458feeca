// What a failed UpdateTable means for a commit. Glue may have applied an update whose answer
// never arrived, so only an answer from Glue itself, or a connection that was never made,
// proves the pointer did not move; every other failure leaves the commit's outcome unknown.
// Decided from the SDK's error fields, never from message text (see aws-errors.ts).
import { CommitStateUnknownError } from "../../catalog/commit-outcome.js";
import { CommitConflictError, ExportError } from "../../core/errors.js";
import { isNotConnected } from "../../core/network-errors.js";
import { awsErrorName, awsFailure, awsHttpStatus, describeAwsError } from "./aws-errors.js";

export interface UpdateTableAttempt {
  /** `database.table`, for messages. */
  table: string;
  /** The Glue VersionId the update was guarded by. */
  version: string;
  attemptedMetadataLocation: string;
}

export function updateTableFailure(error: unknown, attempt: UpdateTableAttempt): ExportError {
  const operation = `Glue UpdateTable ${attempt.table}`;
  // The SDK retries on its own. An attempt before the last may have been applied with its
  // answer lost; the retry then fails with ConcurrentModificationException (the version
  // moved) whatever happened, so after a retry no failure proves anything.
  if (sdkAttempts(error) > 1) return stateUnknown(error, attempt, operation);
  const name = awsErrorName(error);
  if (name === "ConcurrentModificationException") {
    return new CommitConflictError(`${operation}: the table moved on from Glue version ${attempt.version} meanwhile; reload and re-apply`, error);
  }
  if (name === "EntityNotFoundException") {
    return new ExportError("NOT_FOUND", `${operation}: the table or its database no longer exists`, { cause: error });
  }
  // Throttling and other refusals become retryable STORAGE_UNAVAILABLE or non-retryable INTERNAL there.
  if (isAnswerFromGlue(error) || isNotConnected(error)) return awsFailure(operation, error);
  return stateUnknown(error, attempt, operation);
}

function stateUnknown(error: unknown, attempt: UpdateTableAttempt, operation: string): CommitStateUnknownError {
  const message = `${operation} failed after the update may have been applied (${describeAwsError(error)}); reload the table and check whether it is at ${attempt.attemptedMetadataLocation}`;
  return new CommitStateUnknownError(attempt.attemptedMetadataLocation, message, error);
}

/** A 4xx is Glue refusing the request; a 5xx may come after the update was applied. */
function isAnswerFromGlue(error: unknown): boolean {
  const status = awsHttpStatus(error);
  return status !== undefined && status >= 400 && status < 500;
}

function sdkAttempts(error: unknown): number {
  const attempts = (error as { $metadata?: { attempts?: unknown } } | null)?.$metadata?.attempts;
  return typeof attempts === "number" ? attempts : 1;
}
