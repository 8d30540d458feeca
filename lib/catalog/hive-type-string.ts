// The Hive type string of an Iceberg type, as Glue's StorageDescriptor.Columns hold it (filled
// as Iceberg-Java's GlueCatalog fills them), e.g. `array<struct<key:string,value:binary>>`.
// Glue bounds its length (glue-athena-limits.ts).
import { isPrimitive, parseDecimal, type IcebergType, type PrimitiveType } from "../iceberg/types.js";

const hivePrimitiveTypes: Readonly<Record<string, string>> = {
  boolean: "boolean",
  int: "int",
  long: "bigint",
  float: "float",
  double: "double",
  date: "date",
  time: "string",
  timestamp: "timestamp",
  timestamptz: "timestamp",
  string: "string",
  uuid: "string",
  binary: "binary",
};

export function hiveTypeString(type: IcebergType): string {
  if (isPrimitive(type)) return hivePrimitiveType(type);
  switch (type.type) {
    case "struct":
      return `struct<${type.fields.map((field) => `${field.name}:${hiveTypeString(field.type)}`).join(",")}>`;
    case "list":
      return `array<${hiveTypeString(type.element)}>`;
    case "map":
      return `map<${hiveTypeString(type.key)},${hiveTypeString(type.value)}>`;
  }
}

function hivePrimitiveType(type: PrimitiveType): string {
  const decimal = parseDecimal(type);
  if (decimal !== undefined) return `decimal(${decimal.precision},${decimal.scale})`;
  if (type.startsWith("fixed[")) return "binary";
  // A type newer than this code (format v3's variant, timestamp_ns, ...) keeps its Iceberg name, as in Iceberg-Java.
  return hivePrimitiveTypes[type] ?? type;
}
