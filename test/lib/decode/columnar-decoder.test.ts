import { describe, expect, it } from "vitest";
import type { StructType } from "../../../lib/iceberg/types.js";
import { writeDataFile, writeTableColumns } from "../../../lib/parquet/data-file-writer.js";
import { parquetLayout } from "../../../lib/parquet/parquet-schema.js";
import { appendRecord, emptyTableColumns } from "../../../lib/parquet/table-columns.js";
import { createColumnarValueDecoder } from "../../../lib/decode/columnar-decoder.js";
import { evolveSchemaState } from "../../../lib/schema/schema-state.js";
import type { TableRow } from "../../../lib/schema/table-row.js";
import { createValueDecoder } from "../../../lib/decode/value-decoder.js";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { compileFixtureMessage, compileMessage } from "../schema/compile-fixture.js";

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
    // Headers of every shape: none, a null value, a null key, several.
    const headerSets = [[], [{ key: "h", value: null }], [{ key: null, value: encoder.encode("v") }, { key: "b", value: new Uint8Array(0) }]];
    const parts = { key: index === 1 ? null : encoder.encode(`k${index}`), headers: headerSets[index % 3] ?? [], timestamp: index === 2 ? null : BigInt(index) * 1000n };
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

const scalarProto = `syntax = "proto3"; package columnar;
  import "google/protobuf/timestamp.proto";
  import "google/protobuf/duration.proto";
  enum Kind { KIND_UNSPECIFIED = 0; SMALL = 1; LARGE = 2; }
  message Scalars {
    string text = 1; bytes blob = 2; int64 signed = 3; sint64 zigzag = 4; sfixed64 fixed = 5; int32 narrow = 6;
    uint32 unsigned = 7; bool flag = 8; Kind kind = 9; google.protobuf.Timestamp at = 10; google.protobuf.Duration took = 11;
    double measure = 12; repeated sint64 zigzags = 13; map<int64, bool> flags = 14; map<bool, string> labels = 15;
  }`;
const scalars = compileMessage(scalarProto, "Scalars");
const scalarSchema = evolveSchemaState(undefined, scalars).state.schema;
const scalarVal = scalarSchema.fields.find((field) => field.name === "val")?.type as StructType;
const scalarLayout = parquetLayout(scalarSchema);

/** The row decoder + writeDataFile and the columnar decoder + writeTableColumns over the same payloads (unframed). */
function bothWaysRaw(payloads: Uint8Array[]): { rows: Uint8Array; columns: Uint8Array; rowCount: number } {
  const options = { messageType: scalars, valStruct: scalarVal, wireFormat: "raw" as const };
  const decodeRow = createValueDecoder(options);
  const decodeColumns = createColumnarValueDecoder(options, scalarLayout);
  const rows: TableRow[] = [];
  const table = emptyTableColumns(scalarSchema, 1, scalarLayout);
  payloads.forEach((payload, index) => {
    const parts = { key: null, headers: [], timestamp: BigInt(index) };
    const decoded = decodeRow(payload);
    if (decoded.ok) rows.push({ key: { __raw__: null }, val: decoded.value, headers: [], timestamp: parts.timestamp });
    appendRecord(table, payload, parts, decodeColumns);
  });
  return { rows: writeDataFile(scalarSchema, rows).bytes, columns: writeTableColumns(table).bytes, rowCount: table.rowCount };
}

describe("decoding scalar fields straight into typed columns", () => {
  const encode = (object: Record<string, unknown>): Uint8Array => scalars.encode(scalars.fromObject(object)).finish();

  it("gives the bytes the row decoder gives for every integer form, strings, enums and times", () => {
    const payloads = [
      encode({
        text: "plain",
        blob: Uint8Array.of(0, 255),
        signed: "-1",
        zigzag: "-9223372036854775808",
        fixed: "-5",
        narrow: -7,
        unsigned: 4_000_000_000,
        flag: true,
        kind: 2,
        at: { seconds: 1_767_225_600, nanos: 999_999_999 },
        took: { seconds: -3, nanos: -500_500 },
        measure: -0,
        zigzags: ["1", "-2", "9223372036854775807"],
        flags: { "-4": true, "5": false },
        labels: { true: "yes" },
      }),
      encode({ text: "München → 東京 🦊", signed: "9223372036854775807", zigzag: "123", kind: 7, at: { seconds: -62_135_596_800 }, took: { seconds: 99_999_999_999 } }),
      encode({ at: { seconds: 1, nanos: 1500 } }),
      encode({}),
    ];
    const result = bothWaysRaw(payloads);
    expect(result.rowCount).toBe(4);
    expect(Buffer.from(result.columns).equals(Buffer.from(result.rows))).toBe(true);
  });

  it("drops a leading byte order mark as the row decoder does, and refuses a string that is not UTF-8", () => {
    const text = (bytes: number[]): Uint8Array => Uint8Array.of(0x0a, bytes.length, ...bytes);
    const payloads = [text([0xef, 0xbb, 0xbf, 0x41, 0xc3, 0xa9]), text([0x41, 0xef, 0xbb, 0xbf]), text([0xc3, 0x28]), text([0xed, 0xa0, 0x80]), text([0x41])];
    const result = bothWaysRaw(payloads);
    expect(result.rowCount).toBe(3);
    expect(Buffer.from(result.columns).equals(Buffer.from(result.rows))).toBe(true);
  });
});

