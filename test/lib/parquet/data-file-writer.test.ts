import { describe, expect, it } from "vitest";
import { ExportError } from "../../../lib/core/errors.js";
import { writeDataFile } from "../../../lib/parquet/data-file-writer.js";
import { sampleRows, sampleSchema } from "./sample-table.js";

const utf8 = new TextEncoder();

function littleEndian64(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, value, true);
  return bytes;
}

function littleEndianDouble(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, true);
  return bytes;
}

const leafIds = [5, 6, 7, 8, 14, 15, 16, 12, 13, 18, 19, 4];

describe("writing a data file", () => {
  const file = writeDataFile(sampleSchema, sampleRows());

  it("is a Parquet file holding every row", () => {
    const magic = new TextDecoder().decode(file.bytes.subarray(0, 4));
    expect([magic, new TextDecoder().decode(file.bytes.subarray(-4))]).toEqual(["PAR1", "PAR1"]);
    expect(file.recordCount).toBe(4);
  });

  it("counts slots, null slots included, and nulls for every leaf column", () => {
    expect(file.metrics.valueCounts).toEqual({ 4: 4, 5: 4, 6: 4, 7: 4, 8: 4, 12: 4, 13: 4, 14: 6, 15: 5, 16: 5, 18: 5, 19: 5 });
    expect(file.metrics.nullValueCounts).toEqual({ 4: 0, 5: 1, 6: 2, 7: 1, 8: 1, 12: 1, 13: 4, 14: 3, 15: 2, 16: 3, 18: 3, 19: 3 });
  });

  it("counts NaN in float and double columns only, and never makes it a bound", () => {
    expect(file.metrics.nanValueCounts).toEqual({ 8: 1 });
    expect(file.metrics.lowerBounds[8]).toEqual(littleEndianDouble(-1.5));
    expect(file.metrics.upperBounds[8]).toEqual(littleEndianDouble(0.25));
  });

  it("bounds columns reached through structs in the spec's binary form", () => {
    expect(file.metrics.lowerBounds[7]).toEqual(littleEndian64(-5n));
    expect(file.metrics.upperBounds[7]).toEqual(littleEndian64(42n));
    expect(file.metrics.lowerBounds[12]).toEqual(Uint8Array.of(0x00));
    expect(file.metrics.upperBounds[12]).toEqual(Uint8Array.of(0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
    expect(file.metrics.lowerBounds[4]).toEqual(littleEndian64(1_767_225_599_999_999n));
    expect(file.metrics.upperBounds[4]).toEqual(littleEndian64(1_767_225_600_000_002n));
  });

  it("truncates string and binary bounds to 16, and drops an upper bound that cannot be incremented", () => {
    expect(file.metrics.lowerBounds[6]).toEqual(utf8.encode("a name longer th"));
    expect(file.metrics.upperBounds[6]).toEqual(utf8.encode("Ärger"));
    expect(file.metrics.lowerBounds[5]).toEqual(Uint8Array.of(0x00, 0x10));
    expect(file.metrics.upperBounds[5]).toBeUndefined();
  });

  it("keeps no bounds inside lists and maps, nor for a column of nulls", () => {
    expect(Object.keys(file.metrics.lowerBounds).map(Number)).toEqual([4, 5, 6, 7, 8, 12]);
    expect(Object.keys(file.metrics.upperBounds).map(Number)).toEqual([4, 6, 7, 8, 12]);
  });

  it("gives the compressed size of every leaf column and of nothing else", () => {
    expect(Object.keys(file.metrics.columnSizes).map(Number).sort((left, right) => left - right)).toEqual([...leafIds].sort((left, right) => left - right));
    for (const size of Object.values(file.metrics.columnSizes)) expect(size).toBeGreaterThan(0);
  });

  it("honours the truncation length", () => {
    const metrics = writeDataFile(sampleSchema, sampleRows(), { metricsTruncateLength: 4 }).metrics;
    expect(metrics.lowerBounds[6]).toEqual(utf8.encode("a na"));
    expect(metrics.upperBounds[6]).toEqual(utf8.encode("Ärgf"));
  });
});

describe("determinism", () => {
  it("gives the same bytes for the same schema and rows", () => {
    const first = writeDataFile(sampleSchema, sampleRows());
    const second = writeDataFile(sampleSchema, sampleRows());
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(second.metrics).toEqual(first.metrics);
  });

  it("gives different bytes for different rows", () => {
    const rows = sampleRows();
    rows[1] = { ...(rows[1] as (typeof rows)[number]), timestamp: 1n };
    expect(Buffer.from(writeDataFile(sampleSchema, rows).bytes).equals(Buffer.from(writeDataFile(sampleSchema, sampleRows()).bytes))).toBe(false);
  });
});

describe("row groups", () => {
  it("merges the metrics of several row groups into the file's", () => {
    const whole = writeDataFile(sampleSchema, sampleRows());
    const split = writeDataFile(sampleSchema, sampleRows(), { rowGroupRows: 1 });
    expect({ ...split.metrics, columnSizes: {} }).toEqual({ ...whole.metrics, columnSizes: {} });
    expect(split.recordCount).toBe(4);
  });

  it("writes uncompressed when asked", () => {
    expect(writeDataFile(sampleSchema, sampleRows(), { codec: "UNCOMPRESSED" }).metrics.valueCounts).toEqual(writeDataFile(sampleSchema, sampleRows()).metrics.valueCounts);
  });

  it("refuses a row group or truncation length below one", () => {
    expect(() => writeDataFile(sampleSchema, sampleRows(), { rowGroupRows: 0 })).toThrow(ExportError);
    expect(() => writeDataFile(sampleSchema, sampleRows(), { metricsTruncateLength: 1.5 })).toThrow(ExportError);
  });

  it("names the column when a value is not of its column's form", () => {
    const rows = sampleRows();
    const first = rows[0] as (typeof rows)[number];
    rows[0] = { ...first, val: { ...first.val, amount: 5 } };
    expect(() => writeDataFile(sampleSchema, rows)).toThrow(expect.objectContaining({ code: "INTERNAL", message: expect.stringContaining("val.amount") as string }));
  });

  it("writes a file of no rows", () => {
    const file = writeDataFile(sampleSchema, []);
    expect(file.recordCount).toBe(0);
    expect(file.metrics.valueCounts[6]).toBe(0);
    expect(file.metrics.lowerBounds).toEqual({});
  });
});
