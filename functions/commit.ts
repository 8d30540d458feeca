// Scheduled Lambda handler that commits staged files as Iceberg snapshots (SPEC.md §2 step 3).
// Not implemented yet: the commit pipeline arrives with issue #5.
import { ExportError } from "../lib/core/errors.js";

export function handler(): Promise<never> {
  return Promise.reject(new ExportError("INTERNAL", "commit is not implemented yet"));
}
