import { describe, expect, it } from "vitest";
import { messageShape, tableShape } from "../../../lib/schema/table-shape.js";
import { compileFixtureMessage } from "./compile-fixture.js";

const allTypes = (message: string) => compileFixtureMessage("mapping/all_types.proto", message);

function fieldsOf(message: string): Record<string, unknown> {
  return Object.fromEntries(messageShape(allTypes(message)).fields.map((field) => [field.name, field.shape]));
}

describe("Protobuf → Iceberg type mapping (SPEC.md §3)", () => {
  it("maps every scalar type, and enums to strings", () => {
    expect(fieldsOf("Scalars")).toEqual({
      a_bool: "boolean",
      an_int32: "int",
      a_sint32: "int",
      a_sfixed32: "int",
      an_int64: "long",
      a_sint64: "long",
      a_sfixed64: "long",
      a_uint32: "long",
      a_fixed32: "long",
      a_uint64: "decimal(20, 0)",
      a_fixed64: "decimal(20, 0)",
      a_float: "float",
      a_double: "double",
      a_string: "string",
      some_bytes: "binary",
      a_color: "string",
    });
  });

  it("keeps the declared field order and names (not camelCased)", () => {
    expect(messageShape(allTypes("Scalars")).fields.map((field) => field.name).slice(0, 3)).toEqual(["a_bool", "an_int32", "a_sint32"]);
  });

  it("maps messages to structs and oneof members to ordinary fields", () => {
    const point = { kind: "struct", fields: [{ name: "x", shape: "int" }, { name: "y", shape: "int" }] };
    expect(fieldsOf("Presence")).toEqual({
      maybe_count: "int",
      maybe_name: "string",
      maybe_color: "string",
      where: point,
      email: "string",
      phone: "long",
      location: point,
      plain: "int",
    });
  });

  it("maps repeated fields to lists and maps to maps, with every legal key type", () => {
    const point = { kind: "struct", fields: [{ name: "x", shape: "int" }, { name: "y", shape: "int" }] };
    const byKey = (key: string) => ({ kind: "map", key, value: "string" });
    expect(fieldsOf("Collections")).toEqual({
      tags: { kind: "list", element: "string" },
      amounts: { kind: "list", element: "long" },
      points: { kind: "list", element: point },
      colors: { kind: "list", element: "string" },
      by_string: { kind: "map", key: "string", value: "int" },
      by_int32: byKey("int"),
      by_int64: byKey("long"),
      by_uint32: byKey("long"),
      by_uint64: byKey("decimal(20, 0)"),
      by_sint32: byKey("int"),
      by_sint64: byKey("long"),
      by_fixed32: byKey("long"),
      by_fixed64: byKey("decimal(20, 0)"),
      by_sfixed32: byKey("int"),
      by_sfixed64: byKey("long"),
      by_bool: byKey("boolean"),
      points_by_name: { kind: "map", key: "string", value: point },
    });
  });

  it("maps the well-known types", () => {
    expect(fieldsOf("WellKnown")).toEqual({
      at: "timestamptz",
      took: "long",
      w_double: "double",
      w_float: "float",
      w_int64: "long",
      w_uint64: "decimal(20, 0)",
      w_int32: "int",
      w_uint32: "long",
      w_bool: "boolean",
      w_string: "string",
      w_bytes: "binary",
      attributes: "string",
      any_value: "string",
      list_value: "string",
      history: { kind: "list", element: "timestamptz" },
    });
  });

  it("leaves out a field of a message with no fields", () => {
    expect(fieldsOf("Holder")).toEqual({ name: "string" });
  });

  it("leaves out the point of direct recursion, alone, repeated and as a map value", () => {
    expect(fieldsOf("TreeNode")).toEqual({ label: "string" });
    expect(messageShape(compileFixtureMessage("empty/event.proto", "TreeNode")).fields).toEqual([{ name: "label", shape: "string" }]);
  });

  it("leaves out the point where recursion comes back through another message", () => {
    expect(fieldsOf("Department")).toEqual({ name: "string", head: { kind: "struct", fields: [{ name: "name", shape: "string" }] } });
  });

  it("leaves out Empty, empty messages and recursion alone, repeated, as map values, and messages holding only those", () => {
    const event = compileFixtureMessage("empty/event.proto", "Event");
    expect(Object.fromEntries(messageShape(event).fields.map((field) => [field.name, field.shape]))).toEqual({
      id: "string",
      tree: { kind: "struct", fields: [{ name: "label", shape: "string" }] },
      department: { kind: "struct", fields: [{ name: "name", shape: "string" }, { name: "head", shape: { kind: "struct", fields: [{ name: "name", shape: "string" }] } }] },
      count: "long",
      error: "string",
    });
  });

  it("gives the fields of a message that has gained fields their columns", () => {
    const event = compileFixtureMessage("empty/event_v2.proto", "Event");
    const marker = { kind: "struct", fields: [{ name: "note", shape: "string" }] };
    expect(Object.fromEntries(messageShape(event).fields.map((field) => [field.name, field.shape]))).toMatchObject({
      marker,
      markers: { kind: "list", element: marker },
      markers_by_name: { kind: "map", key: "string", value: marker },
    });
  });

  it("maps a message with no field that maps to a column to an empty struct, for the schema state to refuse", () => {
    expect(messageShape(compileFixtureMessage("empty/nothing.proto", "Nothing"))).toEqual({ kind: "struct", fields: [] });
  });

  it("maps proto2 messages, groups included", () => {
    expect(Object.fromEntries(messageShape(compileFixtureMessage("mapping/legacy.proto", "Part")).fields.map((field) => [field.name, field.shape]))).toEqual({
      count: "int",
      name: "string",
      status: "string",
      sizes: { kind: "list", element: "int" },
      weights: { kind: "list", element: "int" },
      note: "string",
      detail: { kind: "struct", fields: [{ name: "label", shape: "string" }] },
    });
  });
});

describe("the table's top level", () => {
  it("has key, val, headers and timestamp, with val mirroring the message", () => {
    const shape = tableShape(allTypes("Holder"));
    expect(shape.fields.map((field) => field.name)).toEqual(["key", "val", "headers", "timestamp"]);
    expect(shape.fields[0]?.shape).toEqual({ kind: "struct", fields: [{ name: "__raw__", shape: "binary" }] });
    expect(shape.fields[1]?.shape).toEqual(messageShape(allTypes("Holder")));
    expect(shape.fields[2]?.shape).toEqual({
      kind: "list",
      element: { kind: "struct", fields: [{ name: "key", shape: "string" }, { name: "value", shape: "binary" }] },
    });
    expect(shape.fields[3]?.shape).toBe("timestamptz");
  });

  it("holds only the raw bytes in val when the topic has no Protobuf schema", () => {
    expect(tableShape(undefined).fields[1]?.shape).toEqual({ kind: "struct", fields: [{ name: "__raw__", shape: "binary" }] });
  });
});
