// Manifest entries ↔ the records of the manifest_entry Avro schema (spec, "Manifests").
// Decoded records carry this code's field names whatever the writer called them (the
// reader renames fields by id first); fields an older writer did not write read as null.
import { ExportError } from "../core/errors.js";
import { bufferOf, bytesOf, keyValuesOf, mapOf, nullableLongOf, nullableNumberOf, numberOf, type KeyValue } from "./avro-values.js";
import type { DataFileContent, ManifestEntry, ManifestEntryStatus, PartitionTuple } from "./manifest-types.js";
import type { PartitionValue, TypedPartitionField } from "./partition-type.js";

type AvroInt = number | bigint;

export interface AvroManifestEntry {
  status: number;
  snapshot_id?: bigint | null;
  sequence_number?: bigint | null;
  file_sequence_number?: bigint | null;
  data_file: {
    content?: number;
    file_path: string;
    file_format: string;
    partition: Record<string, unknown>;
    record_count: bigint;
    file_size_in_bytes: bigint;
    column_sizes?: KeyValue<bigint>[] | null;
    value_counts?: KeyValue<bigint>[] | null;
    null_value_counts?: KeyValue<bigint>[] | null;
    nan_value_counts?: KeyValue<bigint>[] | null;
    lower_bounds?: KeyValue<Buffer>[] | null;
    upper_bounds?: KeyValue<Buffer>[] | null;
    key_metadata?: Buffer | null;
    split_offsets?: bigint[] | null;
    equality_ids?: AvroInt[] | null;
    sort_order_id?: number | null;
    referenced_data_file?: string | null;
  };
}

/** A partition field: its name in the partition spec, and in the manifest's Avro schema. */
export type NamedPartitionField = Pick<TypedPartitionField, "name" | "avroName">;

const statuses: readonly ManifestEntryStatus[] = ["existing", "added", "deleted"];
const contents: readonly DataFileContent[] = ["data", "position-deletes", "equality-deletes"];

export function avroRecordOfEntry(entry: ManifestEntry, partitionFields: readonly TypedPartitionField[]): AvroManifestEntry {
  const file = entry.dataFile;
  const { metrics } = file;
  return {
    status: statuses.indexOf(entry.status),
    snapshot_id: entry.snapshotId,
    sequence_number: nullableLongOf(entry.sequenceNumber),
    file_sequence_number: nullableLongOf(entry.fileSequenceNumber),
    data_file: {
      content: contents.indexOf(file.content),
      file_path: file.filePath,
      file_format: file.fileFormat,
      partition: Object.fromEntries(partitionFields.map((field) => [field.avroName, avroPartitionValue(file.partition[field.name], field)])),
      record_count: BigInt(file.recordCount),
      file_size_in_bytes: BigInt(file.fileSizeInBytes),
      column_sizes: keyValuesOf(metrics.columnSizes, BigInt),
      value_counts: keyValuesOf(metrics.valueCounts, BigInt),
      null_value_counts: keyValuesOf(metrics.nullValueCounts, BigInt),
      nan_value_counts: keyValuesOf(metrics.nanValueCounts, BigInt),
      lower_bounds: keyValuesOf(metrics.lowerBounds, bufferOf),
      upper_bounds: keyValuesOf(metrics.upperBounds, bufferOf),
      key_metadata: file.keyMetadata === null ? null : bufferOf(file.keyMetadata),
      split_offsets: file.splitOffsets?.map(BigInt) ?? null,
      equality_ids: file.equalityIds,
      sort_order_id: file.sortOrderId,
      referenced_data_file: file.referencedDataFile,
    },
  };
}

export function entryOfAvroRecord(record: AvroManifestEntry, partitionFields: readonly NamedPartitionField[]): ManifestEntry {
  const file = record.data_file;
  const status = statuses[record.status];
  const content = contents[file.content ?? 0];
  if (status === undefined || content === undefined) throw new ExportError("INTERNAL", `manifest entry of ${file.file_path}: unknown status ${record.status} or content ${file.content}`);
  const partition: PartitionTuple = {};
  for (const field of partitionFields) partition[field.name] = (file.partition[field.avroName] ?? null) as PartitionValue;
  return {
    status,
    snapshotId: record.snapshot_id ?? null,
    sequenceNumber: nullableNumberOf(record.sequence_number),
    fileSequenceNumber: nullableNumberOf(record.file_sequence_number),
    dataFile: {
      content,
      filePath: file.file_path,
      fileFormat: file.file_format,
      partition,
      recordCount: numberOf(file.record_count),
      fileSizeInBytes: numberOf(file.file_size_in_bytes),
      metrics: {
        columnSizes: mapOf(file.column_sizes, numberOf),
        valueCounts: mapOf(file.value_counts, numberOf),
        nullValueCounts: mapOf(file.null_value_counts, numberOf),
        nanValueCounts: mapOf(file.nan_value_counts, numberOf),
        lowerBounds: mapOf(file.lower_bounds, bytesOf),
        upperBounds: mapOf(file.upper_bounds, bytesOf),
      },
      keyMetadata: file.key_metadata ? bytesOf(file.key_metadata) : null,
      splitOffsets: file.split_offsets?.map(numberOf) ?? null,
      equalityIds: file.equality_ids?.map(numberOf) ?? null,
      sortOrderId: file.sort_order_id ?? null,
      referencedDataFile: file.referenced_data_file ?? null,
    },
  };
}

/** A partition value in the form avsc writes for the field's type. */
function avroPartitionValue(value: PartitionValue | undefined, field: TypedPartitionField): unknown {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case "long":
    case "time":
    case "timestamp":
    case "timestamptz":
      return BigInt(value as number | bigint);
    case "int":
    case "date":
      return numberOf(value as number | bigint);
  }
  return value instanceof Uint8Array ? bufferOf(value) : value;
}
