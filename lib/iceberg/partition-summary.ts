// The partition field summaries of a manifest (spec, "Manifest Lists": field_summary):
// per partition field, whether any entry's value is null or NaN, and the lowest and
// highest other value in binary single-value form, so that scans can skip the manifest.
import type { ManifestEntry, PartitionFieldSummary } from "./manifest-types.js";
import type { PartitionValue, TypedPartitionField } from "./partition-type.js";
import { compareSingleValues, singleValueBytes } from "./single-value.js";
import type { PrimitiveType } from "./types.js";

export function partitionFieldSummaries(entries: readonly ManifestEntry[], fields: readonly Pick<TypedPartitionField, "name" | "type">[]): PartitionFieldSummary[] {
  return fields.map((field) => fieldSummary(entries.map((entry) => entry.dataFile.partition[field.name] ?? null), field.type));
}

function fieldSummary(values: readonly PartitionValue[], type: PrimitiveType): PartitionFieldSummary {
  let containsNull = false;
  let containsNan = false;
  let lower: Exclude<PartitionValue, null> | undefined;
  let upper: Exclude<PartitionValue, null> | undefined;
  for (const value of values) {
    if (value === null) containsNull = true;
    else if (typeof value === "number" && Number.isNaN(value)) containsNan = true;
    else {
      if (lower === undefined || compareSingleValues(type, value, lower) < 0) lower = value;
      if (upper === undefined || compareSingleValues(type, value, upper) > 0) upper = value;
    }
  }
  return {
    containsNull,
    containsNan,
    lowerBound: lower === undefined ? null : singleValueBytes(type, lower),
    upperBound: upper === undefined ? null : singleValueBytes(type, upper),
  };
}