describe("decoding empty messages and recursion straight into columns (SPEC.md §3)", () => {
  const event = compileFixtureMessage("empty/event.proto", "Event");
  const everything = {
    id: "e-1",
    ping: {},
    pings: [{}, {}],
    flags: { a: {}, b: {} },
    marker: {},
    markers: [{}],
    markers_by_name: { m: {} },
    only_empty: { nothing: {} },
    tree: { label: "root", left: { label: "l" }, children: [{ label: "c" }], children_by_name: { x: { label: "x" } } },
    department: { name: "R&D", head: { name: "Ada", department: { name: "again" }, past_departments: [{ name: "Ops" }] } },
    count: 7,
    ok: {},
  };

  /** The row decoder + writeDataFile, and the columnar decoder + writeTableColumns, over the same raw payloads. */
  function bothWaysWith(valStructOf: StructType, tableSchema: typeof schema, payloads: Uint8Array[]): { rows: Uint8Array; columns: Uint8Array; decodedRows: TableRow[] } {
    const options = { messageType: event, valStruct: valStructOf, wireFormat: "raw" as const };
    const tableLayout = parquetLayout(tableSchema);
    const decodeRow = createValueDecoder(options);
    const decodeColumns = createColumnarValueDecoder(options, tableLayout);
    const table = emptyTableColumns(tableSchema, 1, tableLayout);
    const rows: TableRow[] = [];
    for (const payload of payloads) {
      const parts = { key: null, headers: [], timestamp: 1000n };
      const decoded = decodeRow(payload);
      if (!decoded.ok) throw new Error(decoded.reason);
      rows.push({ key: { __raw__: null }, val: decoded.value, headers: [], timestamp: 1000n });
      const appended = appendRecord(table, payload, parts, decodeColumns);
      if (!appended.ok) throw new Error(appended.reason);
    }
    return { rows: writeDataFile(tableSchema, rows).bytes, columns: writeTableColumns(table).bytes, decodedRows: rows };
  }

  const encoded = (object: Record<string, unknown>) => event.encode(event.fromObject(object)).finish();
  // The last two: a oneof's Empty member after and before its other member, in one payload.
  const payloads = [
    ...[everything, {}, { id: "only", pings: [{}], tree: { children: [{}] } }, { error: "boom" }].map(encoded),
    Uint8Array.from([...encoded({ error: "boom" }), ...encoded({ ok: {} })]),
    Uint8Array.from([...encoded({ ok: {} }), ...encoded({ error: "boom" })]),
  ];

  it("skips the data of every field without a column, and gives the bytes the row decoder gives", () => {
    const state = evolveSchemaState(undefined, event).state;
    const val = state.schema.fields.find((field) => field.name === "val")?.type as StructType;
    const result = bothWaysWith(val, state.schema, payloads);
    expect(result.decodedRows[0]?.val).toEqual({ id: "e-1", tree: { label: "root" }, department: { name: "R&D", head: { name: "Ada" } }, count: 7n, error: null });
    expect(result.decodedRows.slice(3).map((row) => (row.val as Record<string, unknown>)["error"])).toEqual(["boom", null, "boom"]);
    expect(Buffer.from(result.columns).equals(Buffer.from(result.rows))).toBe(true);
  });

  it("builds its plan over a schema state from before SPEC.md §3 left empty messages out (lists and maps of empty structs), skipping their data", () => {
    const state = evolveSchemaState(undefined, event).state;
    const val = state.schema.fields.find((field) => field.name === "val")?.type as StructType;
    const empty: StructType = { type: "struct", fields: [] };
    let id = state.lastColumnId;
    const legacyVal: StructType = {
      type: "struct",
      fields: [
        ...val.fields,
        { id: ++id, name: "ping", required: false, type: empty },
        { id: ++id, name: "pings", required: false, type: { type: "list", "element-id": ++id, "element-required": false, element: empty } },
        { id: ++id, name: "flags", required: false, type: { type: "map", "key-id": ++id, key: "string", "value-id": id + 1, "value-required": false, value: empty } },
      ],
    };
    const legacySchema = { ...state.schema, fields: state.schema.fields.map((field) => (field.name === "val" ? { ...field, type: legacyVal } : field)) };
    const result = bothWaysWith(legacyVal, legacySchema, payloads);
    expect(Buffer.from(result.columns).equals(Buffer.from(result.rows))).toBe(true);
  });
});
