import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createdByString } from "../../../lib/core/build-info.js";
import type { IcebergType, StructType } from "../../../lib/iceberg/types.js";
import { writeDataFile, type DataFile } from "../../../lib/parquet/data-file-writer.js";
import { createRecordDecoder } from "../../../lib/decode/record-decoder.js";
import { evolveSchemaState } from "../../../lib/schema/schema-state.js";
import type { TableRow } from "../../../lib/schema/table-row.js";
import { readParquetFile, type ArrowField, type ParquetFileReadout } from "../../env/iceberg-reader.js";
import { compileMessage, fixtureProto } from "../../lib/schema/compile-fixture.js";
import { arrowType, compareValues, decodeBound, expectedJson, isLeftOut, parquetLeaves } from "./expected-forms.js";

// Every message of the mapping fixture under one value message: scalars of every type,
// lists and maps of every key type, well-known types, an empty message and recursion.
const everything = compileMessage(
  `${fixtureProto("mapping/all_types.proto")}
message Everything {
  Scalars scalars = 1;
  Collections collections = 2;
  WellKnown well_known = 3;
  TreeNode tree = 4;
  Holder holder = 5;
  Presence presence = 6;
}`,
  "Everything",
);
const { schema } = evolveSchemaState(undefined, everything).state;
const decodeRecord = createRecordDecoder(everything, schema.fields.find((field) => field.name === "val")?.type as StructType);

const bytesOf = (...values: number[]): Uint8Array => Uint8Array.from(values);
const utf8 = new TextEncoder();

const values: Record<string, unknown>[] = [
  {
    scalars: {
      a_bool: true,
      an_int32: -42,
      a_sint32: 2147483647,
      a_sfixed32: -7,
      an_int64: "-9223372036854775808",
      a_sint64: "123",
      a_sfixed64: "9007199254740993",
      a_uint32: 4294967295,
      a_fixed32: 4000000000,
      a_uint64: "18446744073709551615",
      a_fixed64: "12345678901234567890",
      a_float: -1.5,
      a_double: 1e300,
      a_string: "héllo wörld — longer than sixteen code points ✓",
      some_bytes: new Uint8Array(20).fill(0xff),
      a_color: "GREEN",
    },
    collections: {
      tags: ["a", "ß", ""],
      amounts: ["1", "-2"],
      points: [{ x: 1, y: 2 }, { x: -3 }],
      colors: ["RED", "GREEN"],
      by_string: { k: 1, "": -1 },
      by_int32: { "-5": "minus five" },
      by_int64: { "9007199254740993": "big" },
      by_uint32: { "4294967295": "max" },
      by_uint64: { "18446744073709551615": "max" },
      by_sint32: { "-1": "a" },
      by_sint64: { "-9223372036854775808": "min" },
      by_fixed32: { "7": "seven" },
      by_fixed64: { "8": "eight" },
      by_sfixed32: { "-9": "nine" },
      by_sfixed64: { "-10": "ten" },
      by_bool: { true: "yes", false: "no" },
      points_by_name: { origin: { x: 0, y: 0 }, p: { x: 5 } },
    },
    well_known: {
      at: { seconds: 1767225600, nanos: 123456789 },
      took: { seconds: 90, nanos: 500000 },
      w_double: { value: 2.5 },
      w_float: { value: 0.5 },
      w_int64: { value: "-3" },
      w_uint64: { value: "18446744073709551615" },
      w_int32: { value: 7 },
      w_uint32: { value: 4294967295 },
      w_bool: { value: false },
      w_string: { value: "wrapped" },
      w_bytes: { value: bytesOf(1, 2) },
      attributes: { fields: { a: { numberValue: 1 }, b: { stringValue: "x" } } },
      any_value: { boolValue: true },
      list_value: { values: [{ nullValue: 0 }, { numberValue: 2 }] },
      nothing: {},
      history: [{ seconds: 1 }, { seconds: 2, nanos: 1000 }],
    },
    tree: { label: "root", left: { label: "l" }, children: [{ label: "c1" }, { label: "c2" }] },
    holder: { empty: {}, name: "holder" },
    presence: { maybe_count: 0, maybe_name: "n", where: { x: 1 }, email: "a@b" },
  },
  {},
  {
    scalars: { an_int32: 5, a_double: Number.NaN, a_float: 3.25, a_string: "Zürich", an_int64: "77", a_uint64: "0", some_bytes: bytesOf(0), a_color: 7 },
    collections: { tags: [], amounts: ["5"] },
    well_known: { at: { seconds: -1, nanos: 999999999 }, w_double: { value: -0.5 } },
    tree: { label: "solo" },
  },
];

