// Partitioning by the `timestamp` column (SPEC.md §4), with the spec's time transforms
// ("Partition Transforms"): year, month and day count from 1970-01-01, hour from the epoch;
// all floor towards negative infinity for instants before 1970.
import type { IcebergSchema } from "./types.js";

export interface PartitionField {
  "source-id": number;
  "field-id": number;
  name: string;
  transform: string;
}

export interface PartitionSpec {
  "spec-id": number;
  fields: PartitionField[];
}

/** How a table is partitioned by its `timestamp` column, as `enable` is told. */
export type Partitioning = "hour" | "day" | "month" | "year" | "none";

export type TimeTransform = Exclude<Partitioning, "none">;

/** Partition field ids start at 1000 (spec: "Partition field IDs ... start at 1000"). */
const firstPartitionFieldId = 1000;

export function timestampPartitionSpec(partitioning: Partitioning, timestampFieldId: number, specId = 0): PartitionSpec {
  if (partitioning === "none") return { "spec-id": specId, fields: [] };
  return {
    "spec-id": specId,
    fields: [{ "source-id": timestampFieldId, "field-id": firstPartitionFieldId, name: `timestamp_${partitioning}`, transform: partitioning }],
  };
}

/** The spec an export table's files are written under: `partitioning` applied to its `timestamp` column. */
export function exportPartitionSpec(partitioning: Partitioning, schema: IcebergSchema): PartitionSpec {
  const timestamp = schema.fields.find((field) => field.name === "timestamp");
  if (timestamp === undefined) throw new TypeError("the table schema has no timestamp column");
  return timestampPartitionSpec(partitioning, timestamp.id);
}

const microsPerHour = 3_600_000_000n;
const microsPerDay = 24n * microsPerHour;

export function applyTimeTransform(transform: TimeTransform, micros: bigint): number {
  if (transform === "hour") return Number(floorDivide(micros, microsPerHour));
  return transformOfDays(transform, Number(floorDivide(micros, microsPerDay)));
}

/** Whole epoch milliseconds this far from 0 are exact as microseconds in a double, and divide exactly enough. */
export const maxSafeMillis = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

/**
 * applyTimeTransform of `epochMs` × 1000 µs, for whole milliseconds within ±maxSafeMillis
 * (the year 2255), in doubles: the ingest path needs no BigInt per record. Exact there: the
 * quotients stay below 2^22 hours, whose spacing in a double is far finer than 1/3,600,000.
 */
export function applyTimeTransformToMillis(transform: TimeTransform, epochMs: number): number {
  if (transform === "hour") return Math.floor(epochMs / 3_600_000);
  return transformOfDays(transform, Math.floor(epochMs / 86_400_000));
}

function transformOfDays(transform: Exclude<TimeTransform, "hour">, days: number): number {
  if (transform === "day") return days;
  const date = new Date(days * 86_400_000);
  const years = date.getUTCFullYear() - 1970;
  return transform === "year" ? years : years * 12 + date.getUTCMonth();
}

/** The partition's directory under data/, as Iceberg writers name it: `timestamp_day=2026-11-24`. */
export function partitionPath(spec: PartitionSpec, values: Record<string, number | null>): string {
  return spec.fields
    .map((field) => {
      const value = values[field.name];
      const text = value === null || value === undefined ? "null" : humanTimeValue(field.transform as TimeTransform, value);
      return `${field.name}=${text}`;
    })
    .join("/");
}

function humanTimeValue(transform: TimeTransform, value: number): string {
  if (transform === "year") return String(1970 + value);
  if (transform === "month") {
    const year = 1970 + Math.floor(value / 12);
    return `${year}-${pad(value - (year - 1970) * 12 + 1)}`;
  }
  const iso = new Date(value * (transform === "hour" ? 3_600_000 : 86_400_000)).toISOString();
  return transform === "day" ? iso.slice(0, 10) : `${iso.slice(0, 10)}-${iso.slice(11, 13)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

function floorDivide(dividend: bigint, divisor: bigint): bigint {
  const quotient = dividend / divisor;
  return dividend % divisor < 0n ? quotient - 1n : quotient;
}
