// Iceberg primitive types as Parquet primitive columns (Iceberg spec, "Appendix A", Parquet
// type mapping). Decimals are always FIXED_LEN_BYTE_ARRAY of the minimum width for their
// precision, which the spec allows for every precision and which keeps one value form
// (the unscaled bigint) for all of them.
import type { SchemaElement } from "hyparquet-writer";
import { ExportError } from "../core/errors.js";
import { parseDecimal, type PrimitiveType } from "../iceberg/types.js";

export type PrimitiveElement = Omit<SchemaElement, "name" | "repetition_type" | "field_id">;

const fixedPattern = /^fixed\[(\d+)\]$/;

export function primitiveElement(type: PrimitiveType): PrimitiveElement {
  switch (type) {
    case "boolean":
      return { type: "BOOLEAN" };
    case "int":
      return { type: "INT32" };
    case "long":
      return { type: "INT64" };
    case "float":
      return { type: "FLOAT" };
    case "double":
      return { type: "DOUBLE" };
    case "date":
      return { type: "INT32", converted_type: "DATE", logical_type: { type: "DATE" } };
    case "time":
      return { type: "INT64", converted_type: "TIME_MICROS", logical_type: { type: "TIME", isAdjustedToUTC: false, unit: "MICROS" } };
    case "timestamp":
      return { type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: false, unit: "MICROS" } };
    case "timestamptz":
      return { type: "INT64", converted_type: "TIMESTAMP_MICROS", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" } };
    case "string":
      return { type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } };
    case "uuid":
      return { type: "FIXED_LEN_BYTE_ARRAY", type_length: 16, logical_type: { type: "UUID" } };
    case "binary":
      return { type: "BYTE_ARRAY" };
  }
  const decimal = parseDecimal(type);
  if (decimal !== undefined) {
    const { precision, scale } = decimal;
    return { type: "FIXED_LEN_BYTE_ARRAY", type_length: decimalBytes(precision), converted_type: "DECIMAL", precision, scale, logical_type: { type: "DECIMAL", precision, scale } };
  }
  const fixed = fixedPattern.exec(type);
  if (fixed?.[1] !== undefined) return { type: "FIXED_LEN_BYTE_ARRAY", type_length: Number(fixed[1]) };
  throw new ExportError("SCHEMA_INVALID", `no Parquet column type for Iceberg type ${type}`);
}

/** The fewest bytes whose two's complement holds every unscaled value of `precision` digits. */
export function decimalBytes(precision: number): number {
  const largest = 10n ** BigInt(precision) - 1n;
  let bytes = 1;
  while (largest >= 1n << BigInt(8 * bytes - 1)) bytes++;
  return bytes;
}
