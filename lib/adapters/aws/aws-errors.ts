// What an AWS SDK failure means for the export, decided from what the SDK sets on its
// errors: the exception name, `$metadata.httpStatusCode`, `$retryable`, and the Node
// `code` of a network failure. Never from message text, which AWS may reword.
import { ExportError, UnavailableError } from "../../core/errors.js";

/** Service answers that say "try again later" rather than "this request is wrong". */
const transientErrorNames: ReadonlySet<string> = new Set([
  "BandwidthLimitExceeded",
  // S3: a concurrent conditional write on the same key is in progress.
  "ConditionalRequestConflict",
  "InternalError",
  "InternalFailure",
  "InternalServerError",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "RequestTimeout",
  "RequestTimeoutException",
  "ServiceUnavailable",
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "TimeoutError",
  "TooManyRequestsException",
  "TransactionConflictException",
  "TransactionInProgressException",
]);

/** Node socket and DNS failures: the request may never have reached the service. */
const networkErrorCodes: ReadonlySet<string> = new Set([
  "EAI_AGAIN",
  "ECONNABORTED",
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTDOWN",
  "EHOSTUNREACH",
  "ENETDOWN",
  "ENETUNREACH",
  "ENOTFOUND",
  "EPIPE",
  "ETIMEDOUT",
]);

interface AwsErrorFields {
  name?: unknown;
  code?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

export function awsErrorName(error: unknown): string | undefined {
  const name = fieldsOf(error)?.name;
  return typeof name === "string" ? name : undefined;
}

export function awsHttpStatus(error: unknown): number | undefined {
  const status = fieldsOf(error)?.$metadata?.httpStatusCode;
  return typeof status === "number" ? status : undefined;
}

export function isTransientAwsError(error: unknown): boolean {
  const fields = fieldsOf(error);
  if (fields === undefined) return false;
  if (fields.$retryable !== undefined) return true;
  const status = awsHttpStatus(error);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  const name = awsErrorName(error);
  if (name !== undefined && transientErrorNames.has(name)) return true;
  return typeof fields.code === "string" && networkErrorCodes.has(fields.code);
}

/**
 * The ExportError for a failed AWS call: retryable STORAGE_UNAVAILABLE when the failure is
 * transient, otherwise a non-retryable INTERNAL error. `operation` names the call and what
 * it addressed, e.g. "S3 GetObject s3://bucket/key".
 */
export function awsFailure(operation: string, error: unknown): ExportError {
  const summary = `${operation} failed: ${describeAwsError(error)}`;
  if (isTransientAwsError(error)) return new UnavailableError("STORAGE_UNAVAILABLE", summary, error);
  return new ExportError("INTERNAL", summary, { cause: error });
}

/** Name, HTTP status and network code, for messages; the SDK's own message stays in `cause`. */
export function describeAwsError(error: unknown): string {
  const fields = fieldsOf(error);
  if (fields === undefined) return String(error);
  const parts = [awsErrorName(error) ?? "error"];
  const status = awsHttpStatus(error);
  if (status !== undefined) parts.push(`HTTP ${status}`);
  if (typeof fields.code === "string") parts.push(fields.code);
  return parts.join(", ");
}

function fieldsOf(error: unknown): AwsErrorFields | undefined {
  return typeof error === "object" && error !== null ? error : undefined;
}
