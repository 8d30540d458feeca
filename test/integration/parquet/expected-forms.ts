// What pyarrow must see of the table rows and metrics we wrote, derived from the Iceberg
// schema with code of the test's own (not lib/parquet's): which fields a Parquet file
// leaves out, the JSON conventions of iceberg_tool.py, Parquet column paths, and the
// decoding of the spec's binary single-value form.
import type { IcebergType, PrimitiveType, StructType } from "../../../lib/iceberg/types.js";

/** Empty structs, and anything holding nothing but them, have no place in a Parquet file. */
export function isLeftOut(type: IcebergType): boolean {
  if (typeof type === "string") return false;
  if (type.type === "struct") return type.fields.every((field) => isLeftOut(field.type));
  if (type.type === "list") return isLeftOut(type.element);
  return isLeftOut(type.value);
}

const safeInteger = 2n ** 53n - 1n;

/** A row value as iceberg_tool.py prints what pyarrow read. */
export function expectedJson(type: IcebergType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof type === "string") return primitiveJson(type, value);
  if (type.type === "struct") {
    const struct = value as Record<string, unknown>;
    return Object.fromEntries(type.fields.filter((field) => !isLeftOut(field.type)).map((field) => [field.name, expectedJson(field.type, struct[field.name])]));
  }
  if (type.type === "list") return (value as unknown[]).map((element) => expectedJson(type.element, element));
  return [...(value as Map<unknown, unknown>)].map(([key, entry]) => [expectedJson(type.key, key), expectedJson(type.value, entry)]);
}

function primitiveJson(type: PrimitiveType, value: unknown): unknown {
  if (type === "timestamptz") return isoMicros(value as bigint);
  if (type.startsWith("decimal")) return String(value);
  if (typeof value === "bigint") return value >= -safeInteger && value <= safeInteger ? Number(value) : String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (typeof value === "number" && !Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  return value;
}

/** Python's datetime.isoformat(timespec="microseconds") of a UTC instant. */
export function isoMicros(micros: bigint): string {
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const rest = micros - millis * 1000n;
  return `${new Date(Number(millis)).toISOString().slice(0, 23)}${rest.toString().padStart(3, "0")}+00:00`;
}

/** pyarrow's name of the arrow type a primitive column reads as. */
export function arrowType(type: PrimitiveType): string {
  const names: Record<string, string> = { boolean: "bool", int: "int32", long: "int64", float: "float", double: "double", string: "string", binary: "binary", timestamptz: "timestamp[us, tz=UTC]" };
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
  return decimal === null ? (names[type] ?? type) : `decimal128(${decimal[1] ?? ""}, ${decimal[2] ?? ""})`;
}

export interface ParquetLeaf {
  id: number;
  type: PrimitiveType;
  /** Reached through structs alone: the columns Iceberg keeps bounds for. */
  structPath: boolean;
  /** Names from the top-level column down, for reading the value out of a row. */
  names: string[];
}

/** Each Parquet leaf column by its dotted path_in_schema. */
export function parquetLeaves(schema: StructType): Map<string, ParquetLeaf> {
  const leaves = new Map<string, ParquetLeaf>();
  function visit(type: IcebergType, id: number, path: string[], structPath: boolean): void {
    if (isLeftOut(type)) return;
    if (typeof type === "string") leaves.set(path.join("."), { id, type, structPath, names: path });
    else if (type.type === "struct") for (const field of type.fields) visit(field.type, field.id, [...path, field.name], structPath);
    else if (type.type === "list") visit(type.element, type["element-id"], [...path, "list", "element"], false);
    else {
      visit(type.key, type["key-id"], [...path, "key_value", "key"], false);
      visit(type.value, type["value-id"], [...path, "key_value", "value"], false);
    }
  }
  for (const field of schema.fields) visit(field.type, field.id, [field.name], true);
  return leaves;
}

/** A bound in the spec's binary single-value serialization, back to a row value. */
export function decodeBound(type: PrimitiveType, bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case "boolean":
      return bytes[0] === 1;
    case "int":
      return view.getInt32(0, true);
    case "long":
    case "timestamptz":
      return view.getBigInt64(0, true);
    case "float":
      return view.getFloat32(0, true);
    case "double":
      return view.getFloat64(0, true);
    case "string":
      return new TextDecoder().decode(bytes);
    case "binary":
      return bytes;
    default: {
      // Decimals: big-endian two's complement.
      let unscaled = BigInt.asIntN(8, BigInt(bytes[0] ?? 0));
      for (const byte of bytes.subarray(1)) unscaled = (unscaled << 8n) | BigInt(byte);
      return unscaled;
    }
  }
}

/** Iceberg's order: strings and binary by unsigned bytes, numbers and bigints by value. */
export function compareValues(left: unknown, right: unknown): number {
  if (typeof left === "string" && typeof right === "string") return Buffer.compare(Buffer.from(left), Buffer.from(right));
  if (left instanceof Uint8Array && right instanceof Uint8Array) return Buffer.compare(left, right);
  return (left as number) < (right as number) ? -1 : (left as number) > (right as number) ? 1 : 0;
}
