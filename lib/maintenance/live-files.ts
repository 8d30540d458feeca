// The live files of a table's current snapshot, read from its manifests (sequence numbers
// and snapshot ids inherited): what compaction plans on and validates its inputs against.
import { readManifest, withInheritedValues } from "../iceberg/manifest-file.js";
import { readManifestList } from "../iceberg/manifest-list.js";
import type { TableMetadata } from "../iceberg/table-metadata.js";
import { refSnapshotId } from "../iceberg/table-requirements.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { LiveDataFile, LiveDeleteFile } from "./compaction-plan.js";

export interface LiveFiles {
  /** The snapshot they are the files of; undefined for a table without one. */
  snapshotId: bigint | undefined;
  dataFiles: LiveDataFile[];
  deleteFiles: LiveDeleteFile[];
}

export async function readLiveFiles(metadata: TableMetadata, objectStore: ObjectStore): Promise<LiveFiles> {
  const snapshotId = refSnapshotId(metadata, "main");
  const snapshot = metadata.snapshots.find((candidate) => candidate["snapshot-id"] === snapshotId);
  const live: LiveFiles = { snapshotId, dataFiles: [], deleteFiles: [] };
  if (snapshot === undefined) return live;
  const committedAt = new Map(metadata.snapshots.map((candidate) => [candidate["snapshot-id"], candidate["timestamp-ms"]]));
  for (const manifest of await readManifestList(await objectStore.get(snapshot["manifest-list"]), snapshot["manifest-list"])) {
    if (manifest.addedFilesCount + manifest.existingFilesCount === 0) continue;
    const contents = await readManifest(await objectStore.get(manifest.manifestPath), manifest.manifestPath);
    for (const entry of withInheritedValues(contents.entries, manifest)) {
      if (entry.status === "deleted") continue;
      const { dataFile } = entry;
      if (dataFile.content !== "data") {
        live.deleteFiles.push({ partitionSpecId: manifest.partitionSpecId, partition: dataFile.partition });
        continue;
      }
      live.dataFiles.push({
        path: dataFile.filePath,
        partitionSpecId: manifest.partitionSpecId,
        partition: dataFile.partition,
        fileSizeBytes: dataFile.fileSizeInBytes,
        recordCount: dataFile.recordCount,
        fileFormat: dataFile.fileFormat,
        addedAtMs: entry.snapshotId === null ? undefined : committedAt.get(entry.snapshotId),
        sequenceNumber: entry.sequenceNumber ?? manifest.sequenceNumber,
      });
    }
  }
  return live;
}
