// Manifests: Avro object container files of manifest entries, one partition spec each,
// with the spec's header metadata (spec, "Manifests", "Manifest Metadata"). Written for
// new files before the commit, so their entries leave the sequence numbers to inherit;
// read from tables of any writer, finding fields by id.
import { ExportError } from "../core/errors.js";
import { readAvroContainer, writeAvroContainer } from "./avro-container.js";
import { recordOf, withNamesById, type AvroRecord, type AvroSchema } from "./avro-schema.js";
import { avroRecordOfEntry, entryOfAvroRecord, type AvroManifestEntry } from "./manifest-entry-codec.js";
import { manifestEntrySchema, namesById, partitionFieldId, partitionRecordSchema } from "./manifest-schema.js";
import type { CommittedManifestFile, ManifestContent, ManifestEntry, ManifestFile } from "./manifest-types.js";
import { typedPartitionFields, type TypedPartitionField } from "./partition-type.js";
import { partitionFieldSummaries } from "./partition-summary.js";
import type { PartitionField, PartitionSpec } from "./partitioning.js";
import type { IcebergSchema } from "./types.js";

export interface ManifestWrite {
  /** Where the manifest will be stored: the manifest list records it. */
  location: string;
  /** The table schema the files were written with (header `schema`, `schema-id`). */
  schema: IcebergSchema;
  /** Every schema of the table: a partition source column may be missing from the current one. */
  schemas?: readonly IcebergSchema[];
  partitionSpec: PartitionSpec;
  /** The snapshot that adds the manifest. */
  addedSnapshotId: bigint;
  entries: readonly ManifestEntry[];
}

export interface WrittenManifest {
  bytes: Uint8Array;
  /** The manifest's entry in a manifest list; its sequence numbers are assigned on commit. */
  manifest: ManifestFile;
}

export interface ManifestContents {
  partitionSpecId: number | undefined;
  schemaId: number | undefined;
  content: ManifestContent;
  entries: ManifestEntry[];
}

const entryNames = namesById(manifestEntrySchema({ type: "record", name: "r102", fields: [] }));

export async function writeManifest(write: ManifestWrite): Promise<WrittenManifest> {
  const { location, schema, partitionSpec, addedSnapshotId, entries } = write;
  const schemas = write.schemas ?? [schema];
  const partitionFields = typedPartitionFields(partitionSpec, schemas);
  const content = contentOf(entries, location);
  const bytes = await writeAvroContainer({
    schema: manifestEntrySchema(partitionRecordSchema(partitionSpec, schemas)),
    records: entries.map((entry) => avroRecordOfEntry(entry, partitionFields)),
    metadata: {
      schema: JSON.stringify(schema),
      "schema-id": String(schema["schema-id"]),
      "partition-spec": JSON.stringify(partitionSpec.fields),
      "partition-spec-id": String(partitionSpec["spec-id"]),
      "format-version": "2",
      content,
    },
  });
  return { bytes, manifest: manifestFileOf(entries, { location, length: bytes.length, partitionSpec, content, addedSnapshotId, partitionFields }) };
}

export async function readManifest(bytes: Uint8Array, location = "manifest"): Promise<ManifestContents> {
  const container = await readAvroContainer(bytes, {
    location,
    readerSchema: (writerSchema) => withNamesById(writerSchema, entryNames, new Set([partitionFieldId])),
  });
  const { metadata } = container;
  const specFields = parseSpecFields(metadata["partition-spec"], location);
  const partitionFields = writtenPartitionFields(container.schema).map(({ avroName: written, fieldId }) => {
    const specName = specFields.find((field) => field["field-id"] === fieldId)?.name ?? written;
    return { name: specName, avroName: written };
  });
  const specId = metadata["partition-spec-id"];
  const schemaId = metadata["schema-id"];
  return {
    partitionSpecId: specId === undefined ? undefined : Number(specId),
    schemaId: schemaId === undefined ? undefined : Number(schemaId),
    content: metadata["content"] === "deletes" ? "deletes" : "data",
    entries: container.records.map((record) => entryOfAvroRecord(record as AvroManifestEntry, partitionFields)),
  };
}

/**
 * The entries as of their commit: null snapshot ids and sequence numbers of ADDED entries
 * replaced by their manifest's (spec, "Sequence Number Inheritance").
 */
export function withInheritedValues(entries: readonly ManifestEntry[], manifest: CommittedManifestFile): ManifestEntry[] {
  return entries.map((entry) => {
    const added = entry.status === "added";
    return {
      ...entry,
      snapshotId: entry.snapshotId ?? manifest.addedSnapshotId,
      sequenceNumber: entry.sequenceNumber ?? (added ? manifest.sequenceNumber : null),
      fileSequenceNumber: entry.fileSequenceNumber ?? (added ? manifest.sequenceNumber : null),
    };
  });
}

interface ManifestFacts {
  location: string;
  length: number;
  partitionSpec: PartitionSpec;
  content: ManifestContent;
  addedSnapshotId: bigint;
  partitionFields: readonly TypedPartitionField[];
}

function manifestFileOf(entries: readonly ManifestEntry[], facts: ManifestFacts): ManifestFile {
  const counted = (status: ManifestEntry["status"]): ManifestEntry[] => entries.filter((entry) => entry.status === status);
  const rows = (selected: readonly ManifestEntry[]): number => selected.reduce((sum, entry) => sum + entry.dataFile.recordCount, 0);
  const [added, existing, deleted] = [counted("added"), counted("existing"), counted("deleted")];
  const explicitSequenceNumbers = [...added, ...existing].flatMap((entry) => (entry.sequenceNumber === null ? [] : [entry.sequenceNumber]));
  return {
    manifestPath: facts.location,
    manifestLength: facts.length,
    partitionSpecId: facts.partitionSpec["spec-id"],
    content: facts.content,
    sequenceNumber: null,
    minSequenceNumber: explicitSequenceNumbers.length === 0 ? null : Math.min(...explicitSequenceNumbers),
    addedSnapshotId: facts.addedSnapshotId,
    addedFilesCount: added.length,
    existingFilesCount: existing.length,
    deletedFilesCount: deleted.length,
    addedRowsCount: rows(added),
    existingRowsCount: rows(existing),
    deletedRowsCount: rows(deleted),
    partitions: partitionFieldSummaries(entries, facts.partitionFields),
    keyMetadata: null,
  };
}

function contentOf(entries: readonly ManifestEntry[], location: string): ManifestContent {
  const deletes = entries.filter((entry) => entry.dataFile.content !== "data").length;
  if (deletes > 0 && deletes < entries.length) throw new ExportError("INTERNAL", `manifest ${location} would mix data and delete files`);
  return deletes > 0 ? "deletes" : "data";
}

function parseSpecFields(text: string | undefined, location: string): PartitionField[] {
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ExportError("INTERNAL", `${location}: the partition-spec of the header is not JSON`, { cause: error });
  }
  // Some writers record the whole spec object rather than its fields array.
  if (Array.isArray(parsed)) return parsed as PartitionField[];
  return (parsed as Partial<PartitionSpec>).fields ?? [];
}

/** The fields of the writer's partition struct: their Avro names and partition field ids. */
function writtenPartitionFields(schema: AvroSchema): { avroName: string; fieldId: number | undefined }[] {
  const dataFile = recordOf((schema as AvroRecord).fields.find((field) => field["field-id"] === 2)?.type ?? "null");
  const partition = recordOf(dataFile?.fields.find((field) => field["field-id"] === partitionFieldId)?.type ?? "null");
  return (partition?.fields ?? []).map((field) => ({ avroName: field.name, fieldId: field["field-id"] }));
}
