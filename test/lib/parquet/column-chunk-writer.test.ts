import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { writeColumn } from "hyparquet-writer/src/column.js";
import { snappyCompressor } from "hysnappy";
import { describe, expect, it } from "vitest";
import { createdByString } from "../../../lib/core/build-info.js";
import type { IcebergSchema, IcebergType, NestedField } from "../../../lib/iceberg/types.js";
import { shredRows, slotValues } from "../../../lib/parquet/column-shredding.js";
import { writeDataFile } from "../../../lib/parquet/data-file-writer.js";
import { parquetLayout } from "../../../lib/parquet/parquet-schema.js";
import type { TableRow } from "../../../lib/schema/table-row.js";
import { sampleRows, sampleSchema } from "./sample-table.js";
import { heavyTestTimeoutMs } from "../../heavy-test-timeout.js";

type Codec = "SNAPPY" | "UNCOMPRESSED";
const compressors = { SNAPPY: snappyCompressor() };

/** The file hyparquet-writer's own column writer makes of the same rows: JS values per slot, as the writer took them before typed columns. */
function hyparquetWriterFile(schema: IcebergSchema, rows: readonly TableRow[], codec: Codec): Uint8Array {
  const layout = parquetLayout(schema);
  const columns = shredRows(layout, rows, 0, rows.length);
  const writer = new ByteWriter();
  const file = new ParquetWriter({ writer, schema: layout.elements, codec, compressors, createdBy: createdByString() });
  if (rows.length > 0) {
    const chunks = layout.leaves.map((leaf) => {
      const column = columns[leaf.index];
      if (column === undefined) throw new Error(`no column ${leaf.path.join(".")}`);
      const result = writeColumn({
        writer: file.writer,
        column: {
          columnName: leaf.path.join("."),
          element: leaf.schemaPath[leaf.schemaPath.length - 1] as Parameters<typeof writeColumn>[0]["column"]["element"],
          schemaPath: leaf.schemaPath,
          codec,
          compressors,
          stats: true,
          pageSize: 1 << 20,
          columnIndex: false,
          offsetIndex: true,
        },
        pageData: { values: slotValues(leaf, column), definitionLevels: [...column.definitionLevels], repetitionLevels: [...column.repetitionLevels], maxDefinitionLevel: leaf.maxDefinitionLevel },
      });
      file.pendingIndexes.push(result);
      return result.chunk;
    });
    file.row_groups.push({
      columns: chunks,
      total_byte_size: chunks.reduce((sum, chunk) => sum + (chunk.meta_data?.total_uncompressed_size ?? 0n), 0n),
      num_rows: BigInt(rows.length),
      total_compressed_size: BigInt(file.writer.offset - 4),
    });
    file.num_rows = BigInt(rows.length);
  }
  void file.finish();
  return new Uint8Array(writer.getBuffer());
}

function field(id: number, name: string, type: IcebergType): NestedField {
  return { id, name, required: false, type };
}

// Every primitive type, dictionary-friendly and dictionary-hostile columns, nulls, NaN and
// -0, strings of one to four UTF-8 bytes per code point, and a binary column large enough
// for several 1 MiB pages.
const wideSchema: IcebergSchema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    field(1, "flag", "boolean"),
    field(2, "small", "int"),
    field(3, "day", "date"),
    field(4, "count", "long"),
    field(5, "wide", "long"),
    field(6, "ratio", "float"),
    field(7, "measure", "double"),
    field(8, "at", "timestamptz"),
    field(9, "local", "timestamp"),
    field(10, "clock", "time"),
    field(11, "city", "string"),
    field(12, "note", "string"),
    field(13, "id", "uuid"),
    field(14, "code", "fixed[3]"),
    field(15, "blob", "binary"),
    field(16, "price", "decimal(9, 2)"),
    field(17, "big", "decimal(38, 0)"),
    field(18, "tags", { type: "list", "element-id": 19, "element-required": false, element: "string" }),
    field(20, "scores", { type: "map", "key-id": 21, key: "string", "value-id": 22, "value-required": false, value: "long" }),
    field(23, "lines", { type: "list", "element-id": 24, "element-required": false, element: { type: "struct", fields: [field(25, "sku", "string"), field(26, "qty", "int")] } }),
  ],
};

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const cities = ["Oslo", "München", "São Paulo", "Kraków", "東京", "🦊 den", "Zürich", "a"];

