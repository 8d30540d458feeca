// What every snapshot producer that adds data files shares (fast append, replace): the
// manifest entry of an added file, and the partition spec a file names.
import { ExportError } from "../core/errors.js";
import type { DataFileMetrics } from "./metrics.js";
import type { ManifestEntry, PartitionTuple } from "./manifest-types.js";
import type { PartitionSpec } from "./partitioning.js";
import type { TableMetadata } from "./table-metadata.js";

export interface AddedFile {
  location: string;
  fileSizeBytes: number;
  recordCount: number;
  metrics: DataFileMetrics;
}

/** Spec, "Sequence Number Inheritance": an added file's sequence numbers are null until its commit. */
export function addedEntryOf(file: AddedFile, partition: PartitionTuple, spec: PartitionSpec, snapshotId: bigint): ManifestEntry {
  const names = spec.fields.map((field) => field.name);
  const given = Object.keys(partition);
  if (given.length !== names.length || names.some((name) => !(name in partition))) {
    throw new ExportError("INTERNAL", `data file ${file.location}: partition values for ${given.join(", ") || "no field"} do not match partition spec ${spec["spec-id"]} (${names.join(", ") || "unpartitioned"})`);
  }
  return {
    status: "added",
    snapshotId,
    sequenceNumber: null,
    fileSequenceNumber: null,
    dataFile: {
      content: "data",
      filePath: file.location,
      fileFormat: "PARQUET",
      partition: { ...partition },
      recordCount: file.recordCount,
      fileSizeInBytes: file.fileSizeBytes,
      metrics: file.metrics,
      keyMetadata: null,
      splitOffsets: null,
      equalityIds: null,
      sortOrderId: null,
      referencedDataFile: null,
    },
  };
}

export function specOf(base: TableMetadata, specId: number): PartitionSpec {
  const spec = base["partition-specs"].find((candidate) => candidate["spec-id"] === specId);
  if (spec === undefined) throw new ExportError("INTERNAL", `partition spec ${specId} is not one of the table's (${base["partition-specs"].map((candidate) => candidate["spec-id"]).join(", ")})`);
  return spec;
}
