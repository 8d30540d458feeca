// A batch of table rows → one Parquet data file and its Iceberg column metrics (SPEC.md §3,
// §4). The same schema and rows always give the same bytes: the file name carries a hash
// of them.
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { snappyCompressor } from "hysnappy";
import { createdByString } from "../core/build-info.js";
import { ExportError } from "../core/errors.js";
import type { DataFileMetrics } from "../iceberg/metrics.js";
import type { IcebergSchema } from "../iceberg/types.js";
import type { TableRow } from "../schema/table-row.js";
import { emptyColumns, releaseColumns, sealColumns, shredRow, shredRows, type ShreddedColumn } from "./column-shredding.js";
import { emptyStatistics, mergeStatistics } from "./column-statistics.js";
import { dataFileMetrics, type LeafMetrics } from "./metrics.js";
import { parquetLayout, type ParquetLayout } from "./parquet-schema.js";
import { writeRowGroup, type WrittenChunk } from "./row-group-writer.js";
import type { TableColumns } from "./table-columns.js";

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


// Snappy in WebAssembly, several times faster than hyparquet-writer's JavaScript one; the
// module is instantiated once, synchronously, and keeps its memory for the next file.
const compressors = { SNAPPY: snappyCompressor() };

/** Rows per row group unless asked otherwise. */
export const defaultRowGroupRows = 1_000_000;

export function writeDataFile(schema: IcebergSchema, rows: readonly TableRow[], options: DataFileOptions = {}): DataFile {
  const { rowGroupRows = defaultRowGroupRows } = options;
  requirePositiveInteger("rowGroupRows", rowGroupRows);
  const layout = parquetLayout(schema);
  const rowGroups: RowGroup[] = [];
  for (let start = 0; start < rows.length; start += rowGroupRows) {
    const end = Math.min(rows.length, start + rowGroupRows);
    rowGroups.push({ rowCount: end - start, columns: () => shredRows(layout, rows, start, end), release: true });
  }
  return writeRowGroups(layout, rows.length, rowGroups, options);
}

/** A row group whose rows are made only when it is written. */
export interface LazyRowGroup {
  rowCount: number;
  rows: () => readonly TableRow[];
}

/**
 * A file of the given row groups, each one's rows asked for, shredded and let go in turn: a
 * rewrite of many files holds one row group's rows at a time, not the whole file's.
 */
export function writeDataFileInRowGroups(schema: IcebergSchema, groups: readonly LazyRowGroup[], options: Omit<DataFileOptions, "rowGroupRows"> = {}): DataFile {
  const layout = parquetLayout(schema);
  const rowGroups: RowGroup[] = groups.map((group) => ({
    rowCount: group.rowCount,
    columns: () => {
      const rows = group.rows();
      if (rows.length !== group.rowCount) throw new ExportError("INTERNAL", `a row group of ${group.rowCount} rows was given ${rows.length}`);
      return shredRows(layout, rows, 0, rows.length);
    },
    release: true,
  }));
  return writeRowGroups(layout, groups.reduce((sum, group) => sum + group.rowCount, 0), rowGroups, options);
}

/** A row group whose rows are handed over a few at a time, each shredded as it comes. */
export interface StreamedRowGroup {
  rowCount: number;
  /** Calls `append` with each of the row group's rows, in order. */
  fill: (append: (row: TableRow) => void) => void;
}

/**
 * The same file as `writeDataFile` gives for the same rows cut into the same row groups,
 * without all of a row group's rows alive at once: each row is shredded into the columns as
 * `fill` hands it over, so a merge of many files holds one file's rows at a time.
 */
export function writeStreamedDataFile(schema: IcebergSchema, groups: readonly StreamedRowGroup[], options: Omit<DataFileOptions, "rowGroupRows"> = {}): DataFile {
  const layout = parquetLayout(schema);
  const rowGroups: RowGroup[] = groups.map((group) => ({
    rowCount: group.rowCount,
    columns: () => {
      const columns = emptyColumns(layout, group.rowCount);
      let rows = 0;
      group.fill((row) => {
        shredRow(layout, row as unknown as Record<string, unknown>, columns);
        rows++;
      });
      if (rows !== group.rowCount) throw new ExportError("INTERNAL", `a row group of ${group.rowCount} rows was given ${rows}`);
      return sealColumns(columns);
    },
    release: true,
  }));
  return writeRowGroups(layout, groups.reduce((sum, group) => sum + group.rowCount, 0), rowGroups, options);
}

/**
 * The same file as `writeDataFile` gives for the same rows, from columns already filled; one
 * row group. The columns stay the caller's: `releaseTableColumns` hands their buffers back.
 */
export function writeTableColumns(table: TableColumns, options: Omit<DataFileOptions, "rowGroupRows"> = {}): DataFile {
  const rowGroups: RowGroup[] = table.rowCount === 0 ? [] : [{ rowCount: table.rowCount, columns: () => sealColumns(table.columns), release: false }];
  return writeRowGroups(table.layout, table.rowCount, rowGroups, options, plainBytesEstimate(table.columns) / 2);
}

interface RowGroup {
  rowCount: number;
  /** Shredded only when written, so that one row group's columns are alive at a time. */
  columns: () => ShreddedColumn[];
  /** Whether the columns are the writer's own, to hand back for reuse once written. */
  release: boolean;
}

/** `expectedBytes`: a guess at the file size, so that the buffer rarely has to grow (and copy) while written. */
function writeRowGroups(layout: ParquetLayout, rowCount: number, rowGroups: readonly RowGroup[], options: DataFileOptions, expectedBytes = rowCount * 64): DataFile {
  const { codec = "SNAPPY", metricsTruncateLength = 16 } = options;
  requirePositiveInteger("metricsTruncateLength", metricsTruncateLength);
  const writer = new ByteWriter(Math.max(1 << 16, Math.ceil(expectedBytes)));
  const file = new ParquetWriter({ writer, schema: layout.elements, codec, compressors, createdBy: createdByString() });
  const leaves: LeafMetrics[] = layout.leaves.map((column) => ({ column, statistics: emptyStatistics(), compressedSize: 0 }));
  for (const rowGroup of rowGroups) {
    const columns = rowGroup.columns();
    addChunks(leaves, writeRowGroup(file, layout.leaves, columns, rowGroup.rowCount));
    if (rowGroup.release) releaseColumns(columns);
  }
  // Synchronous with an in-memory writer: only a streaming writer would make it a promise.
  void file.finish();
  // A view of the written bytes, not a copy of a file-sized buffer.
  return { bytes: writer.getBytes(), recordCount: rowCount, metrics: dataFileMetrics(leaves, metricsTruncateLength) };
}

function addChunks(leaves: readonly LeafMetrics[], chunks: readonly WrittenChunk[]): void {
  leaves.forEach((leaf, index) => {
    const chunk = chunks[index];
    if (chunk === undefined) return;
    leaf.compressedSize += chunk.compressedSize;
    mergeStatistics(leaf.statistics, chunk.statistics, leaf.column.type);
  });
}

/** The columns' values and levels as PLAIN bytes: compression and dictionaries make most files smaller. */
function plainBytesEstimate(columns: readonly ShreddedColumn[]): number {
  let bytes = 0;
  for (const { values, slots } of columns) {
    if (values.kind === "bytes") bytes += values.byteEnd + 4 * values.count;
    else bytes += values.count * (values.kind === "int64" || values.kind === "double" ? 8 : 4);
    bytes += slots / 2;
  }
  return bytes;
}

function requirePositiveInteger(option: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new ExportError("INTERNAL", `writeDataFile option ${option} must be a positive integer, got ${value}`);
}
