// One column chunk from typed leaf values (leaf-values.ts), written with hyparquet-writer's
// page header and byte writer (RLE/bit-packing as its encoder does it, rle-encoding.ts), and laid out exactly as its column writer
// (writeColumn in its column.js) lays out the same values given as JS values: the same
// dictionary decision, pages of about 1 MiB cut at row starts, DATA_PAGE_V2 with levels
// uncompressed and values compressed, the same chunk metadata, statistics and offset index.
// What changes is the cost: values are encoded from typed arrays, never converted one JS
// value at a time (test/lib/parquet/column-chunk-writer.test.ts holds the two writers to
// the same bytes).
import type { ParquetWriter } from "hyparquet-writer";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { ExportError } from "../core/errors.js";
import { chunkStatistics, type ChunkStatistics } from "./chunk-statistics.js";
import type { LevelArray, ShreddedColumn } from "./column-shredding.js";
import { dictionaryOf, plainValueSize, type Dictionary, type PhysicalType } from "./dictionary-encoding.js";
import type { LeafValues } from "./leaf-values.js";
import type { LeafColumn } from "./parquet-schema.js";
import { byteSink, maxEncodedLength, writeRleBitPacked, type ByteSink } from "./rle-encoding.js";

type ColumnChunk = ParquetWriter["row_groups"][number]["columns"][number];
type Writer = ParquetWriter["writer"];
type Compress = (input: Uint8Array) => Uint8Array;
type Encoding = "PLAIN" | "RLE" | "RLE_DICTIONARY";

export interface ChunkOptions {
  codec: string;
  compressors: Partial<Record<string, Compress>>;
  pageSize: number;
}

export interface WrittenColumnChunk {
  chunk: ColumnChunk;
  offsetIndex?: { page_locations: { offset: bigint; compressed_page_size: number; first_row_index: bigint }[] };
  statistics: ChunkStatistics;
}

if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) throw new ExportError("INTERNAL", "the Parquet writer copies typed arrays as little-endian bytes and needs a little-endian machine");

export function writeColumnChunk(writer: Writer, leaf: LeafColumn, column: ShreddedColumn, options: ChunkOptions): WrittenColumnChunk {
  const element = leaf.schemaPath[leaf.schemaPath.length - 1];
  const type = element?.type;
  if (type === undefined) throw new ExportError("INTERNAL", `column ${leaf.path.join(".")} has no Parquet type`);
  const physical: PhysicalType = { type, typeLength: element?.type_length, isString: leaf.type === "string" };
  const offsetStart = writer.offset;
  const dictionary = dictionaryOf(physical, column, leaf.maxDefinitionLevel);
  const statistics = chunkStatistics(leaf.type, column.values, column.slots, column.values.kind === "bytes" ? dictionary?.entries : undefined);
  const encodings: Encoding[] = [];
  let uncompressedSize = 0;
  let dictionaryPageOffset: bigint | undefined;
  let encoding: Encoding;
  if (dictionary === undefined) encoding = type === "BOOLEAN" && column.slots > 16 ? "RLE" : "PLAIN";
  else {
    dictionaryPageOffset = BigInt(writer.offset);
    uncompressedSize += writeDictionaryPage(writer, physical, column.values, dictionary.entries, options);
    encodings.push("PLAIN");
    encoding = "RLE_DICTIONARY";
  }
  encodings.push(encoding);

  const pages = pageBoundaries(physical, column, leaf, dictionary !== undefined, options.pageSize);
  const dataPageOffset = BigInt(writer.offset);
  const pageLocations: { offset: bigint; compressed_page_size: number; first_row_index: bigint }[] = [];
  let firstRowIndex = 0n;
  let previousStart = 0;
  for (const page of pages) {
    const pageOffset = writer.offset;
    uncompressedSize += writeDataPage(writer, physical, leaf, column, page, encoding, dictionary, options);
    if (column.repetitionLevels.length > 0) {
      for (let slot = previousStart + 1; slot <= page.start; slot++) if (column.repetitionLevels[slot] === 0) firstRowIndex++;
    } else firstRowIndex = BigInt(page.start);
    pageLocations.push({ offset: BigInt(pageOffset), compressed_page_size: writer.offset - pageOffset, first_row_index: firstRowIndex });
    previousStart = page.start;
  }
  const encodingStats = [
    ...(dictionaryPageOffset === undefined ? [] : [{ page_type: "DICTIONARY_PAGE" as const, encoding: "PLAIN" as const, count: 1 }]),
    { page_type: "DATA_PAGE_V2" as const, encoding, count: pages.length },
  ];
  const chunk: ColumnChunk = {
    meta_data: {
      type,
      encodings,
      path_in_schema: leaf.path,
      codec: options.codec as "SNAPPY",
      num_values: BigInt(column.slots),
      total_compressed_size: BigInt(writer.offset - offsetStart),
      total_uncompressed_size: BigInt(uncompressedSize),
      data_page_offset: dataPageOffset,
      dictionary_page_offset: dictionaryPageOffset,
      statistics: statistics.footer as NonNullable<ColumnChunk["meta_data"]>["statistics"],
      encoding_stats: encodingStats,
      geospatial_statistics: undefined,
    },
    file_offset: BigInt(offsetStart),
  };
  return { chunk, offsetIndex: pages.length > 1 ? { page_locations: pageLocations } : undefined, statistics };
}

