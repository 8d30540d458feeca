// The Avro schemas of manifests and manifest lists, format version 2, as the spec
// defines them ("Manifests": manifest_entry and data_file; "Manifest Lists":
// manifest_file and field_summary), with the field ids of the spec and the record names
// the reference implementation uses (r2, r102, r508, k117_v118, ...).
import { arrayOf, intKeyedMap, optionalField, requiredField, type AvroRecord, type AvroSchema } from "./avro-schema.js";
import { avroSchemaOfPrimitive, typedPartitionFields } from "./partition-type.js";
import type { PartitionSpec } from "./partitioning.js";
import type { IcebergSchema } from "./types.js";

export const partitionFieldId = 102;

/** The `partition` struct (r102): one optional field per partition field, with its id. */
export function partitionRecordSchema(spec: PartitionSpec, schemas: readonly IcebergSchema[]): AvroRecord {
  return {
    type: "record",
    name: "r102",
    fields: typedPartitionFields(spec, schemas).map((field) => optionalField(field.avroName, field.fieldId, avroSchemaOfPrimitive(field.type, `p${field.fieldId}`))),
  };
}

export function manifestEntrySchema(partition: AvroRecord): AvroRecord {
  const dataFile: AvroRecord = {
    type: "record",
    name: "r2",
    fields: [
      requiredField("content", 134, "int"),
      requiredField("file_path", 100, "string"),
      requiredField("file_format", 101, "string"),
      requiredField("partition", partitionFieldId, partition),
      requiredField("record_count", 103, "long"),
      requiredField("file_size_in_bytes", 104, "long"),
      optionalField("column_sizes", 108, intKeyedMap(117, 118, "long")),
      optionalField("value_counts", 109, intKeyedMap(119, 120, "long")),
      optionalField("null_value_counts", 110, intKeyedMap(121, 122, "long")),
      optionalField("nan_value_counts", 137, intKeyedMap(138, 139, "long")),
      optionalField("lower_bounds", 125, intKeyedMap(126, 127, "bytes")),
      optionalField("upper_bounds", 128, intKeyedMap(129, 130, "bytes")),
      optionalField("key_metadata", 131, "bytes"),
      optionalField("split_offsets", 132, arrayOf(133, "long")),
      optionalField("equality_ids", 135, arrayOf(136, "int")),
      optionalField("sort_order_id", 140, "int"),
      optionalField("referenced_data_file", 143, "string"),
    ],
  };
  return {
    type: "record",
    name: "manifest_entry",
    fields: [
      requiredField("status", 0, "int"),
      optionalField("snapshot_id", 1, "long"),
      optionalField("sequence_number", 3, "long"),
      optionalField("file_sequence_number", 4, "long"),
      requiredField("data_file", 2, dataFile),
    ],
  };
}

export const manifestFileSchema: AvroRecord = {
  type: "record",
  name: "manifest_file",
  fields: [
    requiredField("manifest_path", 500, "string"),
    requiredField("manifest_length", 501, "long"),
    requiredField("partition_spec_id", 502, "int"),
    requiredField("content", 517, "int"),
    requiredField("sequence_number", 515, "long"),
    requiredField("min_sequence_number", 516, "long"),
    requiredField("added_snapshot_id", 503, "long"),
    requiredField("added_files_count", 504, "int"),
    requiredField("existing_files_count", 505, "int"),
    requiredField("deleted_files_count", 506, "int"),
    requiredField("added_rows_count", 512, "long"),
    requiredField("existing_rows_count", 513, "long"),
    requiredField("deleted_rows_count", 514, "long"),
    optionalField(
      "partitions",
      507,
      arrayOf(508, {
        type: "record",
        name: "r508",
        fields: [
          requiredField("contains_null", 509, "boolean"),
          optionalField("contains_nan", 518, "boolean"),
          optionalField("lower_bound", 510, "bytes"),
          optionalField("upper_bound", 511, "bytes"),
        ],
      }),
    ),
    optionalField("key_metadata", 519, "bytes"),
  ],
};

/** The names this code gives the fields of a schema, by field id, at any depth. */
export function namesById(schema: AvroSchema, names = new Map<number, string>()): Map<number, string> {
  if (Array.isArray(schema)) {
    for (const branch of schema) namesById(branch, names);
  } else if (typeof schema === "object" && schema.type === "array") {
    namesById((schema as { items: AvroSchema }).items, names);
  } else if (typeof schema === "object" && schema.type === "record") {
    for (const field of (schema as AvroRecord).fields) {
      if (field["field-id"] !== undefined) names.set(field["field-id"], field.name);
      namesById(field.type, names);
    }
  }
  return names;
}
