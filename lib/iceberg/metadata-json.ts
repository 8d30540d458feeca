// Reading and writing metadata.json with every long exact. Snapshot ids are random 63-bit
// numbers, well beyond 2^53: a plain JSON.parse would round them and point the table at
// snapshots that do not exist. Snapshot ids are always bigint once read, whatever their size;
// other integers are numbers when they fit, and an unsafe one outside the id fields is an error.
import { isSafeNumber, parse, stringify } from "lossless-json";
import { ExportError } from "../core/errors.js";
import type { TableMetadata } from "./table-metadata.js";

type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };

const snapshotIdKeys = new Set(["snapshot-id", "parent-snapshot-id", "current-snapshot-id"]);

export function parseTableMetadata(text: string, location = "metadata.json"): TableMetadata {
  return tableMetadataFromJson(parseExactJson(text, location), location);
}

/** JSON with every integer beyond 2^53 a bigint, the others numbers (for answers that embed table metadata). */
export function parseExactJson(text: string, location: string): unknown {
  try {
    return parse(text, undefined, (value) => (isSafeNumber(value) ? Number(value) : BigInt(value)));
  } catch (error) {
    throw new ExportError("INTERNAL", `${location} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** JSON text with bigints written as plain JSON numbers, digit for digit. */
export function stringifyExactJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new ExportError("INTERNAL", "a value could not be serialised as JSON");
  return text;
}

/** Table metadata from JSON parsed by parseExactJson, e.g. the `metadata` of a REST catalog's answer. */
export function tableMetadataFromJson(parsed: unknown, location: string): TableMetadata {
  const converted = withBigintIds(parsed as Json, location);
  if (converted === null || typeof converted !== "object" || Array.isArray(converted) || converted["format-version"] !== 2) {
    throw new ExportError("INTERNAL", `${location} is not Iceberg table metadata of format version 2`);
  }
  const metadata = converted as unknown as TableMetadata;
  // Some writers record "no current snapshot" as -1.
  if (metadata["current-snapshot-id"] === -1n) delete metadata["current-snapshot-id"];
  return metadata;
}

export function serializeTableMetadata(metadata: TableMetadata): string {
  const text = stringify(metadata, undefined, 2);
  if (text === undefined) throw new ExportError("INTERNAL", "table metadata could not be serialised");
  return text;
}

function withBigintIds(value: Json, location: string, key?: string): Json {
  if (Array.isArray(value)) return value.map((item) => withBigintIds(item, location));
  if (value !== null && typeof value === "object") {
    const result: { [key: string]: Json } = {};
    for (const [entryKey, entry] of Object.entries(value)) result[entryKey] = withBigintIds(entry, location, entryKey);
    return result;
  }
  if (key !== undefined && snapshotIdKeys.has(key) && typeof value === "number") return BigInt(value);
  if (typeof value === "bigint" && (key === undefined || !snapshotIdKeys.has(key))) {
    throw new ExportError("INTERNAL", `${location}: ${key ?? "a value"} = ${value} exceeds 2^53 where no long id is expected`);
  }
  return value;
}
