import type protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../lib/core/seeded-random.js";
import type { StructType } from "../../../lib/iceberg/types.js";
import { createRecordDecoder, type DecodedRecord } from "../../../lib/decode/record-decoder.js";
import type { StructValue } from "../../../lib/schema/table-row.js";
import { evolveSchemaState, type SchemaState } from "../../../lib/schema/schema-state.js";
import { compileFixtureMessage, compileMessage } from "../schema/compile-fixture.js";
import { heavyTestTimeoutMs } from "../../heavy-test-timeout.js";

function valStruct(state: SchemaState): StructType {
  return state.schema.fields.find((field) => field.name === "val")?.type as StructType;
}

/** Encodes with protobufjs — an encoder that is not ours — and decodes with our decoder. */
function roundTrip(type: protobuf.Type, message: Record<string, unknown>, state?: SchemaState): StructValue {
  return decodedValue(decode(type, encode(type, message), state));
}

function encode(type: protobuf.Type, message: Record<string, unknown>): Uint8Array {
  return type.encode(type.fromObject(message)).finish();
}

function decode(type: protobuf.Type, payload: Uint8Array, state?: SchemaState): DecodedRecord {
  return createRecordDecoder(type, valStruct(state ?? evolveSchemaState(undefined, type).state))(payload);
}

function decodedValue(result: DecodedRecord): StructValue {
  if (!result.ok) throw new Error(`expected a decoded record, got: ${result.reason}`);
  return result.value;
}

const allTypes = (message: string) => compileFixtureMessage("mapping/all_types.proto", message);

describe("decoding scalars", () => {
  const scalars = allTypes("Scalars");

  it("reads every scalar type into its column's value form", () => {
    expect(
      roundTrip(scalars, {
        a_bool: true,
        an_int32: -42,
        a_sint32: -2147483648,
        a_sfixed32: -7,
        an_int64: "-9223372036854775808",
        a_sint64: "-1",
        a_sfixed64: "9223372036854775807",
        a_uint32: 4294967295,
        a_fixed32: 4000000000,
        a_uint64: "18446744073709551615",
        a_fixed64: "12345678901234567890",
        a_float: 1.5,
        a_double: -0.1,
        a_string: "héllo ✓",
        some_bytes: Buffer.from([0, 255, 7]),
        a_color: "GREEN",
      }),
    ).toEqual({
      a_bool: true,
      an_int32: -42,
      a_sint32: -2147483648,
      a_sfixed32: -7,
      an_int64: -9223372036854775808n,
      a_sint64: -1n,
      a_sfixed64: 9223372036854775807n,
      a_uint32: 4294967295n,
      a_fixed32: 4000000000n,
      a_uint64: 18446744073709551615n,
      a_fixed64: 12345678901234567890n,
      a_float: 1.5,
      a_double: -0.1,
      a_string: "héllo ✓",
      some_bytes: new Uint8Array([0, 255, 7]),
      a_color: "GREEN",
    });
  });

  it("gives absent implicit-presence proto3 scalars their defaults, enums their first name", () => {
    expect(decodedValue(decode(scalars, new Uint8Array(0)))).toEqual({
      a_bool: false,
      an_int32: 0,
      a_sint32: 0,
      a_sfixed32: 0,
      an_int64: 0n,
      a_sint64: 0n,
      a_sfixed64: 0n,
      a_uint32: 0n,
      a_fixed32: 0n,
      a_uint64: 0n,
      a_fixed64: 0n,
      a_float: 0,
      a_double: 0,
      a_string: "",
      some_bytes: new Uint8Array(0),
      a_color: "COLOR_UNSPECIFIED",
    });
  });

  it("writes an enum number with no name as its decimal digits", () => {
    // field 16 (a_color), varint 7
    expect(decodedValue(decode(scalars, new Uint8Array([0x80, 0x01, 7])))["a_color"]).toBe("7");
  });
});

describe("decoding presence, oneofs and nested messages", () => {
  const presence = allTypes("Presence");

  it("is null for absent explicit-presence fields and the value (even zero) when present", () => {
    expect(decodedValue(decode(presence, new Uint8Array(0)))).toEqual({
      maybe_count: null,
      maybe_name: null,
      maybe_color: null,
      where: null,
      email: null,
      phone: null,
      location: null,
      plain: 0,
    });
    expect(roundTrip(presence, { maybe_count: 0, maybe_name: "", maybe_color: "COLOR_UNSPECIFIED", where: {} })).toMatchObject({
      maybe_count: 0,
      maybe_name: "",
      maybe_color: "COLOR_UNSPECIFIED",
      where: { x: 0, y: 0 },
    });
  });

  it("keeps the last oneof member on the wire and clears the others", () => {
    const both = concat(encode(presence, { email: "a@b.c" }), encode(presence, { location: { x: 1, y: 2 } }));
    expect(decodedValue(decode(presence, both))).toMatchObject({ email: null, phone: null, location: { x: 1, y: 2 } });
  });

  it("merges a message field that appears twice, as protobuf does", () => {
    const merged = concat(encode(presence, { where: { x: 5 } }), encode(presence, { where: { y: 6 } }));
    expect(decodedValue(decode(presence, merged))["where"]).toEqual({ x: 5, y: 6 });
  });
});

