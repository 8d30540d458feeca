import { describe, expect, it } from "vitest";
import type { IcebergType, NestedField, StructType } from "../../../lib/iceberg/types.js";
import { evolveSchemaState, fieldIdsByPath, type SchemaState } from "../../../lib/schema/schema-state.js";
import { compileFixtureMessage, compileMessage } from "./compile-fixture.js";

function version(body: string, extra = ""): ReturnType<typeof compileMessage> {
  return compileMessage(`syntax = "proto3";\npackage evolution;\n${extra}\nmessage Event {\n${body}\n}\n`, "Event");
}

function evolve(previous: SchemaState | undefined, body: string, extra = ""): SchemaState {
  return evolveSchemaState(previous, version(body, extra)).state;
}

function valField(state: SchemaState, name: string): NestedField | undefined {
  const val = state.schema.fields.find((field) => field.name === "val")?.type as StructType;
  return val.fields.find((field) => field.name === name);
}

function valNames(state: SchemaState): string[] {
  return (state.schema.fields.find((field) => field.name === "val")?.type as StructType).fields.map((field) => field.name);
}

describe("a new table's schema", () => {
  it("numbers fields breadth-first from 1, all optional", () => {
    const { state, changed } = evolveSchemaState(undefined, version("string id = 1;\nrepeated string tags = 2;\nmap<string, int64> counts = 3;"));
    expect(changed).toBe(true);
    const list = (elementId: number, element: IcebergType): IcebergType => ({ type: "list", "element-id": elementId, "element-required": false, element });
    expect(state).toEqual({
      formatVersion: 1,
      lastColumnId: 14,
      schema: {
        type: "struct",
        "schema-id": 0,
        fields: [
          { id: 1, name: "key", required: false, type: { type: "struct", fields: [{ id: 5, name: "__raw__", required: false, type: "binary" }] } },
          {
            id: 2,
            name: "val",
            required: false,
            type: {
              type: "struct",
              fields: [
                { id: 6, name: "id", required: false, type: "string" },
                { id: 7, name: "tags", required: false, type: list(9, "string") },
                { id: 8, name: "counts", required: false, type: { type: "map", "key-id": 10, key: "string", "value-id": 11, "value-required": false, value: "long" } },
              ],
            },
          },
          {
            id: 3,
            name: "headers",
            required: false,
            type: list(12, {
              type: "struct",
              fields: [
                { id: 13, name: "key", required: false, type: "string" },
                { id: 14, name: "value", required: false, type: "binary" },
              ],
            }),
          },
          { id: 4, name: "timestamp", required: false, type: "timestamptz" },
        ],
      },
    });
    expect(Object.fromEntries(fieldIdsByPath(state.schema))).toMatchObject({
      "val.id": 6,
      "val.tags": 7,
      "val.tags.element": 9,
      "val.counts.key": 10,
      "val.counts.value": 11,
      "headers.element.key": 13,
      timestamp: 4,
    });
  });
});