interface Page {
  /** Slots [start, end). */
  start: number;
  end: number;
  /** Values [firstValue, endValue) of those slots. */
  firstValue: number;
  endValue: number;
}

/** Pages of about `pageSize` value bytes (hyparquet-writer's estimate), each starting at a row. */
function pageBoundaries(physical: PhysicalType, column: ShreddedColumn, leaf: LeafColumn, dictionary: boolean, pageSize: number): Page[] {
  const { slots, definitionLevels, repetitionLevels, values } = column;
  const maxDefinitionLevel = leaf.maxDefinitionLevel;
  const fixedSize = dictionary ? 4 : plainValueSize(physical);
  // A page ends once its values reach `pageSize`: below that in all, the chunk is one page.
  const valueBytes = fixedSize >= 0 ? fixedSize * values.count : (values.offsets[values.count] as number) - (values.offsets[0] as number);
  if (valueBytes < pageSize) return [{ start: 0, end: slots, firstValue: 0, endValue: values.count }];
  const pages: Page[] = [];
  let start = 0;
  let firstValue = 0;
  let valueIndex = 0;
  let accumulated = 0;
  const repeated = repetitionLevels.length > 0;
  for (let slot = 0; slot < slots; slot++) {
    let size = 0;
    if (definitionLevels[slot] === maxDefinitionLevel) size = fixedSize >= 0 ? fixedSize : (values.offsets[valueIndex + 1] as number) - (values.offsets[valueIndex] as number);
    accumulated += size;
    if (accumulated >= pageSize && slot > start && (!repeated || repetitionLevels[slot] === 0)) {
      pages.push({ start, end: slot, firstValue, endValue: valueIndex });
      start = slot;
      firstValue = valueIndex;
      accumulated = size;
    }
    if (definitionLevels[slot] === maxDefinitionLevel) valueIndex++;
  }
  if (start < slots) pages.push({ start, end: slots, firstValue, endValue: valueIndex });
  return pages;
}

function writeDataPage(writer: Writer, physical: PhysicalType, leaf: LeafColumn, column: ShreddedColumn, page: Page, encoding: Encoding, dictionary: Dictionary | undefined, options: ChunkOptions): number {
  const definitionLevels = column.definitionLevels.subarray(page.start, page.end);
  const repetitionLevels = column.repetitionLevels.length > 0 ? column.repetitionLevels.subarray(page.start, page.end) : column.repetitionLevels;
  const repetitionWidth = bitWidthOf(leaf.maxRepetitionLevel);
  const definitionWidth = bitWidthOf(leaf.maxDefinitionLevel);
  const levels: ByteSink = { bytes: scratchBytes("levels", maxEncodedLength(page.end - page.start, repetitionWidth) + maxEncodedLength(page.end - page.start, definitionWidth)), length: 0 };
  let repetitionLevelsByteLength = 0;
  if (leaf.maxRepetitionLevel > 0) repetitionLevelsByteLength = writeRleBitPacked(levels, repetitionLevels, repetitionWidth);
  let definitionLevelsByteLength = 0;
  if (leaf.maxDefinitionLevel > 0) definitionLevelsByteLength = writeRleBitPacked(levels, definitionLevels, definitionWidth);
  const slots = page.end - page.start;
  const valueCount = page.endValue - page.firstValue;
  const rows = repetitionLevels.length > 0 ? countZeros(repetitionLevels) : slots;

  let pageBytes: Uint8Array;
  if (dictionary !== undefined) pageBytes = dictionaryIndexPage(dictionary.indexes.subarray(page.firstValue, page.endValue));
  else if (encoding === "RLE") pageBytes = booleanRlePage(column.values.words.subarray(page.firstValue, page.endValue));
  else pageBytes = plainBytes(physical, column.values, page.firstValue, page.endValue);
  const compressed = options.compressors[options.codec]?.(pageBytes) ?? pageBytes;

  const headerStart = writer.offset;
  writePageHeader(writer, {
    type: "DATA_PAGE_V2",
    uncompressed_page_size: levels.length + pageBytes.length,
    compressed_page_size: levels.length + compressed.length,
    data_page_header_v2: {
      num_values: slots,
      num_nulls: slots - valueCount,
      num_rows: rows,
      encoding,
      definition_levels_byte_length: definitionLevelsByteLength,
      repetition_levels_byte_length: repetitionLevelsByteLength,
      is_compressed: options.codec !== "",
    },
  });
  const headerSize = writer.offset - headerStart;
  writer.appendBytes(levels.bytes.subarray(0, levels.length));
  writer.appendBytes(compressed);
  return headerSize + levels.length + pageBytes.length;
}

function bitWidthOf(maxLevel: number): number {
  return Math.ceil(Math.log2(maxLevel + 1));
}

