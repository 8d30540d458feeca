// A batch of table rows → one Parquet data file and its Iceberg column metrics (SPEC.md §3,
// §4). The same schema and rows always give the same bytes: the file name carries a hash
// of them.
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { ExportError } from "../core/errors.js";
import type { DataFileMetrics } from "../iceberg/metrics.js";
import type { IcebergSchema } from "../iceberg/types.js";
import type { TableRow } from "../schema/table-row.js";
import { shredRows } from "./column-shredding.js";
import { emptyStatistics, mergeStatistics } from "./column-statistics.js";
import { dataFileMetrics, type LeafMetrics } from "./metrics.js";
import { parquetLayout } from "./parquet-schema.js";
import { writeRowGroup, type WrittenChunk } from "./row-group-writer.js";

export interface DataFileOptions {
  codec?: "SNAPPY" | "UNCOMPRESSED";
  /** Rows per row group; the default keeps a Lambda batch in one row group, as analytics engines like. */
  rowGroupRows?: number;
  /** Code points of a string bound, bytes of a binary bound (Iceberg's default metrics mode, truncate(16)). */
  metricsTruncateLength?: number;
}

export interface DataFile {
  bytes: Uint8Array;
  recordCount: number;
  metrics: DataFileMetrics;
}

const createdBy = "kafka-iceberg-export";

export function writeDataFile(schema: IcebergSchema, rows: readonly TableRow[], options: DataFileOptions = {}): DataFile {
  const { codec = "SNAPPY", rowGroupRows = 1_000_000, metricsTruncateLength = 16 } = options;
  requirePositiveInteger("rowGroupRows", rowGroupRows);
  requirePositiveInteger("metricsTruncateLength", metricsTruncateLength);
  const layout = parquetLayout(schema);
  const writer = new ByteWriter(initialCapacity(rows.length));
  const file = new ParquetWriter({ writer, schema: layout.elements, codec, createdBy });
  const leaves: LeafMetrics[] = layout.leaves.map((column) => ({ column, statistics: emptyStatistics(), compressedSize: 0 }));
  for (let start = 0; start < rows.length; start += rowGroupRows) {
    const end = Math.min(rows.length, start + rowGroupRows);
    addChunks(leaves, writeRowGroup(file, layout.leaves, shredRows(layout, rows, start, end), end - start));
  }
  // Synchronous with an in-memory writer: only a streaming writer would make it a promise.
  void file.finish();
  return { bytes: new Uint8Array(writer.getBuffer()), recordCount: rows.length, metrics: dataFileMetrics(leaves, metricsTruncateLength) };
}

function addChunks(leaves: readonly LeafMetrics[], chunks: readonly WrittenChunk[]): void {
  leaves.forEach((leaf, index) => {
    const chunk = chunks[index];
    if (chunk === undefined) return;
    leaf.compressedSize += chunk.compressedSize;
    mergeStatistics(leaf.statistics, chunk.statistics, leaf.column.type);
  });
}

// A guess at the file size, so that the buffer rarely has to grow (and copy) while written.
function initialCapacity(rowCount: number): number {
  return Math.max(1 << 16, rowCount * 64);
}

function requirePositiveInteger(option: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new ExportError("INTERNAL", `writeDataFile option ${option} must be a positive integer, got ${value}`);
}