describe("schema evolution (SPEC.md §3)", () => {
  const base = evolve(undefined, "string id = 1;\nint32 count = 2;\nstring note = 3;");

  it("changes nothing when the message is the same, or only reordered or renumbered", () => {
    const same = evolveSchemaState(base, version("string id = 1;\nint32 count = 2;\nstring note = 3;"));
    expect(same.changed).toBe(false);
    expect(same.state).toBe(base);
    expect(evolveSchemaState(base, version("string note = 7;\nstring id = 1;\nint32 count = 2;")).changed).toBe(false);
  });

  it("adds a new field as a new optional column with a fresh id", () => {
    const next = evolve(base, "string id = 1;\nint32 count = 2;\nstring note = 3;\ndouble price = 4;");
    expect(valField(next, "price")).toEqual({ id: base.lastColumnId + 1, name: "price", required: false, type: "double" });
    expect(next.lastColumnId).toBe(base.lastColumnId + 1);
    expect(next.schema["schema-id"]).toBe(base.schema["schema-id"] + 1);
  });

  it("keeps a removed field in the table schema, and gives it back its id when re-added under the same name", () => {
    const removed = evolve(base, "string id = 1;\nint32 count = 2;");
    expect(removed).toBe(base);
    const readded = evolve(removed, "string id = 1;\nint32 count = 2;\nstring note = 9;");
    expect(valField(readded, "note")?.id).toBe(valField(base, "note")?.id);
    expect(readded.lastColumnId).toBe(base.lastColumnId);
  });

  it("promotes int to long and float to double keeping the id", () => {
    const floats = evolve(base, "string id = 1;\nint32 count = 2;\nstring note = 3;\nfloat ratio = 4;");
    const promoted = evolve(floats, "string id = 1;\nint64 count = 2;\nstring note = 3;\ndouble ratio = 4;");
    expect(valField(promoted, "count")).toEqual({ ...valField(base, "count"), type: "long" });
    expect(valField(promoted, "ratio")).toEqual({ ...valField(floats, "ratio"), type: "double" });
    expect(promoted.lastColumnId).toBe(floats.lastColumnId);
  });

  it("keeps a wider column when the field narrows (int64 back to int32)", () => {
    const promoted = evolve(base, "string id = 1;\nint64 count = 2;\nstring note = 3;");
    const narrowed = evolveSchemaState(promoted, version("string id = 1;\nint32 count = 2;\nstring note = 3;"));
    expect(narrowed.changed).toBe(false);
    expect(valField(narrowed.state, "count")?.type).toBe("long");
  });

  it("retires the old column under a new name and adds a fresh one on an incompatible change", () => {
    const oldNote = valField(base, "note");
    const changed = evolve(base, "string id = 1;\nint32 count = 2;\nint64 note = 3;");
    expect(valField(changed, `note__string_${oldNote?.id ?? 0}`)).toEqual({ ...oldNote, name: `note__string_${oldNote?.id ?? 0}` });
    expect(valField(changed, "note")).toEqual({ id: base.lastColumnId + 1, name: "note", required: false, type: "long" });
  });

  it("adds nested fields inside structs, list elements and map values with fresh ids", () => {
    const point = (fields: string) => `message Point { ${fields} }`;
    const first = evolve(undefined, "Point at = 1;\nrepeated Point path = 2;\nmap<string, Point> named = 3;", point("int32 x = 1;"));
    const second = evolve(first, "Point at = 1;\nrepeated Point path = 2;\nmap<string, Point> named = 3;", point("int32 x = 1; int32 y = 2;"));
    const before = fieldIdsByPath(first.schema);
    const after = fieldIdsByPath(second.schema);
    for (const [path, id] of before) expect(after.get(path)).toBe(id);
    const newIds = ["val.at.y", "val.path.element.y", "val.named.value.y"].map((path) => after.get(path));
    expect(newIds.sort()).toEqual([first.lastColumnId + 1, first.lastColumnId + 2, first.lastColumnId + 3]);
  });

  it("retires a list whose element type changes incompatibly", () => {
    const strings = evolve(undefined, "repeated string codes = 1;");
    const numbers = evolve(strings, "repeated int64 codes = 1;");
    const oldId = valField(strings, "codes")?.id ?? 0;
    expect(valField(numbers, `codes__list_${oldId}`)?.type).toEqual(valField(strings, "codes")?.type);
    expect(valField(numbers, "codes")?.type).toMatchObject({ type: "list", element: "long" });
  });

  it("keeps __raw__ when a topic without a schema gets one", () => {
    const raw = evolveSchemaState(undefined, undefined).state;
    const typed = evolve(raw, "string id = 1;");
    expect(valNames(typed)).toEqual(["__raw__", "id"]);
    expect(valField(typed, "__raw__")?.id).toBe(valField(raw, "__raw__")?.id);
  });
});

