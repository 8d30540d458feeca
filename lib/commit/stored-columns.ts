// A Parquet data file → its leaf columns as stored: physical values, definition and
// repetition levels, across all row groups. hyparquet decodes the pages (encodings,
// compression, dictionaries); its row assembly is left aside, because it converts values
// on the way (decimals to floating point, timestamps to Date, maps to objects with string
// keys) and a merge must give back every value exactly. Assembly is data-file-reader.ts's.
import { parquetMetadata, type ColumnChunk, type DecodedArray, type FileMetaData, type SchemaElement, type SchemaTree } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { DEFAULT_PARSERS } from "hyparquet/src/convert.js";
import { decompressPage, readDataPage, readDataPageV2 } from "hyparquet/src/datapage.js";
import { readPlain } from "hyparquet/src/plain.js";
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from "hyparquet/src/schema.js";
import { UnmergeableFileError } from "./unmergeable-file-error.js";

type ColumnDecoder = Parameters<typeof readDataPage>[2];

export interface StoredLeafColumn {
  fieldId: number;
  /** The column's Parquet element: physical type, and the logical type it was written with. */
  element: SchemaElement;
  maxDefinitionLevel: number;
  maxRepetitionLevel: number;
  /** The values of the slots at the maximum definition level, in order. */
  values: unknown[];
  /** One per slot. */
  definitionLevels: number[];
  /** One per slot; empty for a column outside every list and map. */
  repetitionLevels: number[];
}

export interface StoredColumns {
  rowCount: number;
  /** By the Iceberg field id each leaf element carries. */
  columns: Map<number, StoredLeafColumn>;
}

export function readStoredColumns(bytes: Uint8Array): StoredColumns {
  try {
    return readColumns(bytes);
  } catch (error) {
    if (error instanceof UnmergeableFileError) throw error;
    throw new UnmergeableFileError(`not a Parquet file this reader can read: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

function readColumns(bytes: Uint8Array): StoredColumns {
  const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const columns = new Map<number, StoredLeafColumn>();
  for (const rowGroup of metadata.row_groups) {
    for (const chunk of rowGroup.columns) appendChunk(columns, metadata, bytes, chunk);
  }
  return { rowCount: Number(metadata.num_rows), columns };
}

function appendChunk(columns: Map<number, StoredLeafColumn>, metadata: FileMetaData, bytes: Uint8Array, chunk: ColumnChunk): void {
  const meta = chunk.meta_data;
  if (meta === undefined) throw new UnmergeableFileError("a column chunk has no metadata");
  const schemaPath = getSchemaPath(metadata.schema, meta.path_in_schema);
  const element = schemaPath[schemaPath.length - 1]?.element;
  if (element?.field_id === undefined) throw new UnmergeableFileError(`column ${meta.path_in_schema.join(".")} carries no field id`);
  const column = columns.get(element.field_id) ?? newColumn(element, schemaPath);
  columns.set(element.field_id, column);
  const decoder: ColumnDecoder = { pathInSchema: meta.path_in_schema, type: meta.type, element, schemaPath, codec: meta.codec, parsers: DEFAULT_PARSERS, utf8: false };
  const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset + start, end - start), offset: 0 };
  let dictionary: DecodedArray | undefined;
  while (reader.offset < reader.view.byteLength) {
    const header = parquetHeader(reader);
    const pageBytes = bytes.subarray(start + reader.offset, start + reader.offset + header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === "DICTIONARY_PAGE") {
      const page = decompressPage(pageBytes, header.uncompressed_page_size, meta.codec, undefined);
      dictionary = readPlain({ view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }, meta.type, header.dictionary_page_header?.num_values ?? 0, element.type_length);
    } else if (header.type === "DATA_PAGE" && header.data_page_header !== undefined) {
      const page = readDataPage(decompressPage(pageBytes, header.uncompressed_page_size, meta.codec, undefined), header.data_page_header, decoder);
      appendPage(column, page, header.data_page_header.num_values, header.data_page_header.encoding, dictionary);
    } else if (header.type === "DATA_PAGE_V2" && header.data_page_header_v2 !== undefined) {
      const page = readDataPageV2(pageBytes, header, decoder);
      appendPage(column, page, header.data_page_header_v2.num_values, header.data_page_header_v2.encoding, dictionary);
    }
  }
}

function newColumn(element: SchemaElement, schemaPath: SchemaTree[]): StoredLeafColumn {
  return {
    fieldId: element.field_id ?? 0,
    element,
    maxDefinitionLevel: getMaxDefinitionLevel(schemaPath),
    maxRepetitionLevel: getMaxRepetitionLevel(schemaPath),
    values: [],
    definitionLevels: [],
    repetitionLevels: [],
  };
}

function appendPage(column: StoredLeafColumn, page: ReturnType<typeof readDataPage>, slots: number, encoding: string, dictionary: DecodedArray | undefined): void {
  const { dataPage } = page;
  if (encoding.endsWith("_DICTIONARY")) {
    if (dictionary === undefined) throw new UnmergeableFileError(`column ${column.fieldId} has a dictionary-encoded page but no dictionary`);
    for (let index = 0; index < dataPage.length; index++) column.values.push(dictionary[Number(dataPage[index])]);
  } else {
    for (let index = 0; index < dataPage.length; index++) column.values.push(dataPage[index]);
  }
  // hyparquet leaves the levels out when every slot is at the maximum (or the maximum is 0).
  const definitionLevels = page.definitionLevels ?? [];
  for (let index = 0; index < slots; index++) column.definitionLevels.push(definitionLevels.length === 0 ? column.maxDefinitionLevel : (definitionLevels[index] ?? 0));
  if (column.maxRepetitionLevel > 0) for (let index = 0; index < slots; index++) column.repetitionLevels.push(page.repetitionLevels[index] ?? 0);
}
