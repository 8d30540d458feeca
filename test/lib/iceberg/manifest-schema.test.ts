import { describe, expect, it } from "vitest";
import { avroName, type AvroField, type AvroRecord, type AvroSchema } from "../../../lib/iceberg/avro-schema.js";
import { manifestEntrySchema, manifestFileSchema, partitionRecordSchema } from "../../../lib/iceberg/manifest-schema.js";
import { timestampPartitionSpec, type PartitionSpec } from "../../../lib/iceberg/partitioning.js";
import type { IcebergSchema } from "../../../lib/iceberg/types.js";
import { exportSchema } from "./iceberg-fixtures.js";

/** [field id, name, optional] of every field of a record, depth first. */
function fieldsOf(record: AvroRecord): [number | undefined, string, boolean][] {
  return record.fields.flatMap((field: AvroField) => {
    const optional = Array.isArray(field.type) && field.type[0] === "null";
    const own: [number | undefined, string, boolean] = [field["field-id"], field.name, optional];
    const nested = innerRecord(field.type);
    return nested === undefined ? [own] : [own, ...fieldsOf(nested)];
  });
}

function innerRecord(type: AvroSchema): AvroRecord | undefined {
  const branch = Array.isArray(type) ? type[type.length - 1] : type;
  if (branch === undefined || typeof branch !== "object" || Array.isArray(branch)) return undefined;
  if (branch.type === "record") return branch as AvroRecord;
  if (branch.type === "array") return innerRecord((branch as { items: AvroSchema }).items);
  return undefined;
}

describe("the manifest Avro schemas", () => {
  // Spec, "Manifests", format v2: manifest_entry and data_file, field ids, names, required or optional.
  it("have the fields of the spec's manifest_entry and data_file, with their ids", () => {
    const schema = manifestEntrySchema(partitionRecordSchema(timestampPartitionSpec("day", 4), [exportSchema]));
    expect(fieldsOf(schema)).toEqual([
      [0, "status", false],
      [1, "snapshot_id", true],
      [3, "sequence_number", true],
      [4, "file_sequence_number", true],
      [2, "data_file", false],
      [134, "content", false],
      [100, "file_path", false],
      [101, "file_format", false],
      [102, "partition", false],
      [1000, "timestamp_day", true],
      [103, "record_count", false],
      [104, "file_size_in_bytes", false],
      [108, "column_sizes", true],
      [117, "key", false],
      [118, "value", false],
      [109, "value_counts", true],
      [119, "key", false],
      [120, "value", false],
      [110, "null_value_counts", true],
      [121, "key", false],
      [122, "value", false],
      [137, "nan_value_counts", true],
      [138, "key", false],
      [139, "value", false],
      [125, "lower_bounds", true],
      [126, "key", false],
      [127, "value", false],
      [128, "upper_bounds", true],
      [129, "key", false],
      [130, "value", false],
      [131, "key_metadata", true],
      [132, "split_offsets", true],
      [135, "equality_ids", true],
      [140, "sort_order_id", true],
      [143, "referenced_data_file", true],
    ]);
    expect(schema.name).toBe("manifest_entry");
    expect(innerRecord(schema.fields[4]?.type ?? "null")?.name).toBe("r2");
  });

  it("store int-keyed maps as arrays of k/v records with the map logical type (spec, Appendix A)", () => {
    const dataFile = innerRecord(manifestEntrySchema(partitionRecordSchema(timestampPartitionSpec("none", 4), [exportSchema])).fields[4]?.type ?? "null");
    const lowerBounds = dataFile?.fields.find((field) => field.name === "lower_bounds");
    expect(lowerBounds).toEqual({
      name: "lower_bounds",
      "field-id": 125,
      default: null,
      type: [
        "null",
        {
          type: "array",
          logicalType: "map",
          items: { type: "record", name: "k126_v127", fields: [{ name: "key", type: "int", "field-id": 126 }, { name: "value", type: "bytes", "field-id": 127 }] },
        },
      ],
    });
    expect(dataFile?.fields.find((field) => field.name === "split_offsets")?.type).toEqual(["null", { type: "array", items: "long", "element-id": 133 }]);
  });

  it("type the partition struct r102 by each transform's result type", () => {
    const types = (["day", "hour", "month", "year"] as const).map((transform) => partitionRecordSchema(timestampPartitionSpec(transform, 4), [exportSchema]).fields[0]?.type);
    expect(types).toEqual([["null", { type: "int", logicalType: "date" }], ["null", "int"], ["null", "int"], ["null", "int"]]);
    expect(partitionRecordSchema(timestampPartitionSpec("none", 4), [exportSchema])).toEqual({ type: "record", name: "r102", fields: [] });
  });

  it("type identity and truncate fields by their source column, also one a later schema dropped", () => {
    const older: IcebergSchema = { type: "struct", "schema-id": 0, fields: [{ id: 20, name: "price", required: false, type: "decimal(9, 2)" }] };
    const current: IcebergSchema = {
      type: "struct",
      "schema-id": 1,
      fields: [
        { id: 21, name: "region", required: false, type: "string" },
        { id: 22, name: "account", required: false, type: "uuid" },
      ],
    };
    const spec: PartitionSpec = {
      "spec-id": 3,
      fields: [
        { "source-id": 21, "field-id": 1001, name: "region-prefix", transform: "truncate[2]" },
        { "source-id": 22, "field-id": 1002, name: "account", transform: "identity" },
        { "source-id": 20, "field-id": 1003, name: "price", transform: "identity" },
        { "source-id": 22, "field-id": 1004, name: "account_bucket", transform: "bucket[16]" },
      ],
    };
    expect(partitionRecordSchema(spec, [older, current]).fields).toEqual([
      { name: "region_x2Dprefix", "field-id": 1001, default: null, type: ["null", "string"] },
      { name: "account", "field-id": 1002, default: null, type: ["null", { type: "fixed", name: "p1002", size: 16, logicalType: "uuid" }] },
      { name: "price", "field-id": 1003, default: null, type: ["null", { type: "fixed", name: "p1003", size: 4, logicalType: "decimal", precision: 9, scale: 2 }] },
      { name: "account_bucket", "field-id": 1004, default: null, type: ["null", "int"] },
    ]);
  });

  // Spec, "Manifest Lists", format v2: manifest_file and field_summary.
  it("have the fields of the spec's manifest_file and field_summary, with their ids", () => {
    expect(fieldsOf(manifestFileSchema)).toEqual([
      [500, "manifest_path", false],
      [501, "manifest_length", false],
      [502, "partition_spec_id", false],
      [517, "content", false],
      [515, "sequence_number", false],
      [516, "min_sequence_number", false],
      [503, "added_snapshot_id", false],
      [504, "added_files_count", false],
      [505, "existing_files_count", false],
      [506, "deleted_files_count", false],
      [512, "added_rows_count", false],
      [513, "existing_rows_count", false],
      [514, "deleted_rows_count", false],
      [507, "partitions", true],
      [509, "contains_null", false],
      [518, "contains_nan", true],
      [510, "lower_bound", true],
      [511, "upper_bound", true],
      [519, "key_metadata", true],
    ]);
    expect(manifestFileSchema.fields.find((field) => field.name === "partitions")?.type).toMatchObject(["null", { type: "array", "element-id": 508, items: { name: "r508" } }]);
  });

  it("escapes partition names that are not Avro names", () => {
    expect(avroName("timestamp_day")).toBe("timestamp_day");
    expect(avroName("ts-day")).toBe("ts_x2Dday");
    expect(avroName("1st")).toBe("_1st");
  });
});