describe("field ids across ten schema versions", () => {
  const versions = [
    "string id = 1;\nint32 count = 2;",
    "string id = 1;\nint32 count = 2;\nstring note = 3;",
    "int32 count = 2;\nstring id = 1;\nstring note = 3;\nfloat ratio = 4;",
    "string id = 1;\nint64 count = 2;\nfloat ratio = 4;",
    "string id = 1;\nint64 count = 2;\ndouble ratio = 4;\nint64 note = 5;",
    "string id = 1;\nint64 count = 2;\ndouble ratio = 4;\nstring note = 5;\nrepeated string tags = 6;",
    "string id = 1;\nint64 count = 2;\nrepeated int32 tags = 6;",
    "string id = 1;\nint64 count = 2;\nrepeated int32 tags = 6;\nmap<string, string> labels = 7;",
    "bytes id = 1;\nint64 count = 2;\nmap<string, int64> labels = 7;",
    "string id = 1;\nint32 count = 2;\nstring note = 3;\nfloat ratio = 4;",
  ];

  it("are stable, never reassigned and never reused", () => {
    let state: SchemaState | undefined;
    const pathOfId = new Map<number, string>();
    const idOfPath = new Map<string, number>();
    const retiredPaths = new Set<string>();
    for (const body of versions) {
      const previous = state;
      state = evolve(previous, body);
      expect(state.lastColumnId).toBeGreaterThanOrEqual(previous?.lastColumnId ?? 0);
      const ids = fieldIdsByPath(state.schema);
      expect(new Set(ids.values()).size).toBe(ids.size);
      for (const [path, id] of ids) {
        expect(id).toBeLessThanOrEqual(state.lastColumnId);
        const knownPath = pathOfId.get(id);
        if (knownPath === undefined) {
          expect(id).toBeGreaterThan(previous?.lastColumnId ?? 0);
          pathOfId.set(id, path);
        } else if (knownPath !== path) {
          // The only way an id changes path: its column was retired under a new name.
          expect(path).toMatch(/__[a-z0-9_]+_\d+/);
          retiredPaths.add(knownPath);
          pathOfId.set(id, path);
        }
        const knownId = idOfPath.get(path);
        if (knownId !== undefined && knownId !== id) expect(retiredPaths.has(path)).toBe(true);
        idOfPath.set(path, id);
      }
      // Nothing once in the table ever leaves it.
      for (const id of pathOfId.keys()) expect([...ids.values()]).toContain(id);
    }
    expect(retiredPaths.size).toBeGreaterThan(0);
  });
});

