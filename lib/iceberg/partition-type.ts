// The type of each field of a partition tuple (spec, "Partition Transforms": the result
// type of the field's transform on its source column), and its Avro form in a manifest's
// `partition` struct (spec, Appendix A). Our own specs only use time transforms; the
// others are typed so that manifests of tables written by other engines can be rewritten.
import { ExportError } from "../core/errors.js";
import { avroName, type AvroSchema } from "./avro-schema.js";
import type { PartitionField, PartitionSpec } from "./partitioning.js";
import { structFieldById } from "./field-ids.js";
import { isPrimitive, parseDecimal, type IcebergSchema, type IcebergType, type PrimitiveType } from "./types.js";

/** A partition value as avsc reads and writes it: int and date as number, long-based types as bigint, fixed and binary as bytes. */
export type PartitionValue = number | bigint | string | boolean | Uint8Array | null;

/** A partition field with its result type, and its name in Avro (escaped where it is not a valid Avro name). */
export interface TypedPartitionField {
  name: string;
  avroName: string;
  fieldId: number;
  type: PrimitiveType;
}

const intResults = new Set(["year", "month", "hour"]);
const sourceResults = new Set(["identity", "void"]);

/** The spec's fields, typed; ExportError for a transform this code does not know. */
export function typedPartitionFields(spec: PartitionSpec, schemas: readonly IcebergSchema[]): TypedPartitionField[] {
  return spec.fields.map((field) => {
    const type = partitionFieldType(field, schemas);
    if (type === undefined) throw new ExportError("INTERNAL", `partition spec ${spec["spec-id"]}: unknown transform ${field.transform} of field ${field.name}`);
    return { name: field.name, avroName: avroName(field.name), fieldId: field["field-id"], type };
  });
}

/** The field's result type; undefined for a transform this code does not know. */
export function partitionFieldType(field: PartitionField, schemas: readonly IcebergSchema[]): PrimitiveType | undefined {
  const transform = field.transform;
  if (intResults.has(transform) || transform.startsWith("bucket[")) return "int";
  if (transform === "day") return "date";
  if (!sourceResults.has(transform) && !transform.startsWith("truncate[")) return undefined;
  const source = sourceFieldType(field["source-id"], schemas);
  if (source === undefined || !isPrimitive(source)) {
    throw new ExportError("INTERNAL", `partition field ${field.name}: source column ${field["source-id"]} is not a primitive column of the table`);
  }
  return source;
}

/** The Avro schema of a value of an Iceberg primitive type; `name` names it when it is a fixed. */
export function avroSchemaOfPrimitive(type: PrimitiveType, name: string): AvroSchema {
  switch (type) {
    case "boolean":
    case "int":
    case "long":
    case "float":
    case "double":
    case "string":
      return type;
    case "binary":
      return "bytes";
    case "date":
      return { type: "int", logicalType: "date" };
    case "time":
      return { type: "long", logicalType: "time-micros" };
    case "timestamp":
    case "timestamptz":
      return { type: "long", logicalType: "timestamp-micros", "adjust-to-utc": type === "timestamptz" };
    case "uuid":
      return { type: "fixed", name, size: 16, logicalType: "uuid" };
  }
  const decimal = parseDecimal(type);
  if (decimal !== undefined) return { type: "fixed", name, size: decimalBytes(decimal.precision), logicalType: "decimal", precision: decimal.precision, scale: decimal.scale };
  const fixed = /^fixed\[(\d+)\]$/.exec(type);
  if (fixed?.[1] !== undefined) return { type: "fixed", name, size: Number(fixed[1]) };
  throw new ExportError("INTERNAL", `no Avro form for the Iceberg type ${type}`);
}

/** Minimum bytes of a two's-complement number holding any unscaled value of `precision` digits. */
function decimalBytes(precision: number): number {
  const largest = 10n ** BigInt(precision) - 1n;
  let bytes = 1;
  while (largest >= 1n << BigInt(8 * bytes - 1)) bytes++;
  return bytes;
}

/** The source column's type in the newest schema that has it: a partition source may be dropped later. */
function sourceFieldType(fieldId: number, schemas: readonly IcebergSchema[]): IcebergType | undefined {
  for (let index = schemas.length - 1; index >= 0; index--) {
    const found = structFieldById((schemas[index] as IcebergSchema).fields, fieldId);
    if (found !== undefined) return found.type;
  }
  return undefined;
}
