import { describe, expect, it } from "vitest";
import type { StructType } from "../../../lib/iceberg/types.js";
import { writeDataFile, writeTableColumns } from "../../../lib/parquet/data-file-writer.js";
import { parquetLayout } from "../../../lib/parquet/parquet-schema.js";
import { appendRecord, emptyTableColumns } from "../../../lib/parquet/table-columns.js";
import { createColumnarValueDecoder } from "../../../lib/schema/columnar-decoder.js";
import { evolveSchemaState } from "../../../lib/schema/schema-state.js";
import type { TableRow } from "../../../lib/schema/table-row.js";
import { createValueDecoder } from "../../../lib/schema/value-decoder.js";
import { encodeConfluentFrame } from "../../../lib/schema/wire-format.js";
import { compileMessage } from "./compile-fixture.js";

const proto = `syntax = "proto3"; package columnar;
  message Line { string sku = 1; int32 quantity = 2; }
  message Order {
    string id = 1; int64 cents = 2; optional double rate = 3; Line first = 4; repeated Line lines = 5;
    repeated int64 counts = 6; map<string, Line> by_sku = 7; map<int32, string> names = 8;
    oneof payment { string card = 9; string iban = 10; }
  }`;
const order = compileMessage(proto, "Order");
const { schema } = evolveSchemaState(undefined, order).state;
const valStruct = schema.fields.find((field) => field.name === "val")?.type as StructType;
const layout = parquetLayout(schema);
const encoder = new TextEncoder();

function frame(object: Record<string, unknown>): Uint8Array {
  return encodeConfluentFrame(3, [0], order.encode(order.fromObject(object)).finish());
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

/** Both paths over the same values: the row decoder + writeDataFile, and the columnar one + writeTableColumns. */
function bothWays(values: (Uint8Array | null)[]): { rows: Uint8Array; columns: Uint8Array; rowCount: number; failures: string[] } {
  const decodeRow = createValueDecoder({ messageType: order, valStruct });
  const decodeColumns = createColumnarValueDecoder({ messageType: order, valStruct }, layout);
  const rows: TableRow[] = [];
  const table = emptyTableColumns(schema, 1, layout);
  const failures: string[] = [];
  values.forEach((value, index) => {
    const parts = { key: encoder.encode(`k${index}`), headers: [{ key: "h", value: null }], timestamp: BigInt(index) * 1000n };
    const decoded = value === null ? ({ ok: true, value: null } as const) : decodeRow(value);
    if (decoded.ok) rows.push({ key: { __raw__: parts.key }, val: decoded.value, headers: parts.headers, timestamp: parts.timestamp });
    const appended = appendRecord(table, value, parts, decodeColumns);
    if (!appended.ok) failures.push(appended.reason);
  });
  return { rows: writeDataFile(schema, rows).bytes, columns: writeTableColumns(table).bytes, rowCount: table.rowCount, failures };
}

const full = { id: "o-1", cents: "1999", rate: 0.5, first: { sku: "a", quantity: 2 }, lines: [{ sku: "b" }, { quantity: 3 }], counts: [1, 2, 3], by_sku: { x: { sku: "y" }, z: {} }, names: { 1: "one" }, card: "4111" };

describe("decoding values straight into columns", () => {
  it("gives the bytes the row decoder and shredding give", () => {
    const result = bothWays([frame(full), frame({}), frame({ id: "only" }), null, frame({ iban: "NL00", lines: [{}], names: { 0: "" } })]);
    expect(result.rowCount).toBe(5);
    expect(Buffer.from(result.columns).equals(Buffer.from(result.rows))).toBe(true);
  });

  it("leaves fields that merge or repeat, oneofs set twice and repeated map keys to the row decoder", () => {
    const payload = (object: Record<string, unknown>): Uint8Array => order.encode(order.fromObject(object)).finish();
    const values = [
      concat(frame({ id: "a", first: { sku: "s" } }), payload({ id: "b", first: { quantity: 4 } })),
      concat(frame({ card: "c" }), payload({ iban: "i" })),
      concat(frame({ names: { 1: "x", 2: "y" } }), payload({ names: { 1: "z" } })),
      concat(frame({ lines: [{ sku: "p" }] }), payload({ counts: [7], lines: [{ sku: "q" }] })),
    ];
    const result = bothWays(values);
    expect(result.failures).toEqual([]);
    expect(Buffer.from(result.columns).equals(Buffer.from(result.rows))).toBe(true);
  });

  it("skips an invalid record without a trace in the columns, with the row decoder's reason", () => {
    const valid = frame(full);
    const truncated = valid.subarray(0, valid.length - 4);
    const result = bothWays([valid, truncated, encoder.encode("not a frame"), valid]);
    expect(result.rowCount).toBe(2);
    expect(result.failures).toEqual([createValueDecoder({ messageType: order, valStruct })(truncated), createValueDecoder({ messageType: order, valStruct })(encoder.encode("not a frame"))].map((decoded) => (decoded.ok ? "" : decoded.reason)));
    expect(Buffer.from(result.columns).equals(Buffer.from(result.rows))).toBe(true);
  });
});