function countZeros(levels: LevelArray): number {
  let zeros = 0;
  for (let index = 0; index < levels.length; index++) if (levels[index] === 0) zeros++;
  return zeros;
}

function dictionaryIndexPage(indexes: Int32Array): Uint8Array {
  let maxIndex = 0;
  for (let index = 0; index < indexes.length; index++) if ((indexes[index] as number) > maxIndex) maxIndex = indexes[index] as number;
  const bitWidth = Math.ceil(Math.log2(maxIndex + 1));
  const page: ByteSink = { bytes: scratchBytes("page", maxEncodedLength(indexes.length, bitWidth) + 1), length: 0 };
  page.bytes[page.length++] = bitWidth;
  writeRleBitPacked(page, indexes, bitWidth);
  return page.bytes.subarray(0, page.length);
}

function booleanRlePage(bits: Int32Array): Uint8Array {
  const page = byteSink(bits.length, 1, 4);
  page.length = 4;
  const length = writeRleBitPacked(page, bits, 1);
  new DataView(page.bytes.buffer).setUint32(0, length, true);
  return page.bytes.subarray(0, page.length);
}

function writeDictionaryPage(writer: Writer, physical: PhysicalType, values: LeafValues, entries: readonly number[], options: ChunkOptions): number {
  const dictionaryBytes = plainBytesOf(physical, values, entries);
  const compressed = options.compressors[options.codec]?.(dictionaryBytes) ?? dictionaryBytes;
  const headerStart = writer.offset;
  writePageHeader(writer, {
    type: "DICTIONARY_PAGE",
    uncompressed_page_size: dictionaryBytes.length,
    compressed_page_size: compressed.length,
    dictionary_page_header: { num_values: entries.length, encoding: "PLAIN" },
  });
  const headerSize = writer.offset - headerStart;
  writer.appendBytes(compressed);
  return headerSize + dictionaryBytes.length;
}

/** PLAIN encoding of values [first, end): the typed arrays already hold it, but for booleans, floats and byte arrays. */
function plainBytes(physical: PhysicalType, values: LeafValues, first: number, end: number): Uint8Array {
  switch (values.kind) {
    case "int32":
      return new Uint8Array(values.words.buffer, values.words.byteOffset + first * 4, (end - first) * 4);
    case "int64":
      return new Uint8Array(values.words.buffer, values.words.byteOffset + first * 8, (end - first) * 8);
    case "double":
      return new Uint8Array(values.doubles.buffer, values.doubles.byteOffset + first * 8, (end - first) * 8);
    case "float":
      return new Uint8Array(Float32Array.from(values.doubles.subarray(first, end)).buffer);
    case "boolean":
      return packedBooleans(values.words.subarray(first, end));
    case "bytes":
      if (physical.type === "FIXED_LEN_BYTE_ARRAY") return values.bytes.subarray(values.offsets[first], values.offsets[end]);
      return lengthPrefixed(values, first, end);
  }
}

/** PLAIN encoding of the values at `indexes` (a dictionary's entries). */
function plainBytesOf(physical: PhysicalType, values: LeafValues, indexes: readonly number[]): Uint8Array {
  const gathered = new Uint8Array(indexes.reduce((sum, index) => sum + plainBytes(physical, values, index, index + 1).length, 0));
  let at = 0;
  for (const index of indexes) {
    const bytes = plainBytes(physical, values, index, index + 1);
    gathered.set(bytes, at);
    at += bytes.length;
  }
  return gathered;
}

function lengthPrefixed(values: LeafValues, first: number, end: number): Uint8Array {
  const { bytes, offsets } = values;
  const dataStart = offsets[first] as number;
  const out = scratchBytes("page", (offsets[end] as number) - dataStart + (end - first) * 4);
  let at = 0;
  for (let index = first; index < end; index++) {
    const start = offsets[index] as number;
    const length = (offsets[index + 1] as number) - start;
    out[at] = length & 0xff;
    out[at + 1] = (length >>> 8) & 0xff;
    out[at + 2] = (length >>> 16) & 0xff;
    out[at + 3] = length >>> 24;
    at += 4;
    if (length <= 32) for (let byte = 0; byte < length; byte++) out[at + byte] = bytes[start + byte] as number;
    else out.set(bytes.subarray(start, start + length), at);
    at += length;
  }
  return out;
}

// Page-sized temporaries, kept from one page to the next instead of allocated per page:
// each is consumed (compressed or copied into the file) before its next use. Fewer large
// allocations mean fewer full garbage collections, which external memory triggers.
const scratch = { levels: new Uint8Array(0), page: new Uint8Array(0) };

/** `length` bytes of the scratch buffer `name`, contents undefined. */
function scratchBytes(name: keyof typeof scratch, length: number): Uint8Array {
  if (scratch[name].length < length) scratch[name] = new Uint8Array(Math.max(length, scratch[name].length * 2, 1 << 16));
  return scratch[name].subarray(0, length);
}

function packedBooleans(bits: Int32Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let index = 0; index < bits.length; index++) if (bits[index] === 1) out[index >> 3] = (out[index >> 3] as number) | (1 << (index & 7));
  return out;
}
