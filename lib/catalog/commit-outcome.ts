// When a commit's answer is lost (a timeout, a 5xx, a connection reset after the request was
// sent) the pointer swap may or may not have happened. Re-applying blindly could append the
// same files twice, and giving up could lose them, so the caller reloads the table and asks
// whether it now points at the metadata file the commit attempted.
import { ExportError } from "../core/errors.js";
import type { LoadedTable } from "./catalog.js";

export class CommitStateUnknownError extends ExportError {
  constructor(readonly attemptedMetadataLocation: string, message: string, cause?: unknown) {
    super("COMMIT_STATE_UNKNOWN", message, { retryable: true, cause });
  }
}

/**
 * Whether the commit that attempted `attemptedMetadataLocation` landed, judged from the table
 * reloaded after it: the table points at that file, or at a later one whose `metadata-log`
 * lists it (another writer committed on top of ours). Metadata file names carry a fresh UUID,
 * so no other commit can have registered the same file.
 */
export function checkCommitLanded(loaded: LoadedTable | undefined, attemptedMetadataLocation: string): boolean {
  if (loaded === undefined) return false;
  if (loaded.metadataLocation === attemptedMetadataLocation) return true;
  return loaded.metadata["metadata-log"].some((entry) => entry["metadata-file"] === attemptedMetadataLocation);
}
