// A Protobuf schema, or a table schema state, that the mapping of SPEC.md §3 cannot handle,
// found at one field. It names the field path; whoever knows the topic, the subject and the
// message (table-schema-cache.ts) puts them in front, so an operator reads all four at once.
import { ExportError } from "../core/errors.js";

export class SchemaMappingError extends ExportError {
  constructor(
    readonly fieldPath: string,
    readonly problem: string,
  ) {
    super("SCHEMA_INVALID", `field ${fieldPath}: ${problem}`);
  }
}

/**
 * `error` with `context` (which topic, subject and message it concerns) in front of its
 * message, code and retryable flag kept. What is not an ExportError is a schema the mapping
 * could not handle, and becomes SCHEMA_INVALID: no bare internal error reaches an operator.
 */
export function inSchemaContext(context: string, error: unknown): ExportError {
  if (error instanceof ExportError) return new ExportError(error.code, `${context}: ${error.message}`, { retryable: error.retryable, cause: error });
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ExportError("SCHEMA_INVALID", `${context}: the schema cannot be mapped to a table (${detail})`, { cause: error });
}

export function withSchemaContext<T>(context: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw inSchemaContext(context, error);
  }
}