function wideRows(count: number, seed: number): TableRow[] {
  const random = seeded(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const maybe = <T>(value: T, nullShare = 0.1): T | null => (random() < nullShare ? null : value);
  const bytes = (length: number): Uint8Array => Uint8Array.from({ length }, () => Math.floor(random() * 256));
  const rows: TableRow[] = [];
  for (let index = 0; index < count; index++) {
    const val: Record<string, unknown> = {
      flag: maybe(random() < 0.5),
      small: maybe(Math.floor(random() * 2 ** 32) - 2 ** 31),
      day: maybe(19_000 + Math.floor(random() * 8)),
      count: maybe(BigInt(Math.floor(random() * 6)) - 2n),
      wide: maybe(BigInt.asIntN(64, (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32)))),
      ratio: maybe(pick([0, -0, Number.NaN, 1.5, Math.fround(random())])),
      measure: maybe(pick([0, -0, Number.NaN, -2.25, random() * 1e6, Number.POSITIVE_INFINITY])),
      at: maybe(1_767_225_600_000_000n + BigInt(index) * 1_000n),
      local: maybe(BigInt(Math.floor(random() * 4)) * 1_000_000n),
      clock: maybe(BigInt(Math.floor(random() * 86_400_000_000))),
      city: maybe(pick(cities), 0.3),
      note: maybe(`${pick(cities)}-${index}-${Math.floor(random() * 1e9).toString(36)}`),
      id: maybe(bytes(16)),
      code: maybe(pick([Uint8Array.of(1, 2, 3), Uint8Array.of(255, 0, 7)])),
      blob: maybe(bytes(Math.floor(random() * 600))),
      price: maybe(BigInt(Math.floor(random() * 2_000_000)) - 1_000_000n),
      big: maybe(pick([10n ** 37n, -(10n ** 37n), 0n, BigInt(index)])),
      tags: maybe(Array.from({ length: Math.floor(random() * 4) }, () => maybe(pick(cities)))),
      scores: maybe(new Map(Array.from({ length: Math.floor(random() * 3) }, (_, entry) => [`k${entry}`, maybe(BigInt(entry))]))),
      lines: maybe(Array.from({ length: Math.floor(random() * 3) }, () => maybe({ sku: maybe(pick(cities)), qty: maybe(Math.floor(random() * 5)) }))),
    };
    rows.push({ key: { __raw__: null }, val, headers: [], timestamp: null });
  }
  return rows;
}

/** The wide schema's fields are the table's top-level columns here, not a `val` struct. */
function wideTableRows(count: number, seed: number): TableRow[] {
  return wideRows(count, seed).map((row) => row.val as unknown as TableRow);
}

describe("column chunks from typed columns", () => {
  it("are the bytes hyparquet-writer's column writer gives for the sample table", () => {
    for (const codec of ["SNAPPY", "UNCOMPRESSED"] as const) {
      const ours = writeDataFile(sampleSchema, sampleRows(), { codec }).bytes;
      expect(Buffer.from(ours).equals(Buffer.from(hyparquetWriterFile(sampleSchema, sampleRows(), codec)))).toBe(true);
    }
  });

  it("are the bytes hyparquet-writer's column writer gives for every type, dictionaries or not, over several pages", { timeout: heavyTestTimeoutMs }, () => {
    const rows = wideTableRows(5_000, 7);
    const ours = writeDataFile(wideSchema, rows).bytes;
    const theirs = hyparquetWriterFile(wideSchema, rows, "SNAPPY");
    // The binary column alone (random bytes, incompressible) is past one 1 MiB page.
    expect(ours.length).toBeGreaterThan(1.5 * 2 ** 20);
    expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
  });

  it("are the bytes hyparquet-writer's column writer gives for a few rows and for none", () => {
    for (const count of [0, 1, 17, 300]) {
      const rows = wideTableRows(count, count + 1);
      expect(Buffer.from(writeDataFile(wideSchema, rows).bytes).equals(Buffer.from(hyparquetWriterFile(wideSchema, rows, "SNAPPY")))).toBe(true);
    }
  });

  it("size strings by UTF-16 units for the dictionary decision, as hyparquet-writer does", () => {
    // 100 values, 36 distinct one-character strings of three UTF-8 bytes: counted in UTF-16
    // units the dictionary does not halve the plain size (2 × (36 × 5 + 75) > 100 × 5);
    // counted in bytes it would (2 × (36 × 7 + 75) < 100 × 7).
    const schema: IcebergSchema = { type: "struct", "schema-id": 0, fields: [field(1, "glyph", "string")] };
    const rows = Array.from({ length: 100 }, (_, index) => ({ glyph: String.fromCharCode(0x6771 + (index % 36)) }) as unknown as TableRow);
    expect(Buffer.from(writeDataFile(schema, rows).bytes).equals(Buffer.from(hyparquetWriterFile(schema, rows, "SNAPPY")))).toBe(true);
  });

  it("start a new page once a page reaches 1 MiB exactly, as hyparquet-writer does", { timeout: heavyTestTimeoutMs }, () => {
    // 8-byte distinct values (no dictionary): the 131,072nd value fills the first page to 2^20 bytes.
    const schema: IcebergSchema = { type: "struct", "schema-id": 0, fields: [field(1, "sequence", "long")] };
    const rows = Array.from({ length: 131_080 }, (_, index) => ({ sequence: BigInt(index) * 7919n }) as unknown as TableRow);
    expect(Buffer.from(writeDataFile(schema, rows, { codec: "UNCOMPRESSED" }).bytes).equals(Buffer.from(hyparquetWriterFile(schema, rows, "UNCOMPRESSED")))).toBe(true);
  });

  it("are the same bytes when written into column buffers reused from an earlier, larger file", { timeout: heavyTestTimeoutMs }, () => {
    // writeDataFile hands its columns' buffers back to the pool; the next file's columns take them, old bytes and all.
    writeDataFile(wideSchema, wideTableRows(6_000, 21));
    const rows = wideTableRows(2_500, 22);
    expect(Buffer.from(writeDataFile(wideSchema, rows).bytes).equals(Buffer.from(hyparquetWriterFile(wideSchema, rows, "SNAPPY")))).toBe(true);
  });
});
