import { describe, expect, it } from "vitest";
import { readAvroContainer, writeAvroContainer } from "../../../lib/iceberg/avro-container.js";
import { withNamesById, type AvroSchema } from "../../../lib/iceberg/avro-schema.js";
import { readManifest, withInheritedValues, writeManifest } from "../../../lib/iceberg/manifest-file.js";
import type { ManifestEntry } from "../../../lib/iceberg/manifest-types.js";
import { daySpec, exportSchema, metricsOf } from "./iceberg-fixtures.js";

const snapshotId = 7365018112263431893n;

function entry(path: string, records: number, day: number | null, status: ManifestEntry["status"] = "added", sequenceNumber: number | null = null): ManifestEntry {
  return {
    status,
    snapshotId: status === "added" ? snapshotId : 3055729675574597004n,
    sequenceNumber,
    fileSequenceNumber: sequenceNumber,
    dataFile: {
      content: "data",
      filePath: `s3://warehouse/db/orders/data/${path}.parquet`,
      fileFormat: "PARQUET",
      partition: { timestamp_day: day },
      recordCount: records,
      fileSizeInBytes: 4096 + records,
      metrics: metricsOf(records, 1000n, "2026-11-24T13:45:00Z"),
      keyMetadata: null,
      splitOffsets: [4],
      equalityIds: null,
      sortOrderId: 0,
      referencedDataFile: null,
    },
  };
}

function int32(value: number): Uint8Array {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32LE(value);
  return new Uint8Array(buffer);
}

describe("manifests", () => {
  const entries = [entry("a", 10, 20781), entry("b", 5, 20779), entry("c", 2, null), entry("d", 7, 20700, "existing", 3)];

  it("read back what was written, entry for entry", async () => {
    const { bytes } = await writeManifest({ location: "s3://m/1.avro", schema: exportSchema, partitionSpec: daySpec, addedSnapshotId: snapshotId, entries });
    const read = await readManifest(bytes, "s3://m/1.avro");
    expect(read).toEqual({ partitionSpecId: 0, schemaId: 0, content: "data", entries });
  });

  it("carry the spec's header metadata: schema, schema-id, partition-spec, partition-spec-id, format-version, content", async () => {
    const { bytes } = await writeManifest({ location: "s3://m/1.avro", schema: exportSchema, partitionSpec: daySpec, addedSnapshotId: snapshotId, entries });
    const { metadata } = await readAvroContainer(bytes, { location: "s3://m/1.avro" });
    expect(JSON.parse(metadata["schema"] ?? "")).toEqual(exportSchema);
    expect(JSON.parse(metadata["partition-spec"] ?? "")).toEqual([{ "source-id": 4, "field-id": 1000, name: "timestamp_day", transform: "day" }]);
    expect(metadata).toMatchObject({ "schema-id": "0", "partition-spec-id": "0", "format-version": "2", content: "data" });
  });

  it("describe themselves for the manifest list: counts, sequence numbers to assign, partition bounds", async () => {
    const { manifest, bytes } = await writeManifest({ location: "s3://m/1.avro", schema: exportSchema, partitionSpec: daySpec, addedSnapshotId: snapshotId, entries });
    expect(manifest).toEqual({
      manifestPath: "s3://m/1.avro",
      manifestLength: bytes.length,
      partitionSpecId: 0,
      content: "data",
      sequenceNumber: null,
      minSequenceNumber: 3,
      addedSnapshotId: snapshotId,
      addedFilesCount: 3,
      existingFilesCount: 1,
      deletedFilesCount: 0,
      addedRowsCount: 17,
      existingRowsCount: 7,
      deletedRowsCount: 0,
      // Dates in the binary single-value form: 4 bytes, little-endian (spec, Appendix D).
      partitions: [{ containsNull: true, containsNan: false, lowerBound: int32(20700), upperBound: int32(20781) }],
      keyMetadata: null,
    });
  });

  it("write ADDED entries with null sequence numbers, which inherit the manifest's when read", async () => {
    const { bytes, manifest } = await writeManifest({ location: "s3://m/1.avro", schema: exportSchema, partitionSpec: daySpec, addedSnapshotId: snapshotId, entries });
    const read = await readManifest(bytes);
    expect(read.entries.slice(0, 3).map((added) => [added.sequenceNumber, added.fileSequenceNumber])).toEqual([[null, null], [null, null], [null, null]]);
    const inherited = withInheritedValues(read.entries, { ...manifest, sequenceNumber: 9, minSequenceNumber: 3 });
    expect(inherited.map((one) => [one.status, one.snapshotId, one.sequenceNumber, one.fileSequenceNumber])).toEqual([
      ["added", snapshotId, 9, 9],
      ["added", snapshotId, 9, 9],
      ["added", snapshotId, 9, 9],
      ["existing", 3055729675574597004n, 3, 3],
    ]);
  });

  it("read fields by id, whatever names another writer gave them", async () => {
    const { bytes } = await writeManifest({ location: "s3://m/1.avro", schema: exportSchema, partitionSpec: daySpec, addedSnapshotId: snapshotId, entries });
    const ours = await readAvroContainer(bytes, { location: "ours" });
    // Another writer's names for the same ids, and a partition field named differently.
    const renamed = withNamesById(ours.schema, new Map([[3, "data_sequence_number"], [103, "records"], [125, "lowers"], [1000, "day_of_ts"]]));
    const foreign = await writeAvroContainer({ schema: renamed, records: ours.records.map((record) => renameKeys(record, renamed)), metadata: ours.metadata });
    expect((await readManifest(foreign)).entries).toEqual(entries);
  });

  it("refuse to mix data and delete files", async () => {
    const deletes = { ...entry("x", 1, 1), dataFile: { ...entry("x", 1, 1).dataFile, content: "position-deletes" as const } };
    await expect(writeManifest({ location: "s3://m/2.avro", schema: exportSchema, partitionSpec: daySpec, addedSnapshotId: snapshotId, entries: [entry("a", 1, 1), deletes] })).rejects.toThrow(
      "manifest s3://m/2.avro would mix data and delete files",
    );
  });
});

/** A decoded record re-keyed, field by field in order, to the names of `schema`. */
function renameKeys(record: unknown, schema: AvroSchema): unknown {
  if (Array.isArray(record)) return record.map((item: unknown) => renameKeys(item, arrayItems(schema)));
  if (record === null || typeof record !== "object" || Buffer.isBuffer(record)) return record;
  const fields = recordFields(schema);
  return Object.fromEntries(Object.values(record).map((value: unknown, index) => [fields[index]?.name ?? "", renameKeys(value, fields[index]?.type ?? "null")]));
}

function nonNull(schema: AvroSchema): AvroSchema {
  return Array.isArray(schema) ? (schema.find((branch) => branch !== "null") ?? "null") : schema;
}

function arrayItems(schema: AvroSchema): AvroSchema {
  return (nonNull(schema) as { items: AvroSchema }).items;
}

function recordFields(schema: AvroSchema): { name: string; type: AvroSchema }[] {
  return (nonNull(schema) as { fields: { name: string; type: AvroSchema }[] }).fields;
}
