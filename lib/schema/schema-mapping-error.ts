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
