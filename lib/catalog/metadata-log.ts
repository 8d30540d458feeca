// The table spec's `metadata-log`: the files a table was at before, oldest first. Iceberg-Java
// and pyiceberg append the base's file on every commit and keep the newest
// `write.metadata.previous-versions-max` entries; the catalog does the same, as it is what
// knows which file a commit replaces (applyTableUpdates logs it).
import type { Logger } from "../core/logger.js";
import { deletesMetadataAfterCommit } from "../iceberg/table-properties.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { LoadedTable } from "./catalog.js";

/**
 * The metadata files a commit from `base` to `committed` dropped from the log, when the table
 * asks for them to be deleted (`write.metadata.delete-after-commit.enabled`), as Iceberg-Java
 * deletes them: the log stays bounded by `write.metadata.previous-versions-max`, and so do
 * the files.
 */
export function metadataFilesDroppedBy(base: LoadedTable, committed: LoadedTable): string[] {
  if (!deletesMetadataAfterCommit(committed.metadata.properties)) return [];
  const kept = new Set([committed.metadataLocation, ...committed.metadata["metadata-log"].map((entry) => entry["metadata-file"])]);
  return [...base.metadata["metadata-log"].map((entry) => entry["metadata-file"]), base.metadataLocation].filter((file) => !kept.has(file));
}

/** Deletes them; the commit is durable already, so a failure is only logged (the orphan scan finds it). */
export async function deleteMetadataFilesDroppedBy(base: LoadedTable, committed: LoadedTable, context: { objectStore: ObjectStore; logger: Logger }): Promise<void> {
  for (const file of metadataFilesDroppedBy(base, committed)) {
    try {
      await context.objectStore.delete(file);
    } catch (error) {
      context.logger.warn("could not delete a metadata file dropped from the metadata log", { file, error });
    }
  }
}
