// Column metrics of a data file, by field id, as a manifest's data_file carries them
// (Iceberg spec, "Manifests": value_counts, null_value_counts, nan_value_counts,
// lower_bounds, upper_bounds; bounds in the "Binary single-value serialization").

export interface DataFileMetrics {
  columnSizes: Record<number, number>;
  valueCounts: Record<number, number>;
  nullValueCounts: Record<number, number>;
  /** Only for float and double columns. */
  nanValueCounts: Record<number, number>;
  lowerBounds: Record<number, Uint8Array>;
  upperBounds: Record<number, Uint8Array>;
}
