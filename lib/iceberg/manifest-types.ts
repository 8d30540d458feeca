// Manifests and manifest lists as this code holds them (spec, "Manifests" and "Manifest
// Lists", format version 2). Ids are bigints; counts, sizes and sequence numbers are
// numbers, exact below 2^53.
import type { DataFileMetrics } from "./metrics.js";
import type { PartitionValue } from "./partition-type.js";

export type ManifestEntryStatus = "existing" | "added" | "deleted";

export type DataFileContent = "data" | "position-deletes" | "equality-deletes";

export type ManifestContent = "data" | "deletes";

/** A partition tuple by partition field name. */
export type PartitionTuple = Record<string, PartitionValue>;

export interface DataFileEntry {
  content: DataFileContent;
  filePath: string;
  /** `PARQUET`, `AVRO` or `ORC`, as Java and pyiceberg write it. */
  fileFormat: string;
  partition: PartitionTuple;
  recordCount: number;
  fileSizeInBytes: number;
  metrics: DataFileMetrics;
  keyMetadata: Uint8Array | null;
  splitOffsets: number[] | null;
  equalityIds: number[] | null;
  sortOrderId: number | null;
  referencedDataFile: string | null;
}

export interface ManifestEntry {
  status: ManifestEntryStatus;
  /** Null when inherited from the manifest list (an ADDED entry written before its commit). */
  snapshotId: bigint | null;
  /** Data sequence number; null when inherited. */
  sequenceNumber: number | null;
  fileSequenceNumber: number | null;
  dataFile: DataFileEntry;
}

/** Spec: `field_summary`; bounds in the binary single-value form of the partition field's type. */
export interface PartitionFieldSummary {
  containsNull: boolean;
  containsNan: boolean | null;
  lowerBound: Uint8Array | null;
  upperBound: Uint8Array | null;
}

/** One entry of a manifest list (spec: `manifest_file`). */
export interface ManifestFile {
  manifestPath: string;
  manifestLength: number;
  partitionSpecId: number;
  content: ManifestContent;
  /**
   * The sequence number of the snapshot that added the manifest; null for a manifest not
   * yet committed, whose entries inherit the sequence number the manifest list assigns.
   */
  sequenceNumber: number | null;
  /** The lowest data sequence number of its live entries; null when they all inherit it. */
  minSequenceNumber: number | null;
  addedSnapshotId: bigint;
  addedFilesCount: number;
  existingFilesCount: number;
  deletedFilesCount: number;
  addedRowsCount: number;
  existingRowsCount: number;
  deletedRowsCount: number;
  partitions: PartitionFieldSummary[] | null;
  keyMetadata: Uint8Array | null;
}

/** A manifest list entry as committed: its sequence numbers are known. */
export type CommittedManifestFile = ManifestFile & { sequenceNumber: number; minSequenceNumber: number };