describe("decoding repeated fields and maps", () => {
  const collections = allTypes("Collections");

  it("reads lists of scalars, enums and messages, empty (not null) when absent", () => {
    const value = roundTrip(collections, { tags: ["a", "b"], amounts: ["1", "-2"], points: [{ x: 1 }, { y: 2 }], colors: ["RED", "GREEN"] });
    expect(value).toMatchObject({
      tags: ["a", "b"],
      amounts: [1n, -2n],
      points: [
        { x: 1, y: 0 },
        { x: 0, y: 2 },
      ],
      colors: ["RED", "GREEN"],
    });
    expect(decodedValue(decode(collections, new Uint8Array(0)))).toMatchObject({ tags: [], amounts: [], points: [], by_string: new Map() });
  });

  it("reads maps with every legal key type", () => {
    const value = roundTrip(collections, {
      by_string: { a: 1 },
      by_int32: { "-3": "i32" },
      by_int64: { "-4": "i64" },
      by_uint32: { "4294967295": "u32" },
      by_uint64: { "18446744073709551615": "u64" },
      by_sint32: { "-5": "s32" },
      by_sint64: { "-6": "s64" },
      by_fixed32: { "7": "f32" },
      by_fixed64: { "8": "f64" },
      by_sfixed32: { "-9": "sf32" },
      by_sfixed64: { "-10": "sf64" },
      by_bool: { true: "yes" },
      points_by_name: { origin: {} },
    });
    expect(value).toEqual({
      tags: [],
      amounts: [],
      points: [],
      colors: [],
      by_string: new Map([["a", 1]]),
      by_int32: new Map([[-3, "i32"]]),
      by_int64: new Map([[-4n, "i64"]]),
      by_uint32: new Map([[4294967295n, "u32"]]),
      by_uint64: new Map([[18446744073709551615n, "u64"]]),
      by_sint32: new Map([[-5, "s32"]]),
      by_sint64: new Map([[-6n, "s64"]]),
      by_fixed32: new Map([[7n, "f32"]]),
      by_fixed64: new Map([[8n, "f64"]]),
      by_sfixed32: new Map([[-9, "sf32"]]),
      by_sfixed64: new Map([[-10n, "sf64"]]),
      by_bool: new Map([[true, "yes"]]),
      points_by_name: new Map([["origin", { x: 0, y: 0 }]]),
    });
  });

  it("keeps the last value of a repeated map key, so keys stay unique", () => {
    const twice = concat(encode(collections, { by_string: { a: 1, b: 2 } }), encode(collections, { by_string: { a: 3 } }));
    expect(decodedValue(decode(collections, twice))["by_string"]).toEqual(new Map([["a", 3], ["b", 2]]));
  });

  it("accepts packed and unpacked encodings of the same repeated scalar", () => {
    const part = compileFixtureMessage("mapping/legacy.proto", "Part");
    // sizes (4) is declared packed, weights (5) unpacked: send each the other way.
    const unpackedSizes = [0x20, 1, 0x20, 2];
    const packedWeights = [0x2a, 2, 3, 4];
    const name = [0x12, 1, 0x6e];
    expect(decodedValue(decode(part, new Uint8Array([...name, ...unpackedSizes, ...packedWeights])))).toMatchObject({ sizes: [1, 2], weights: [3, 4] });
  });
});

