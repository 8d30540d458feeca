// One row group of already shredded leaf columns: each column chunk is written by
// column-chunk-writer.ts (pages, dictionaries, compression and chunk statistics, as
// hyparquet-writer's column writer lays them out), and hyparquet-writer's ParquetWriter
// keeps the row groups and offset indexes for the footer it writes.
import type { ParquetWriter } from "hyparquet-writer";
import type { ShreddedColumn } from "./column-shredding.js";
import { writeColumnChunk } from "./column-chunk-writer.js";
import type { ColumnStatistics } from "./column-statistics.js";
import type { LeafColumn } from "./parquet-schema.js";

export interface WrittenChunk {
  compressedSize: number;
  /** The chunk's statistics, values untruncated, in the row forms of the values. */
  statistics: ColumnStatistics;
}

const pageSize = 1 << 20;

/** Appends a row group of `rowCount` rows to `file`; returns what was written of each leaf, in leaf order. */
export function writeRowGroup(file: ParquetWriter, leaves: readonly LeafColumn[], columns: readonly ShreddedColumn[], rowCount: number): WrittenChunk[] {
  const groupStart = file.writer.offset;
  const written: WrittenChunk[] = [];
  const options = { codec: file.codec, compressors: file.compressors as Record<string, ((input: Uint8Array) => Uint8Array) | undefined>, pageSize };
  const chunks = leaves.map((leaf) => {
    const result = writeColumnChunk(file.writer, leaf, columns[leaf.index] as ShreddedColumn, options);
    file.pendingIndexes.push({ chunk: result.chunk, offsetIndex: result.offsetIndex });
    written.push({ compressedSize: Number(result.chunk.meta_data?.total_compressed_size ?? 0n), statistics: result.statistics.row });
    return result.chunk;
  });
  let totalByteSize = 0n;
  for (const chunk of chunks) totalByteSize += chunk.meta_data?.total_uncompressed_size ?? 0n;
  file.row_groups.push({
    columns: chunks,
    total_byte_size: totalByteSize,
    num_rows: BigInt(rowCount),
    total_compressed_size: BigInt(file.writer.offset - groupStart),
  });
  file.num_rows += BigInt(rowCount);
  return written;
}
