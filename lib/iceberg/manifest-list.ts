// Manifest lists: one Avro object container file per snapshot attempt, listing the
// snapshot's manifests (spec, "Manifest Lists"). Writing one assigns the snapshot's
// sequence number to the manifests that do not have one yet: this is the only file a
// commit retry rewrites besides the table metadata.
import { ExportError } from "../core/errors.js";
import { readAvroContainer, writeAvroContainer } from "./avro-container.js";
import { withNamesById } from "./avro-schema.js";
import { bufferOf, bytesOf, numberOf } from "./avro-values.js";
import { manifestFileSchema, namesById } from "./manifest-schema.js";
import type { CommittedManifestFile, ManifestFile, PartitionFieldSummary } from "./manifest-types.js";

export interface ManifestListWrite {
  snapshotId: bigint;
  parentSnapshotId: bigint | undefined;
  sequenceNumber: number;
  manifests: readonly ManifestFile[];
}

interface AvroFieldSummary {
  contains_null: boolean;
  contains_nan?: boolean | null;
  lower_bound?: Buffer | null;
  upper_bound?: Buffer | null;
}

interface AvroManifestFile {
  manifest_path: string;
  manifest_length: bigint;
  partition_spec_id: number;
  content?: number;
  sequence_number?: bigint;
  min_sequence_number?: bigint;
  added_snapshot_id: bigint;
  added_files_count?: number | null;
  existing_files_count?: number | null;
  deleted_files_count?: number | null;
  added_rows_count?: bigint | null;
  existing_rows_count?: bigint | null;
  deleted_rows_count?: bigint | null;
  partitions?: AvroFieldSummary[] | null;
  key_metadata?: Buffer | null;
}

const manifestFileNames = namesById(manifestFileSchema);

export async function writeManifestList(write: ManifestListWrite): Promise<Uint8Array> {
  const { snapshotId, parentSnapshotId, sequenceNumber, manifests } = write;
  return writeAvroContainer({
    schema: manifestFileSchema,
    records: manifests.map((manifest) => avroRecordOfManifest(committedAs(manifest, sequenceNumber))),
    metadata: {
      "snapshot-id": String(snapshotId),
      "parent-snapshot-id": parentSnapshotId === undefined ? "null" : String(parentSnapshotId),
      "sequence-number": String(sequenceNumber),
      "format-version": "2",
    },
  });
}

export async function readManifestList(bytes: Uint8Array, location = "manifest list"): Promise<CommittedManifestFile[]> {
  const container = await readAvroContainer(bytes, { location, readerSchema: (writerSchema) => withNamesById(writerSchema, manifestFileNames) });
  return container.records.map((record) => manifestOfAvroRecord(record as AvroManifestFile, location));
}

/** The manifest as a manifest list with this sequence number records it. */
export function committedAs(manifest: ManifestFile, sequenceNumber: number): CommittedManifestFile {
  return { ...manifest, sequenceNumber: manifest.sequenceNumber ?? sequenceNumber, minSequenceNumber: manifest.minSequenceNumber ?? sequenceNumber };
}

function avroRecordOfManifest(manifest: CommittedManifestFile): AvroManifestFile {
  return {
    manifest_path: manifest.manifestPath,
    manifest_length: BigInt(manifest.manifestLength),
    partition_spec_id: manifest.partitionSpecId,
    content: manifest.content === "deletes" ? 1 : 0,
    sequence_number: BigInt(manifest.sequenceNumber),
    min_sequence_number: BigInt(manifest.minSequenceNumber),
    added_snapshot_id: manifest.addedSnapshotId,
    added_files_count: manifest.addedFilesCount,
    existing_files_count: manifest.existingFilesCount,
    deleted_files_count: manifest.deletedFilesCount,
    added_rows_count: BigInt(manifest.addedRowsCount),
    existing_rows_count: BigInt(manifest.existingRowsCount),
    deleted_rows_count: BigInt(manifest.deletedRowsCount),
    partitions: manifest.partitions?.map(avroFieldSummary) ?? null,
    key_metadata: manifest.keyMetadata === null ? null : bufferOf(manifest.keyMetadata),
  };
}

function avroFieldSummary(summary: PartitionFieldSummary): AvroFieldSummary {
  return {
    contains_null: summary.containsNull,
    contains_nan: summary.containsNan,
    lower_bound: summary.lowerBound === null ? null : bufferOf(summary.lowerBound),
    upper_bound: summary.upperBound === null ? null : bufferOf(summary.upperBound),
  };
}

/** Sequence numbers a v1 writer left out read as 0 (spec, "Manifest Lists"). */
function manifestOfAvroRecord(record: AvroManifestFile, location: string): CommittedManifestFile {
  const count = (value: number | bigint | null | undefined, field: string): number => {
    // A null count means "unknown, maybe not zero": passing it on as 0 would let readers skip the manifest.
    if (value === null || value === undefined) throw new ExportError("INTERNAL", `${location}: manifest ${record.manifest_path} has no ${field} (a format v1 manifest list?)`);
    return numberOf(value);
  };
  return {
    manifestPath: record.manifest_path,
    manifestLength: numberOf(record.manifest_length),
    partitionSpecId: record.partition_spec_id,
    content: record.content === 1 ? "deletes" : "data",
    sequenceNumber: numberOf(record.sequence_number ?? 0n),
    minSequenceNumber: numberOf(record.min_sequence_number ?? 0n),
    addedSnapshotId: record.added_snapshot_id,
    addedFilesCount: count(record.added_files_count, "added_files_count"),
    existingFilesCount: count(record.existing_files_count, "existing_files_count"),
    deletedFilesCount: count(record.deleted_files_count, "deleted_files_count"),
    addedRowsCount: count(record.added_rows_count, "added_rows_count"),
    existingRowsCount: count(record.existing_rows_count, "existing_rows_count"),
    deletedRowsCount: count(record.deleted_rows_count, "deleted_rows_count"),
    partitions:
      record.partitions?.map((summary) => ({
        containsNull: summary.contains_null,
        containsNan: summary.contains_nan ?? null,
        lowerBound: summary.lower_bound ? bytesOf(summary.lower_bound) : null,
        upperBound: summary.upper_bound ? bytesOf(summary.upper_bound) : null,
      })) ?? null,
    keyMetadata: record.key_metadata ? bytesOf(record.key_metadata) : null,
  };
}