describe("decoding well-known types", () => {
  const wellKnown = allTypes("WellKnown");

  it("converts Timestamp and Duration to microseconds, truncating nanoseconds", () => {
    const value = roundTrip(wellKnown, {
      at: { seconds: "1767225600", nanos: 123456789 },
      took: { seconds: "-2", nanos: -500999 },
      history: [{ seconds: "1", nanos: 999 }, {}],
    });
    expect(value).toMatchObject({ at: 1767225600123456n, took: -2000500n, history: [1000000n, 0n] });
  });

  it("unwraps wrappers, null when absent and the wrapped default when empty", () => {
    const absent = decodedValue(decode(wellKnown, new Uint8Array(0)));
    for (const name of ["w_double", "w_float", "w_int64", "w_uint64", "w_int32", "w_uint32", "w_bool", "w_string", "w_bytes", "at", "took", "attributes"]) {
      expect(absent[name]).toBeNull();
    }
    expect(
      roundTrip(wellKnown, {
        w_double: { value: 2.5 },
        w_float: { value: 0.5 },
        w_int64: { value: "-7" },
        w_uint64: { value: "18446744073709551615" },
        w_int32: {},
        w_uint32: { value: 4294967295 },
        w_bool: { value: true },
        w_string: { value: "s" },
        w_bytes: { value: Buffer.from([1]) },
      }),
    ).toMatchObject({
      w_double: 2.5,
      w_float: 0.5,
      w_int64: -7n,
      w_uint64: 18446744073709551615n,
      w_int32: 0,
      w_uint32: 4294967295n,
      w_bool: true,
      w_string: "s",
      w_bytes: new Uint8Array([1]),
    });
  });

  it("writes Struct, Value and ListValue as JSON text", () => {
    const value = roundTrip(wellKnown, {
      attributes: {
        fields: {
          name: { stringValue: "x" },
          n: { numberValue: 1.5 },
          ok: { boolValue: true },
          none: { nullValue: "NULL_VALUE" },
          nested: { structValue: { fields: { deep: { listValue: { values: [{ numberValue: 1 }, { stringValue: "two" }] } } } } },
        },
      },
      any_value: { stringValue: "just text" },
      list_value: { values: [{ boolValue: false }, { nullValue: "NULL_VALUE" }] },
    });
    expect(JSON.parse(value["attributes"] as string)).toEqual({ name: "x", n: 1.5, ok: true, none: null, nested: { deep: [1, "two"] } });
    expect(value["any_value"]).toBe('"just text"');
    expect(value["list_value"]).toBe("[false,null]");
  });

  it("skips Empty, which has no column", () => {
    expect(roundTrip(wellKnown, { nothing: {}, w_int32: { value: 3 } })).not.toHaveProperty("nothing");
  });
});

describe("decoding recursive and empty messages", () => {
  it("skips the data under the point of recursion", () => {
    const tree = allTypes("TreeNode");
    const value = roundTrip(tree, { label: "root", left: { label: "l", left: { label: "ll" } }, children: [{ label: "c1" }, { label: "c2", children: [{}] }] });
    expect(value).toEqual({ label: "root" });
  });

  it("skips the data where recursion comes back through another message", () => {
    const department = allTypes("Department");
    expect(roundTrip(department, { name: "R&D", head: { name: "Ada", department: { name: "R&D again" } } })).toEqual({ name: "R&D", head: { name: "Ada" } });
  });

  it("skips a field of a message with no fields", () => {
    expect(roundTrip(allTypes("Holder"), { empty: {}, name: "n" })).toEqual({ name: "n" });
  });

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

  it("skips Empty, empty messages and recursion alone, repeated and as map values, keeping every other field", () => {
    expect(roundTrip(event, everything)).toEqual({ id: "e-1", tree: { label: "root" }, department: { name: "R&D", head: { name: "Ada" } }, count: 7n, error: null });
  });

  it("lets a oneof member without a column end the other member's value, as the last member wins", () => {
    const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));
    const failed = encode(event, { error: "boom" });
    const ok = encode(event, { ok: {} });
    expect(decodedValue(decode(event, concat(failed, ok)))["error"]).toBeNull();
    expect(decodedValue(decode(event, concat(ok, failed)))["error"]).toBe("boom");
  });

  it("skips what a schema state from before SPEC.md §3 left out still holds: empty structs, lists and maps of them", () => {
    const legacy = evolveSchemaState(undefined, event).state;
    const val = valStruct(legacy);
    const emptyStruct: StructType = { type: "struct", fields: [] };
    let id = legacy.lastColumnId;
    const legacyVal: StructType = {
      type: "struct",
      fields: [
        ...val.fields,
        { id: ++id, name: "ping", required: false, type: emptyStruct },
        { id: ++id, name: "pings", required: false, type: { type: "list", "element-id": ++id, "element-required": false, element: emptyStruct } },
        { id: ++id, name: "flags", required: false, type: { type: "map", "key-id": ++id, key: "string", "value-id": id + 1, "value-required": false, value: emptyStruct } },
      ],
    };
    const decoded = createRecordDecoder(event, legacyVal)(encode(event, everything));
    expect(decodedValue(decoded)).toMatchObject({ id: "e-1", count: 7n });
  });
});

