// Table rows as one line of JSON each, in the table's own column shape and read by its schema:
// binary as 0x-prefixed hex, timestamps as ISO 8601 UTC with microseconds, longs and decimals
// as decimal strings, maps as objects.
import type { IcebergSchema, IcebergType } from "../../lib/iceberg/types.js";
import type { TableRow } from "../../lib/schema/table-row.js";

export const rowLegend = "binary as 0x hex, timestamps in UTC, longs and decimals as strings";

export function rowLine(row: TableRow, schema: IcebergSchema): string {
  return JSON.stringify(displayValue(row, schema));
}

function displayValue(value: unknown, type: IcebergType): unknown {
  if (value === null || value === undefined) return null;
  if (typeof type === "string") return displayPrimitive(value, type);
  switch (type.type) {
    case "struct": {
      const struct = value as Record<string, unknown>;
      return Object.fromEntries(type.fields.map((field) => [field.name, displayValue(struct[field.name], field.type)]));
    }
    case "list":
      return (value as unknown[]).map((element) => displayValue(element, type.element));
    case "map":
      return Object.fromEntries([...(value as Map<unknown, unknown>)].map(([key, entry]) => [String(displayValue(key, type.key)), displayValue(entry, type.value)]));
  }
}

function displayPrimitive(value: unknown, type: string): unknown {
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString("hex")}`;
  if ((type === "timestamptz" || type === "timestamp") && typeof value === "bigint") return isoMicros(value, type === "timestamptz");
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** Microseconds since the epoch as ISO 8601, keeping the microseconds Date would drop. */
export function isoMicros(micros: bigint, utc = true): string {
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const subMillis = micros - millis * 1000n;
  const iso = new Date(Number(millis)).toISOString();
  return `${iso.slice(0, 23)}${subMillis.toString().padStart(3, "0")}${utc ? "Z" : ""}`;
}

/** A JSON.stringify replacer for the value forms of table rows and reports. */
export function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Map) return Object.fromEntries(value as Map<unknown, unknown>);
  return value;
}
