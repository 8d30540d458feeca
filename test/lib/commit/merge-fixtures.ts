// Rows for reading data files back: the mapping fixture's every type decoded by the record
// decoder (the value forms ingest really produces), and a hand-made table of edge cases;
// with what a row is expected to be after a round trip, and an exact, order-keeping form
// of any row value to compare.
import type { IcebergSchema, IcebergType, StructType } from "../../../lib/iceberg/types.js";
import { createRecordDecoder } from "../../../lib/decode/record-decoder.js";
import { evolveSchemaState } from "../../../lib/schema/schema-state.js";
import type { HeaderValue, TableRow } from "../../../lib/schema/table-row.js";
import { compileMessage, fixtureProto } from "../schema/compile-fixture.js";

const bytesOf = (...values: number[]): Uint8Array => Uint8Array.from(values);

export function everythingTable(): { schema: IcebergSchema; rows: TableRow[] } {
  const everything = compileMessage(
    `${fixtureProto("mapping/all_types.proto")}
message Everything { Scalars scalars = 1; Collections collections = 2; WellKnown well_known = 3; TreeNode tree = 4; Holder holder = 5; Presence presence = 6; }`,
    "Everything",
  );
  const { schema } = evolveSchemaState(undefined, everything).state;
  const decode = createRecordDecoder(everything, schema.fields.find((field) => field.name === "val")?.type as StructType);
  const values: Record<string, unknown>[] = [
    {
      scalars: { a_bool: true, an_int32: -2147483648, an_int64: "-9223372036854775808", a_sint64: "-1", a_uint32: 4294967295, a_uint64: "18446744073709551615", a_fixed64: "9223372036854775808", a_float: -1.5, a_double: 1e300, a_string: "héllo ✓ 𝄞", some_bytes: new Uint8Array(20).fill(0xff), a_color: "GREEN" },
      collections: {
        tags: ["a", "", "ß"],
        amounts: ["1", "-9223372036854775808"],
        points: [{ x: 1, y: 2 }, {}, { x: -3 }],
        by_int64: { "9007199254740993": "big", "-1": "minus" },
        by_uint64: { "18446744073709551615": "max", "0": "zero" },
        by_bool: { true: "yes", false: "no" },
        points_by_name: { origin: {}, p: { x: 5 } },
      },
      well_known: {
        at: { seconds: 1767225600, nanos: 123456789 },
        took: { seconds: -90, nanos: -500000 },
        w_uint64: { value: "18446744073709551615" },
        w_bytes: { value: bytesOf(0xff, 0) },
        w_string: { value: "" },
        attributes: { fields: { a: { numberValue: 1 } } },
        nothing: {},
        history: [{ seconds: 1, nanos: 1000 }, { seconds: -2 }],
      },
      tree: { label: "root", left: { label: "l" }, children: [{ label: "c1" }, { label: "c2", children: [{ label: "c2.1" }] }] },
      holder: { empty: {}, name: "holder" },
      presence: { maybe_count: 0, where: { x: 1 }, location: { y: -1 } },
    },
    {},
    { scalars: { a_double: Number.NaN, a_float: Number.NEGATIVE_INFINITY, a_string: "Zürich", a_color: 7 }, collections: { tags: [], amounts: ["5"] }, well_known: { at: { seconds: -1, nanos: 999999999 } } },
  ];
  const valueRows = values.map((value, index): TableRow => {
    const decoded = decode(everything.encode(everything.fromObject(value)).finish());
    if (!decoded.ok) throw new Error(`fixture record did not decode: ${decoded.reason}`);
    return { key: { __raw__: index === 1 ? null : bytesOf(0xff, index) }, val: decoded.value, headers: [{ key: `h${index}`, value: bytesOf(0xff) }], timestamp: 1_767_225_600_123_456n + BigInt(index) };
  });
  return { schema, rows: [...valueRows, { key: { __raw__: bytesOf() }, val: null, headers: [], timestamp: null }] };
}

function point(firstId: number): StructType {
  return { type: "struct", fields: [{ id: firstId, name: "x", required: false, type: "int" }, { id: firstId + 1, name: "label", required: false, type: "string" }] };
}

