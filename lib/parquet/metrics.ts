// A data file's column metrics by field id, as Iceberg writers derive them from a Parquet
// file (iceberg-java ParquetUtil.footerMetrics, pyiceberg data_file_statistics_from_parquet_metadata):
// for every leaf column its compressed size, its slots (value count, nulls included) and
// null slots, NaN count for float and double; lower and upper bounds only for columns
// reached through structs alone, as iceberg-java keeps them (none inside lists and maps,
// where a bound would describe elements, not rows), and never for a column of nulls or NaN.
import type { DataFileMetrics } from "../iceberg/metrics.js";
import { lowerBound, upperBound } from "./bounds.js";
import type { ColumnStatistics } from "./column-statistics.js";
import type { LeafColumn } from "./parquet-schema.js";

export interface LeafMetrics {
  column: LeafColumn;
  statistics: ColumnStatistics;
  /** Compressed bytes of the column's chunks, all row groups. */
  compressedSize: number;
}

export function dataFileMetrics(leaves: readonly LeafMetrics[], truncateLength: number): DataFileMetrics {
  const metrics: DataFileMetrics = { columnSizes: {}, valueCounts: {}, nullValueCounts: {}, nanValueCounts: {}, lowerBounds: {}, upperBounds: {} };
  for (const { column, statistics, compressedSize } of leaves) {
    const id = column.fieldId;
    metrics.columnSizes[id] = compressedSize;
    metrics.valueCounts[id] = statistics.valueCount;
    metrics.nullValueCounts[id] = statistics.nullCount;
    if (column.type === "float" || column.type === "double") metrics.nanValueCounts[id] = statistics.nanCount;
    if (!column.hasBounds) continue;
    if (statistics.min !== undefined) metrics.lowerBounds[id] = lowerBound(column.type, statistics.min, truncateLength);
    const upper = statistics.max === undefined ? undefined : upperBound(column.type, statistics.max, truncateLength);
    if (upper !== undefined) metrics.upperBounds[id] = upper;
  }
  return metrics;
}