describe("empty messages and points of recursion (SPEC.md §3)", () => {
  const event = compileFixtureMessage("empty/event.proto", "Event");
  const eventV2 = compileFixtureMessage("empty/event_v2.proto", "Event");

  it("have no column and take no id", () => {
    const { state } = evolveSchemaState(undefined, event);
    expect(valNames(state)).toEqual(["id", "tree", "department", "count", "error"]);
    const ids = [...fieldIdsByPath(state.schema).values()].sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: state.lastColumnId }, (_, index) => index + 1));
  });

  it("become struct columns with fresh ids once their message gains fields", () => {
    const first = evolveSchemaState(undefined, event).state;
    const { state, changed } = evolveSchemaState(first, eventV2);
    expect(changed).toBe(true);
    expect(valNames(state)).toEqual(["id", "tree", "department", "count", "error", "marker", "markers", "markers_by_name"]);
    for (const [path, id] of fieldIdsByPath(first.schema)) expect(fieldIdsByPath(state.schema).get(path)).toBe(id);
    const newIds = [...fieldIdsByPath(state.schema)].filter(([path]) => !fieldIdsByPath(first.schema).has(path)).map(([, id]) => id);
    expect(Math.min(...newIds)).toBe(first.lastColumnId + 1);
    expect(valField(state, "markers_by_name")?.type).toMatchObject({ type: "map", key: "string", value: { type: "struct", fields: [{ name: "note", type: "string" }] } });
  });

  it("are dropped from a schema state that holds them (an empty struct, a list or map of one, nested too), ids never reused", () => {
    const current = evolveSchemaState(undefined, eventV2).state;
    const empty: StructType = { type: "struct", fields: [] };
    const val = current.schema.fields.find((field) => field.name === "val")?.type as StructType;
    let id = current.lastColumnId;
    const legacyFields: NestedField[] = [
      { id: ++id, name: "ping", required: false, type: empty },
      { id: ++id, name: "pings", required: false, type: { type: "list", "element-id": ++id, "element-required": false, element: empty } },
      { id: ++id, name: "flags", required: false, type: { type: "map", "key-id": ++id, key: "string", "value-id": ++id, "value-required": false, value: empty } },
      // A field no longer in the message, holding an empty struct beside a value.
      { id: ++id, name: "gone", required: false, type: { type: "struct", fields: [{ id: ++id, name: "kept", required: false, type: "int" }, { id: ++id, name: "hollow", required: false, type: empty }] } },
    ];
    const keptId = id - 1;
    // The tree's point of recursion, as states written before SPEC.md §3 changed held it.
    const tree = val.fields.find((field) => field.name === "tree") as NestedField;
    const legacyTree: NestedField = { ...tree, type: { type: "struct", fields: [...(tree.type as StructType).fields, { id: ++id, name: "left", required: false, type: empty }] } };
    const legacy: SchemaState = {
      formatVersion: 1,
      lastColumnId: id,
      schema: {
        ...current.schema,
        fields: current.schema.fields.map((field) => (field.name === "val" ? { ...field, type: { type: "struct", fields: [...val.fields.map((f) => (f.name === "tree" ? legacyTree : f)), ...legacyFields] } } : field)),
      },
    };
    const { state, changed } = evolveSchemaState(legacy, eventV2);
    expect(changed).toBe(true);
    expect(state.lastColumnId).toBe(legacy.lastColumnId);
    expect(state.schema["schema-id"]).toBe(legacy.schema["schema-id"] + 1);
    expect(valNames(state)).toEqual([...valNames(current), "gone"]);
    expect(valField(state, "gone")?.type).toEqual({ type: "struct", fields: [{ id: keptId, name: "kept", required: false, type: "int" }] });
    expect(valField(state, "tree")).toEqual(tree);
    expect(evolveSchemaState(state, eventV2).changed).toBe(false);
  });

  it("give a fresh id to a field whose dropped empty column had another", () => {
    const first = evolveSchemaState(undefined, event).state;
    const val = first.schema.fields.find((field) => field.name === "val")?.type as StructType;
    const oldMarkerId = first.lastColumnId + 1;
    const legacy: SchemaState = {
      formatVersion: 1,
      lastColumnId: oldMarkerId,
      schema: { ...first.schema, fields: first.schema.fields.map((field) => (field.name === "val" ? { ...field, type: { type: "struct", fields: [...val.fields, { id: oldMarkerId, name: "marker", required: false, type: { type: "struct", fields: [] } }] } } : field)) },
    };
    const { state } = evolveSchemaState(legacy, eventV2);
    const marker = valField(state, "marker");
    expect(marker?.id).toBeGreaterThan(oldMarkerId);
    expect(marker?.type).toMatchObject({ type: "struct", fields: [{ name: "note", type: "string" }] });
  });

  it("refuse a new table whose value message has no field that maps to a column, naming val", () => {
    const nothing = compileFixtureMessage("empty/nothing.proto", "Nothing");
    expect(() => evolveSchemaState(undefined, nothing)).toThrow(/^field val: no field of the message maps to a column/);
    expect(() => evolveSchemaState(undefined, nothing)).toThrow(expect.objectContaining({ code: "SCHEMA_INVALID", fieldPath: "val" }) as Error);
  });

  it("keep a table whose message lost its last column-worthy field: the old columns stay", () => {
    const first = evolve(undefined, "string id = 1;");
    const { state } = evolveSchemaState(first, compileFixtureMessage("empty/nothing.proto", "Nothing"));
    expect(state).toBe(first);
  });
});
