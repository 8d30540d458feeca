// Iceberg schemas in the JSON form of the table spec ("Appendix C: JSON serialization"),
// so that a schema is written into metadata.json as it is held here.

export type PrimitiveType =
  | "boolean"
  | "int"
  | "long"
  | "float"
  | "double"
  | "date"
  | "time"
  | "timestamp"
  | "timestamptz"
  | "string"
  | "uuid"
  | "binary"
  | `decimal(${number}, ${number})`
  | `fixed[${number}]`;

export interface NestedField {
  id: number;
  name: string;
  required: boolean;
  type: IcebergType;
  doc?: string;
}

export interface StructType {
  type: "struct";
  fields: NestedField[];
}

export interface ListType {
  type: "list";
  "element-id": number;
  "element-required": boolean;
  element: IcebergType;
}

export interface MapType {
  type: "map";
  "key-id": number;
  key: IcebergType;
  "value-id": number;
  "value-required": boolean;
  value: IcebergType;
}

export type IcebergType = PrimitiveType | StructType | ListType | MapType;

export interface IcebergSchema extends StructType {
  "schema-id": number;
}

export function isPrimitive(type: IcebergType): type is PrimitiveType {
  return typeof type === "string";
}

/**
 * Whether a value of the type can hold anything: a primitive somewhere inside it. An empty
 * struct, or a list or map of nothing else, cannot, and has no place in a Parquet file.
 */
export function hasLeaves(type: IcebergType): boolean {
  if (isPrimitive(type)) return true;
  switch (type.type) {
    case "struct":
      return type.fields.some((field) => hasLeaves(field.type));
    case "list":
      return hasLeaves(type.element);
    case "map":
      return hasLeaves(type.key) && hasLeaves(type.value);
  }
}

export function decimalType(precision: number, scale: number): PrimitiveType {
  return `decimal(${precision}, ${scale})`;
}

const decimalPattern = /^decimal\((\d+),\s*(\d+)\)$/;

export function parseDecimal(type: PrimitiveType): { precision: number; scale: number } | undefined {
  const match = decimalPattern.exec(type);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { precision: Number(match[1]), scale: Number(match[2]) };
}

/**
 * Whether a column of type `from` may become `to` keeping its field id: the type
 * promotions of the spec ("Schema Evolution"): int→long, float→double, and widening a
 * decimal's precision at the same scale. A type "promotes" to itself.
 */
export function canPromote(from: PrimitiveType, to: PrimitiveType): boolean {
  if (from === to) return true;
  if (from === "int" && to === "long") return true;
  if (from === "float" && to === "double") return true;
  const fromDecimal = parseDecimal(from);
  const toDecimal = parseDecimal(to);
  return fromDecimal !== undefined && toDecimal !== undefined && fromDecimal.scale === toDecimal.scale && toDecimal.precision >= fromDecimal.precision;
}

/** A short name of a type's kind, for messages and for the names of retired columns. */
export function typeLabel(type: IcebergType): string {
  if (isPrimitive(type)) return type.replace(/[^a-z0-9]+/g, "_").replace(/_+$/, "");
  return type.type;
}
