import { describe, expect, it } from "vitest";
import { readDataFileRows } from "../../../lib/commit/data-file-reader.js";
import { UnmergeableFileError } from "../../../lib/commit/unmergeable-file-error.js";
import type { IcebergSchema } from "../../../lib/iceberg/types.js";
import { writeDataFile } from "../../../lib/parquet/data-file-writer.js";
import type { TableRow } from "../../../lib/schema/table-row.js";
import { sampleRows, sampleSchema } from "../parquet/sample-table.js";
import { afterRoundTrip, edgeCaseRows, edgeCaseSchema, everythingTable, exactForm } from "./merge-fixtures.js";
import { heavyTestTimeoutMs } from "../../heavy-test-timeout.js";

function expectExactRoundTrip(schema: IcebergSchema, rows: TableRow[], options: Parameters<typeof writeDataFile>[2] = {}): void {
  const read = readDataFileRows(schema, writeDataFile(schema, rows, options).bytes);
  const expected = rows.map((row) => afterRoundTrip(schema, row));
  expect(read).toStrictEqual(expected);
  expect(read.map(exactForm)).toEqual(expected.map(exactForm));
}

describe("reading a data file back into table rows", () => {
  it("gives back the sample table's rows exactly, its empty struct as null", () => {
    const rows = sampleRows();
    expectExactRoundTrip(sampleSchema, rows);
    expect(afterRoundTrip(sampleSchema, rows[0] as TableRow).val?.["nothing"]).toBeNull();
  });

  it("gives back every type of the Protobuf mapping as the record decoder produced it", () => {
    const { schema, rows } = everythingTable();
    expectExactRoundTrip(schema, rows);
  });

  it("keeps decimal(20, 0) and long extremes, microseconds, 0xff bytes, bigint map keys and nulls at every level", () => {
    const read = readDataFileRows(edgeCaseSchema, writeDataFile(edgeCaseSchema, edgeCaseRows()).bytes);
    const val = read[0]?.val;
    expect(val?.["amount"]).toBe(18_446_744_073_709_551_615n);
    expect(val?.["delta"]).toBe(-9_223_372_036_854_775_808n);
    expect([...(val?.["by_id"] as Map<unknown, unknown>).keys()]).toEqual([9_007_199_254_740_993n, -5n, 0n]);
    expect(read[1]?.timestamp).toBe(1_767_225_600_000_001n);
    expect(read[0]?.key.__raw__).toEqual(Uint8Array.of(0xff, 0xfe, 0x00));
    expectExactRoundTrip(edgeCaseSchema, edgeCaseRows());
  });

  it("reads files of many row groups and pages, dictionary-encoded or not, compressed or not", { timeout: heavyTestTimeoutMs }, () => {
    const rows = Array.from({ length: 30_000 }, (_, index): TableRow => ({
      key: { __raw__: index % 7 === 0 ? null : Uint8Array.of(index % 256, 0xff) },
      val: { name: `customer ${index % 13}`, amount: BigInt(index) - 15_000n, ratio: index / 3, tags: index % 5 === 0 ? [] : [`t${index}`, null], attributes: new Map([[`k${index % 3}`, `v${index}`]]), nothing: {}, price: BigInt(index) * 1_000_000_000_000n, flag: index % 2 === 0 },
      headers: [],
      timestamp: 1_767_225_600_000_000n + BigInt(index),
    }));
    expectExactRoundTrip(sampleSchema, rows, { rowGroupRows: 7_000 });
    expectExactRoundTrip(sampleSchema, rows.slice(0, 100), { codec: "UNCOMPRESSED", rowGroupRows: 33 });
  });

  it("reads an older file into a newer schema: new columns null, int → long and float → double promoted", () => {
    const older: IcebergSchema = {
      type: "struct",
      "schema-id": 0,
      fields: [
        { id: 2, name: "val", required: false, type: { type: "struct", fields: [{ id: 5, name: "quantity", required: false, type: "int" }, { id: 6, name: "discount", required: false, type: "float" }] } },
        { id: 4, name: "timestamp", required: false, type: "timestamptz" },
      ],
    };
    const newer: IcebergSchema = {
      type: "struct",
      "schema-id": 1,
      fields: [
        { id: 2, name: "val", required: false, type: { type: "struct", fields: [{ id: 5, name: "quantity", required: false, type: "long" }, { id: 6, name: "discount", required: false, type: "double" }, { id: 7, name: "coupon", required: false, type: "string" }] } },
        { id: 4, name: "timestamp", required: false, type: "timestamptz" },
        { id: 8, name: "added", required: false, type: { type: "list", "element-id": 9, "element-required": false, element: "string" } },
      ],
    };
    const bytes = writeDataFile(older, [{ val: { quantity: -3, discount: 0.5 }, timestamp: 7n } as unknown as TableRow]).bytes;
    expect(readDataFileRows(newer, bytes)).toStrictEqual([{ val: { quantity: -3n, discount: 0.5, coupon: null }, timestamp: 7n, added: null }]);
  });

  it("refuses a file with a column the schema lacks, or of a type it cannot be read as", () => {
    const bytes = writeDataFile(sampleSchema, sampleRows()).bytes;
    const withoutTimestamp: IcebergSchema = { ...sampleSchema, fields: sampleSchema.fields.filter((field) => field.name !== "timestamp") };
    expect(() => readDataFileRows(withoutTimestamp, bytes)).toThrow(UnmergeableFileError);
    const timestampAsString: IcebergSchema = { ...sampleSchema, fields: sampleSchema.fields.map((field) => (field.name === "timestamp" ? { ...field, type: "string" } : field)) };
    expect(() => readDataFileRows(timestampAsString, bytes)).toThrow(/cannot be read as string/);
  });
});
