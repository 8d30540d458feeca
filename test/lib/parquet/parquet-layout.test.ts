import { describe, expect, it } from "vitest";
import { ExportError } from "../../../lib/core/errors.js";
import type { IcebergSchema, NestedField, StructType } from "../../../lib/iceberg/types.js";
import { shredRows, slotValues } from "../../../lib/parquet/column-shredding.js";
import { parquetLayout } from "../../../lib/parquet/parquet-schema.js";
import { sampleRows, sampleSchema } from "./sample-table.js";

function schemaOf(...fields: NestedField[]): IcebergSchema {
  return { type: "struct", "schema-id": 0, fields };
}

describe("the Parquet schema of a table", () => {
  const layout = parquetLayout(sampleSchema);

  it("carries every field id and Iceberg name, with three-level lists and key_value maps", () => {
    const summary = layout.elements.map((element) => [element.name, element.field_id, element.repetition_type, element.type ?? element.converted_type ?? "group"]);
    expect(summary).toEqual([
      ["table", undefined, undefined, "group"],
      ["key", 1, "OPTIONAL", "group"],
      ["__raw__", 5, "OPTIONAL", "BYTE_ARRAY"],
      ["val", 2, "OPTIONAL", "group"],
      ["name", 6, "OPTIONAL", "BYTE_ARRAY"],
      ["amount", 7, "OPTIONAL", "INT64"],
      ["ratio", 8, "OPTIONAL", "DOUBLE"],
      ["tags", 9, "OPTIONAL", "LIST"],
      ["list", undefined, "REPEATED", "group"],
      ["element", 14, "OPTIONAL", "BYTE_ARRAY"],
      ["attributes", 10, "OPTIONAL", "MAP"],
      ["key_value", undefined, "REPEATED", "group"],
      ["key", 15, "REQUIRED", "BYTE_ARRAY"],
      ["value", 16, "OPTIONAL", "BYTE_ARRAY"],
      ["price", 12, "OPTIONAL", "FIXED_LEN_BYTE_ARRAY"],
      ["flag", 13, "OPTIONAL", "BOOLEAN"],
      ["headers", 3, "OPTIONAL", "LIST"],
      ["list", undefined, "REPEATED", "group"],
      ["element", 17, "OPTIONAL", "group"],
      ["key", 18, "OPTIONAL", "BYTE_ARRAY"],
      ["value", 19, "OPTIONAL", "BYTE_ARRAY"],
      ["timestamp", 4, "OPTIONAL", "INT64"],
    ]);
    expect(layout.elements.map((element) => element.num_children)).toEqual([4, 1, undefined, 7, undefined, undefined, undefined, 1, 1, undefined, 1, 2, undefined, undefined, undefined, undefined, 1, 1, 2, undefined, undefined, undefined]);
  });

  it("annotates strings, decimals and timestamps with their logical types", () => {
    const byId = new Map(layout.elements.map((element) => [element.field_id, element]));
    expect(byId.get(6)).toMatchObject({ converted_type: "UTF8", logical_type: { type: "STRING" } });
    expect(byId.get(12)).toMatchObject({ type_length: 9, converted_type: "DECIMAL", precision: 20, scale: 0, logical_type: { type: "DECIMAL", precision: 20, scale: 0 } });
    expect(byId.get(4)).toMatchObject({ type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" } });
    expect(byId.get(5)).toEqual({ name: "__raw__", repetition_type: "OPTIONAL", field_id: 5, type: "BYTE_ARRAY" });
  });

  it("gives each leaf its levels, and bounds only outside lists and maps", () => {
    expect(layout.leaves.map((leaf) => [leaf.path.join("."), leaf.fieldId, leaf.maxDefinitionLevel, leaf.maxRepetitionLevel, leaf.hasBounds])).toEqual([
      ["key.__raw__", 5, 2, 0, true],
      ["val.name", 6, 2, 0, true],
      ["val.amount", 7, 2, 0, true],
      ["val.ratio", 8, 2, 0, true],
      ["val.tags.list.element", 14, 4, 1, false],
      ["val.attributes.key_value.key", 15, 3, 1, false],
      ["val.attributes.key_value.value", 16, 4, 1, false],
      ["val.price", 12, 2, 0, true],
      ["val.flag", 13, 2, 0, true],
      ["headers.list.element.key", 18, 4, 1, false],
      ["headers.list.element.value", 19, 4, 1, false],
      ["timestamp", 4, 1, 0, true],
    ]);
  });

  it("leaves out empty structs, and whatever holds nothing else", () => {
    const empty: StructType = { type: "struct", fields: [] };
    const layoutWithEmpties = parquetLayout(
      schemaOf(
        { id: 1, name: "kept", required: false, type: "int" },
        { id: 2, name: "nothing", required: false, type: empty },
        { id: 3, name: "nested_nothing", required: false, type: { type: "struct", fields: [{ id: 4, name: "inner", required: false, type: empty }] } },
        { id: 5, name: "list_of_nothing", required: false, type: { type: "list", "element-id": 6, "element-required": false, element: empty } },
        { id: 7, name: "map_of_nothing", required: false, type: { type: "map", "key-id": 8, key: "string", "value-id": 9, "value-required": false, value: empty } },
        { id: 10, name: "partly", required: false, type: { type: "struct", fields: [{ id: 11, name: "gone", required: false, type: empty }, { id: 12, name: "here", required: false, type: "string" }] } },
      ),
    );
    expect(layoutWithEmpties.elements.map((element) => element.name)).toEqual(["table", "kept", "partly", "here"]);
    expect(layoutWithEmpties.leaves.map((leaf) => [leaf.path.join("."), leaf.index])).toEqual([
      ["kept", 0],
      ["partly.here", 1],
    ]);
  });

  it("refuses a map whose key is not a primitive", () => {
    const struct: StructType = { type: "struct", fields: [{ id: 4, name: "x", required: false, type: "int" }] };
    const schema = schemaOf({ id: 1, name: "weird", required: false, type: { type: "map", "key-id": 2, key: struct, "value-id": 3, "value-required": false, value: "int" } });
    expect(() => parquetLayout(schema)).toThrow(ExportError);
  });
});

describe("shredding rows into leaf columns", () => {
  const layout = parquetLayout(sampleSchema);
  const columns = shredRows(layout, sampleRows(), 0, 4);
  const column = (path: string) => {
    const leaf = layout.leaves.find((candidate) => candidate.path.join(".") === path);
    const shredded = leaf === undefined ? undefined : columns[leaf.index];
    if (leaf === undefined || shredded === undefined) throw new Error(`no column ${path}`);
    return { values: slotValues(leaf, shredded), definitionLevels: [...shredded.definitionLevels], repetitionLevels: [...shredded.repetitionLevels] };
  };

  it("gives a flat column one slot per row, defined where the value is", () => {
    expect(column("val.amount")).toEqual({ values: [-5n, null, 42n, 0n], definitionLevels: [2, 0, 2, 2], repetitionLevels: [] });
    expect(column("key.__raw__").definitionLevels).toEqual([2, 1, 2, 2]);
    expect(column("timestamp").definitionLevels).toEqual([1, 1, 1, 1]);
  });

  it("repeats list elements, with a slot for a null element, a null parent and an empty list", () => {
    expect(column("val.tags.list.element")).toEqual({
      values: ["x", null, "y", null, null, "z"],
      definitionLevels: [4, 3, 4, 0, 2, 4],
      repetitionLevels: [0, 1, 1, 0, 0, 0],
    });
  });

  it("repeats map entries in their order, the key required and the value optional", () => {
    expect(column("val.attributes.key_value.key")).toEqual({ values: ["k1", "k2", null, null, "k1"], definitionLevels: [3, 3, 0, 2, 3], repetitionLevels: [0, 1, 0, 0, 0] });
    expect(column("val.attributes.key_value.value")).toEqual({ values: ["v1", null, null, null, "w"], definitionLevels: [4, 3, 0, 2, 4], repetitionLevels: [0, 1, 0, 0, 0] });
  });

  it("shreds structs inside lists field by field", () => {
    expect(column("headers.list.element.key")).toEqual({ values: ["trace", null, null, "b", null], definitionLevels: [4, 1, 3, 4, 1], repetitionLevels: [0, 0, 0, 1, 0] });
  });

  it("shreds a slice of the rows", () => {
    const [first] = shredRows(layout, sampleRows(), 2, 4);
    expect(first === undefined ? undefined : slotValues(layout.leaves[0] as (typeof layout.leaves)[number], first)).toEqual([Uint8Array.of(0x00, 0x10), Uint8Array.of(0x00, 0x10, 0x00)]);
  });
});
