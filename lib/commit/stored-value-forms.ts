// A stored Parquet value → the value form of a table row (lib/schema/table-row.ts), for the
// column type of the schema the merged file is written with. Every conversion is exact:
// longs and timestamps stay bigint microseconds, a decimal's two's complement bytes become
// its unscaled bigint, strings are decoded from the UTF-8 the writer encoded. Besides the
// identity, only the spec's promotions are accepted (int → long, float → double, a wider
// decimal of the same scale); anything else makes the file unmergeable.
import type { SchemaElement } from "hyparquet";
import { parseDecimal, type PrimitiveType } from "../iceberg/types.js";
import { UnmergeableFileError } from "./unmergeable-file-error.js";

export type StoredValueForm = (stored: unknown) => unknown;

const utf8 = new TextDecoder();

export function storedValueForm(type: PrimitiveType, element: SchemaElement): StoredValueForm {
  const physical = element.type;
  if (type === "boolean" && physical === "BOOLEAN") return identity;
  if ((type === "int" || type === "date") && physical === "INT32") return identity;
  if (type === "long" && physical === "INT32") return promoteToLong;
  if ((type === "long" || type === "time" || type === "timestamp" || type === "timestamptz") && physical === "INT64") return identity;
  if ((type === "float" && physical === "FLOAT") || (type === "double" && (physical === "DOUBLE" || physical === "FLOAT"))) return identity;
  if (type === "string" && physical === "BYTE_ARRAY") return decodeUtf8;
  if (type === "binary" && physical === "BYTE_ARRAY") return identity;
  if ((type === "uuid" || type.startsWith("fixed[")) && physical === "FIXED_LEN_BYTE_ARRAY") return identity;
  const decimal = parseDecimal(type);
  if (decimal !== undefined && physical === "FIXED_LEN_BYTE_ARRAY" && element.converted_type === "DECIMAL" && (element.scale ?? 0) === decimal.scale && (element.precision ?? 0) <= decimal.precision) {
    return unscaledDecimal;
  }
  throw new UnmergeableFileError(`a ${physical ?? "group"} column (${element.name}, field id ${element.field_id}) cannot be read as ${type}`);
}

function identity(stored: unknown): unknown {
  return stored;
}

function promoteToLong(stored: unknown): bigint {
  return BigInt(stored as number);
}

function decodeUtf8(stored: unknown): string {
  return utf8.decode(stored as Uint8Array);
}

/** Big-endian two's complement, as the Parquet DECIMAL type stores the unscaled value. */
function unscaledDecimal(stored: unknown): bigint {
  const bytes = stored as Uint8Array;
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const negative = bytes.length > 0 && ((bytes[0] ?? 0) & 0x80) !== 0;
  return negative ? value - (1n << BigInt(8 * bytes.length)) : value;
}