describe("decoding proto2", () => {
  const part = compileFixtureMessage("mapping/legacy.proto", "Part");

  it("is null for every absent singular field, defaults notwithstanding", () => {
    expect(decodedValue(decode(part, new Uint8Array(0)))).toEqual({ count: null, name: null, status: null, sizes: [], weights: [], note: null, detail: null });
  });

  it("reads present fields and groups", () => {
    expect(roundTrip(part, { count: 0, name: "bolt", status: "RETIRED", detail: { label: "M8" } })).toMatchObject({
      count: 0,
      name: "bolt",
      status: "RETIRED",
      detail: { label: "M8" },
    });
  });
});

describe("decoding across schema versions", () => {
  const older = compileMessage('syntax = "proto3"; message Event { string id = 1; int32 count = 2; string note = 3; }', "Event");
  const newer = compileMessage('syntax = "proto3"; message Event { string id = 1; int32 count = 2; double extra = 4; }', "Event");

  it("drops unknown fields of a payload written with a newer schema", () => {
    expect(decodedValue(decode(older, encode(newer, { id: "e1", count: 3, extra: 2.5 })))).toEqual({ id: "e1", count: 3, note: "" });
  });

  it("writes null into a column whose field the message no longer has", () => {
    const state = evolveSchemaState(evolveSchemaState(undefined, older).state, newer).state;
    expect(decodedValue(decode(newer, encode(newer, { id: "e2", extra: 1 }), state))).toEqual({ id: "e2", count: 0, note: null, extra: 1 });
  });

  it("widens an int32 field into a column that was promoted to long", () => {
    const wide = compileMessage('syntax = "proto3"; message Event { string id = 1; int64 count = 2; }', "Event");
    const state = evolveSchemaState(evolveSchemaState(undefined, older).state, wide).state;
    expect(decodedValue(decode(older, encode(older, { id: "e3", count: -4 }), state))).toMatchObject({ count: -4n });
  });
});

describe("invalid records", () => {
  const scalars = allTypes("Scalars");

  it.each([
    ["a truncated varint", [0x10, 0x80], /truncated varint/],
    ["a length past the end", [0x72, 0x05, 0x61], /length 5 runs past the end/],
    ["a reserved wire type", [0x0e], /invalid wire type 6/],
    ["field number 0", [0x00, 0x01], /field number 0/],
    ["invalid UTF-8 in a string", [0x72, 0x02, 0xc3, 0x28], /not valid UTF-8/],
    ["an unclosed group", [0x0b, 0x08, 0x01], /truncated varint/],
    ["an end of group with no start", [0x0c], /unexpected end of group 1/],
    ["a truncated fixed64", [0x69, 1, 2, 3], /truncated fixed-width value/],
    ["an 11-byte varint", [0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], /longer than 10 bytes/],
  ])("reports %s as invalid, with the reason", (_name, bytes, reason) => {
    const result = decode(scalars, new Uint8Array(bytes));
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toMatch(reason);
  });

  it("turns random bytes into decoded or invalid records, never an exception", { timeout: heavyTestTimeoutMs }, () => {
    const decoders = ["Scalars", "Presence", "Collections", "WellKnown", "TreeNode", "Department"].map((name) => {
      const type = allTypes(name);
      return createRecordDecoder(type, valStruct(evolveSchemaState(undefined, type).state));
    });
    const random = seededRandom(20261124);
    const outcomes = { decoded: 0, invalid: 0 };
    for (let run = 0; run < 5000; run++) {
      const bytes = new Uint8Array(Math.floor(random() * 64));
      for (let index = 0; index < bytes.length; index++) bytes[index] = Math.floor(random() * 256);
      for (const decodeRecord of decoders) outcomes[decodeRecord(bytes).ok ? "decoded" : "invalid"]++;
    }
    expect(outcomes.decoded + outcomes.invalid).toBe(30000);
    expect(outcomes.invalid).toBeGreaterThan(0);
    expect(outcomes.decoded).toBeGreaterThan(0);
  });
});

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(parts.flatMap((part) => [...part]));
}

describe("a decoder for a schema that does not fit", () => {
  it("is refused with SCHEMA_INVALID naming the message", () => {
    const strings = compileMessage('syntax = "proto3"; message Event { string code = 1; }', "Event");
    const numbers = compileMessage('syntax = "proto3"; message Event { int64 code = 1; }', "Event");
    expect(() => createRecordDecoder(numbers, valStruct(evolveSchemaState(undefined, strings).state))).toThrow(
      expect.objectContaining({ code: "SCHEMA_INVALID", message: expect.stringContaining("message Event") as unknown }),
    );
  });
});
