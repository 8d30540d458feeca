// When a commit's answer is lost (a timeout, a 5xx, a connection reset after the request was
// sent) the pointer swap may or may not have happened. Re-applying blindly could append the
// same files twice, and giving up could lose them, so the caller reloads the table and asks
// whether it now holds the commit: by the metadata file the commit attempted, where the
// catalog told it (Glue, local: we name the file), or else by the snapshot the commit added
// (a REST catalog names the file itself). Snapshot ids are random 63-bit numbers chosen per
// commit, so no other writer's snapshot has ours.
import { ExportError } from "../core/errors.js";
import type { LoadedTable, TableCommit } from "./catalog.js";

export class CommitStateUnknownError extends ExportError {
  /** undefined when the catalog names metadata files itself (REST). */
  constructor(readonly attemptedMetadataLocation: string | undefined, message: string, cause?: unknown) {
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

/**
 * Whether the commit whose outcome `error` left unknown is in the reloaded table; undefined
 * when nothing tells (no metadata file name known, no snapshot added): the caller plans again
 * on the reloaded table, which suits a change planned from the table itself (an expiry, a
 * property), as re-planning it on a table that already holds it finds nothing left to do.
 */
export function commitLanded(loaded: LoadedTable | undefined, error: CommitStateUnknownError, commit: Pick<TableCommit, "updates">): boolean | undefined {
  if (error.attemptedMetadataLocation !== undefined) return checkCommitLanded(loaded, error.attemptedMetadataLocation);
  const added = commit.updates.flatMap((update) => (update.action === "add-snapshot" ? [update.snapshot["snapshot-id"]] : []));
  if (added.length === 0) return undefined;
  return loaded !== undefined && added.every((id) => loaded.metadata.snapshots.some((snapshot) => snapshot["snapshot-id"] === id));
}