function rowOf(value: Record<string, unknown> | null, extra: Omit<TableRow, "val">): TableRow {
  if (value === null) return { ...extra, val: null };
  const decoded = decodeRecord(everything.encode(everything.fromObject(value)).finish());
  if (!decoded.ok) throw new Error(`fixture record did not decode: ${decoded.reason}`);
  return { ...extra, val: decoded.value };
}

const rows: TableRow[] = [
  rowOf(values[0] ?? null, {
    key: { __raw__: utf8.encode("order-1") },
    headers: [
      { key: "trace-id", value: bytesOf(0xca, 0xfe) },
      { key: "empty", value: null },
    ],
    timestamp: 1_767_225_600_123_456n,
  }),
  rowOf(values[1] ?? null, { key: { __raw__: null }, headers: [], timestamp: 1_767_225_600_000_000n }),
  rowOf(values[2] ?? null, { key: { __raw__: bytesOf(0xff, 0x00) }, headers: [{ key: null, value: bytesOf(0) }], timestamp: 1_767_225_599_999_999n }),
  rowOf(null, { key: { __raw__: utf8.encode("order-1") }, headers: [], timestamp: null }),
];

describe("a data file read back by pyarrow", () => {
  let directory: string;
  let file: DataFile;
  let readout: ParquetFileReadout;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), "data-file-"));
    file = writeDataFile(schema, rows);
    const path = join(directory, "data.parquet");
    writeFileSync(path, file.bytes);
    readout = await readParquetFile(path);
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("is one snappy-compressed row group by this writer", () => {
    // pyarrow reads it back as written, in the form parquet-mr's VersionParser takes apart.
    expect(readout["created-by"]).toBe(createdByString());
    expect(readout["created-by"]).toMatch(/^kafka-iceberg-export version \d+\.\d+\.\d+ \(build (?:[0-9a-f]{12}|unknown)\)$/);
    expect(readout["num-rows"]).toBe(rows.length);
    expect(readout["num-row-groups"]).toBe(1);
    expect(new Set(readout["column-chunks"].map((chunk) => chunk.codec))).toEqual(new Set(["SNAPPY"]));
  });

  it("carries the Iceberg field id and type of every field, nested ones included, and no empty struct", () => {
    expect(readout.schema).toEqual(expectedArrowFields(schema.fields));
    const val = readout.schema.find((field) => field.name === "val");
    const tree = val?.children?.find((field) => field.name === "tree");
    expect(tree?.children?.map((field) => field.name)).toEqual(["label"]);
  });

  it("holds the rows as written", () => {
    expect(readout.rows).toEqual(rows.map((row) => expectedJson(schema, row)));
  });

  it("has metrics that agree with the chunks' counts and sizes as pyarrow reads them", () => {
    const leaves = parquetLeaves(schema);
    expect(readout["column-chunks"].map((chunk) => chunk.path).sort()).toEqual([...leaves.keys()].sort());
    for (const chunk of readout["column-chunks"]) {
      const id = leaves.get(chunk.path)?.id ?? -1;
      expect([chunk.path, file.metrics.valueCounts[id]]).toEqual([chunk.path, chunk["num-values"]]);
      expect([chunk.path, file.metrics.nullValueCounts[id]]).toEqual([chunk.path, chunk.statistics?.["null-count"]]);
      expect([chunk.path, file.metrics.columnSizes[id]]).toEqual([chunk.path, chunk["total-compressed-size"]]);
    }
    expect(Object.keys(file.metrics.valueCounts)).toHaveLength(leaves.size);
  });

  it("counts NaN in float and double columns", () => {
    const aDouble = parquetLeaves(schema).get("val.scalars.a_double")?.id ?? -1;
    expect(file.metrics.nanValueCounts[aDouble]).toBe(1);
    const floatIds = [...parquetLeaves(schema).values()].filter((leaf) => leaf.type === "float" || leaf.type === "double").map((leaf) => String(leaf.id));
    expect(Object.keys(file.metrics.nanValueCounts).sort()).toEqual(floatIds.sort());
  });

  it("bounds exactly the columns reached through structs that hold a value, as the rows and pyarrow's statistics say", () => {
    let bounded = 0;
    for (const [path, leaf] of parquetLeaves(schema)) {
      const present = rows.map((row) => valueAt(row, leaf.names)).filter((value) => value !== null && value !== undefined && !Number.isNaN(value));
      const lower = file.metrics.lowerBounds[leaf.id];
      const upper = file.metrics.upperBounds[leaf.id];
      if (!leaf.structPath || present.length === 0) {
        expect([path, lower, upper]).toEqual([path, undefined, undefined]);
        continue;
      }
      bounded++;
      const [min, max] = extremes(present);
      const statistics = readout["column-chunks"].find((chunk) => chunk.path === path)?.statistics;
      if (leaf.type === "string" || leaf.type === "binary") {
        // Truncated to 16: a prefix below, something at least as large above.
        expect(lower, path).toBeDefined();
        const decodedLower = decodeBound(leaf.type, lower as Uint8Array);
        expect(compareValues(decodedLower, min), path).toBeLessThanOrEqual(0);
        if (upper !== undefined) expect(compareValues(decodeBound(leaf.type, upper), max), path).toBeGreaterThanOrEqual(0);
        continue;
      }
      expect([path, decodeBound(leaf.type, lower as Uint8Array), decodeBound(leaf.type, upper as Uint8Array)]).toEqual([path, min, max]);
      expect([path, expectedJson(leaf.type, min), expectedJson(leaf.type, max)]).toEqual([path, statistics?.min, statistics?.max]);
    }
    expect(Object.keys(file.metrics.lowerBounds)).toHaveLength(bounded);
    expect(bounded).toBeGreaterThan(30);
  });

  it("truncates the bounds of long strings and binary to 16", () => {
    const leaves = parquetLeaves(schema);
    const aString = leaves.get("val.scalars.a_string")?.id ?? -1;
    const someBytes = leaves.get("val.scalars.some_bytes")?.id ?? -1;
    expect(decodeBound("string", file.metrics.lowerBounds[aString] as Uint8Array)).toBe("Zürich");
    expect(decodeBound("string", file.metrics.upperBounds[aString] as Uint8Array)).toBe("héllo wörld — lp");
    expect(file.metrics.lowerBounds[someBytes]).toEqual(bytesOf(0));
    // Twenty 0xFF bytes have no upper bound of 16 bytes or fewer.
    expect(file.metrics.upperBounds[someBytes]).toBeUndefined();
  });
});

function expectedArrowFields(fields: StructType["fields"]): ArrowField[] {
  return fields.filter((field) => !isLeftOut(field.type)).map((field) => expectedArrowField(field.name, field.id, field.type));
}

function expectedArrowField(name: string, id: number, type: IcebergType, nullable = true): ArrowField {
  if (typeof type === "string") return { name, "field-id": id, nullable, type: arrowType(type) };
  const children =
    type.type === "struct"
      ? expectedArrowFields(type.fields)
      : type.type === "list"
        ? [expectedArrowField("element", type["element-id"], type.element)]
        : [expectedArrowField("key", type["key-id"], type.key, false), expectedArrowField("value", type["value-id"], type.value)];
  return { name, "field-id": id, nullable, type: expect.any(String) as string, children };
}

function valueAt(row: TableRow, names: string[]): unknown {
  let value: unknown = row;
  for (const name of names) value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[name];
  return value;
}

function extremes(present: unknown[]): [unknown, unknown] {
  const sorted = [...present].sort(compareValues);
  return [sorted[0], sorted[sorted.length - 1]];
}
