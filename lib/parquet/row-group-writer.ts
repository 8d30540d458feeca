// One row group of already shredded leaf columns, written through hyparquet-writer: its
// column writer does the page encoding, dictionaries, compression and chunk statistics,
// and its ParquetWriter the footer. Only the row-object walk of ParquetWriter.write is
// left aside, because the columns come shredded (with levels) from column-shredding.ts.
import type { ParquetWriter } from "hyparquet-writer";
import { writeColumn } from "hyparquet-writer/src/column.js";
import { ExportError } from "../core/errors.js";
import type { ShreddedColumn } from "./column-shredding.js";
import type { ColumnStatistics } from "./column-statistics.js";
import type { LeafColumn } from "./parquet-schema.js";

type ColumnEncoder = Parameters<typeof writeColumn>[0]["column"];
type ColumnChunk = ReturnType<typeof writeColumn>["chunk"];
type PageData = Parameters<typeof writeColumn>[0]["pageData"];

/** What the column writer puts in a chunk's statistics; it counts NaN, which its types do not declare yet. */
interface ChunkStatistics {
  null_count?: bigint;
  nan_count?: bigint;
  min_value?: unknown;
  max_value?: unknown;
}

export interface WrittenChunk {
  compressedSize: number;
  /** The chunk's statistics as the column writer computed them for the footer, values untruncated. */
  statistics: ColumnStatistics;
}

const pageSize = 1 << 20;

/** Appends a row group of `rowCount` rows to `file`; returns what was written of each leaf, in leaf order. */
export function writeRowGroup(file: ParquetWriter, leaves: readonly LeafColumn[], columns: readonly ShreddedColumn[], rowCount: number): WrittenChunk[] {
  const groupStart = file.writer.offset;
  const written: WrittenChunk[] = [];
  const chunks = leaves.map((leaf) => {
    const result = writeLeafColumn(file, leaf, columns[leaf.index] as ShreddedColumn);
    file.pendingIndexes.push(result);
    written.push(writtenChunk(leaf, result.chunk));
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

function writeLeafColumn(file: ParquetWriter, leaf: LeafColumn, column: ShreddedColumn): ReturnType<typeof writeColumn> {
  try {
    return writeColumn({ writer: file.writer, column: columnEncoder(file, leaf), pageData: pageData(column, leaf) });
  } catch (error) {
    // A value not of its column's form: the rows did not come from this table's decoder.
    throw new ExportError("INTERNAL", `column ${leaf.path.join(".")} could not be written: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function writtenChunk(leaf: LeafColumn, chunk: ColumnChunk): WrittenChunk {
  const metadata = chunk.meta_data;
  const statistics: ChunkStatistics | undefined = metadata?.statistics;
  if (metadata === undefined || statistics === undefined) throw new ExportError("INTERNAL", `column ${leaf.path.join(".")} was written without statistics`);
  return {
    compressedSize: Number(metadata.total_compressed_size),
    statistics: {
      valueCount: Number(metadata.num_values),
      nullCount: Number(statistics.null_count ?? 0n),
      nanCount: Number(statistics.nan_count ?? 0n),
      min: statistics.min_value,
      max: statistics.max_value,
    },
  };
}

// hyparquet-writer declares the levels as number[] but only indexes, counts and slices
// them, which a typed array does as well, in an eighth of the memory.
function pageData(column: ShreddedColumn, leaf: LeafColumn): PageData {
  return {
    values: column.values,
    definitionLevels: column.definitionLevels as unknown as number[],
    repetitionLevels: column.repetitionLevels as unknown as number[],
    maxDefinitionLevel: leaf.maxDefinitionLevel,
  };
}

function columnEncoder(file: ParquetWriter, leaf: LeafColumn): ColumnEncoder {
  return {
    columnName: leaf.path.join("."),
    element: leaf.schemaPath[leaf.schemaPath.length - 1] as ColumnEncoder["element"],
    schemaPath: leaf.schemaPath,
    codec: file.codec,
    compressors: file.compressors,
    stats: file.statistics,
    statisticsTruncateLength: file.statisticsTruncateLength,
    pageSize,
    columnIndex: false,
    offsetIndex: true,
  };
}