/** Decimal and long extremes, every level of nesting null, empty or full. */
export const edgeCaseSchema: IcebergSchema = {
  type: "struct",
  "schema-id": 3,
  fields: [
    { id: 1, name: "key", required: false, type: { type: "struct", fields: [{ id: 10, name: "__raw__", required: false, type: "binary" }] } },
    {
      id: 2,
      name: "val",
      required: false,
      type: {
        type: "struct",
        fields: [
          { id: 11, name: "amount", required: false, type: "decimal(20, 0)" },
          { id: 12, name: "delta", required: false, type: "long" },
          { id: 13, name: "day", required: false, type: "date" },
          { id: 14, name: "ratio", required: false, type: "float" },
          { id: 15, name: "by_id", required: false, type: { type: "map", "key-id": 20, key: "long", "value-id": 21, "value-required": false, value: "string" } },
          { id: 16, name: "by_big_id", required: false, type: { type: "map", "key-id": 22, key: "decimal(20, 0)", "value-id": 23, "value-required": false, value: point(40) } },
          { id: 17, name: "grid", required: false, type: { type: "list", "element-id": 24, "element-required": false, element: { type: "list", "element-id": 25, "element-required": false, element: point(42) } } },
          { id: 18, name: "nested", required: false, type: { type: "struct", fields: [{ id: 26, name: "inner", required: false, type: point(44) }, { id: 27, name: "none", required: false, type: { type: "list", "element-id": 28, "element-required": false, element: { type: "struct", fields: [] } } }] } },
        ],
      },
    },
    { id: 3, name: "headers", required: false, type: { type: "list", "element-id": 19, "element-required": false, element: { type: "struct", fields: [{ id: 32, name: "key", required: false, type: "string" }, { id: 33, name: "value", required: false, type: "binary" }] } } },
    { id: 4, name: "timestamp", required: false, type: "timestamptz" },
  ],
};

// Ingest never makes a null header, but a list element may be null in any table.
const nullHeader = null as unknown as HeaderValue;

export function edgeCaseRows(): TableRow[] {
  const full = {
    amount: 18_446_744_073_709_551_615n,
    delta: -9_223_372_036_854_775_808n,
    day: -1,
    ratio: Math.fround(0.1),
    by_id: new Map<bigint, string | null>([[9_007_199_254_740_993n, "a"], [-5n, null], [0n, ""]]),
    by_big_id: new Map([[18_446_744_073_709_551_615n, { x: 1, label: null }], [0n, null]]),
    grid: [[{ x: 1, label: "a" }, null, { x: null, label: null }], [], null, [{ x: -2147483648, label: "ü" }]],
    nested: { inner: { x: 2147483647, label: "in" }, none: [{}] },
  };
  return [
    { key: { __raw__: bytesOf(0xff, 0xfe, 0x00) }, val: full, headers: [{ key: "k", value: bytesOf(0xff) }, { key: null, value: null }, nullHeader], timestamp: -1n },
    { key: { __raw__: null }, val: { amount: -1n, delta: 9_223_372_036_854_775_807n, day: null, ratio: Number.NaN, by_id: new Map(), by_big_id: null, grid: [], nested: { inner: null, none: [] } }, headers: [], timestamp: 1_767_225_600_000_001n },
    { key: { __raw__: bytesOf() }, val: { amount: null, delta: null, day: null, ratio: null, by_id: null, by_big_id: new Map([[1n, { x: null, label: null }]]), grid: null, nested: null }, headers: [], timestamp: 0n },
    { key: { __raw__: null }, val: null, headers: [], timestamp: null },
  ];
}

/** A row as read back: empty structs, and what holds nothing but them, are not in the file and read as null. */
export function afterRoundTrip(schema: StructType, row: TableRow): TableRow {
  return structAfterRoundTrip(schema, row as unknown as Record<string, unknown>) as unknown as TableRow;
}

function structAfterRoundTrip(type: StructType, struct: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(type.fields.map((field) => [field.name, valueAfterRoundTrip(field.type, struct[field.name])]));
}

function valueAfterRoundTrip(type: IcebergType, value: unknown): unknown {
  if (value === null || value === undefined || isLeftOut(type)) return null;
  if (typeof type === "string") return value;
  if (type.type === "struct") return structAfterRoundTrip(type, value as Record<string, unknown>);
  if (type.type === "list") return (value as unknown[]).map((element) => valueAfterRoundTrip(type.element, element));
  return new Map([...(value as Map<unknown, unknown>)].map(([key, entry]) => [key, valueAfterRoundTrip(type.value, entry)]));
}

function isLeftOut(type: IcebergType): boolean {
  if (typeof type === "string") return false;
  if (type.type === "struct") return type.fields.every((field) => isLeftOut(field.type));
  return isLeftOut(type.type === "list" ? type.element : type.value);
}

/** Every value with its type, maps in entry order: equal only when exactly equal. */
export function exactForm(value: unknown): string {
  return JSON.stringify(value, function replace(this: unknown, _key, element: unknown): unknown {
    if (typeof element === "bigint") return `bigint:${element}`;
    if (typeof element === "number") return Object.is(element, -0) ? "number:-0" : `number:${element}`;
    if (element instanceof Uint8Array) return `bytes:${Buffer.from(element).toString("hex")}:${element.constructor.name}`;
    if (element instanceof Map) return { map: [...element] };
    if (element === undefined) return "undefined";
    return element;
  });
}
