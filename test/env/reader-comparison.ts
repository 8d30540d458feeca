// pyiceberg and Iceberg-Java must see the same table: schemas with field ids, snapshots,
// the current snapshot's data files with their statistics as each decodes them, and the rows.
import { expect } from "vitest";
import type { IcebergField, IcebergTableReadout, IcebergType } from "./iceberg-reader.js";
import type { JavaTableReadout } from "./java-iceberg.js";

export function expectReadersAgree(pyiceberg: IcebergTableReadout, java: JavaTableReadout, what: string): void {
  const label = (part: string): string => `Iceberg-Java and pyiceberg disagree on ${part} of ${what}`;
  expect(java["format-version"], label("the format version")).toBe(pyiceberg["format-version"]);
  expect(java["current-schema-id"], label("the current schema")).toBe(pyiceberg["current-schema-id"]);
  expect(java.schemas.map(schemaForm), label("the schemas")).toEqual(pyiceberg.schemas.map(schemaForm));
  expect(java["current-snapshot-id"], label("the current snapshot")).toEqual(pyiceberg["current-snapshot-id"]);
  expect(sortedBy(java.snapshots, (snapshot) => String(snapshot["snapshot-id"])), label("the snapshots")).toEqual(
    sortedBy(pyiceberg.snapshots, (snapshot) => String(snapshot["snapshot-id"])),
  );
  expect(sortedBy(java["data-files"].map(fileForm), (file) => file.path), label("the data files and their statistics")).toEqual(
    sortedBy(pyiceberg["data-files"].map(fileForm), (file) => file.path),
  );
  expect(sortedRows(java.rows), label("the rows")).toEqual(sortedRows(pyiceberg.rows));
}

function schemaForm(schema: { "schema-id": number; fields: IcebergField[] }): unknown {
  return { "schema-id": schema["schema-id"], fields: schema.fields.map(fieldForm) };
}

// Only what both print: Java's schema JSON may also carry docs and defaults.
function fieldForm(field: IcebergField): unknown {
  return { id: field.id, name: field.name, required: field.required, type: typeForm(field.type) };
}

function typeForm(type: IcebergType): unknown {
  if (typeof type === "string") return type;
  switch (type.type) {
    case "struct":
      return { type: "struct", fields: type.fields.map(fieldForm) };
    case "list":
      return { type: "list", "element-id": type["element-id"], "element-required": type["element-required"], element: typeForm(type.element) };
    case "map":
      return {
        type: "map",
        "key-id": type["key-id"],
        key: typeForm(type.key),
        "value-id": type["value-id"],
        "value-required": type["value-required"],
        value: typeForm(type.value),
      };
  }
}

interface ComparableFile {
  path: string;
  "record-count": number;
  "value-counts": unknown;
  "null-value-counts": unknown;
  "nan-value-counts": unknown;
  "lower-bounds": unknown;
  "upper-bounds": unknown;
}

function fileForm(file: ComparableFile): ComparableFile {
  return {
    // Java prints local paths without a file: scheme where pyiceberg may keep one.
    path: file.path.replace(/^file:(\/\/)?/, ""),
    "record-count": file["record-count"],
    "value-counts": file["value-counts"],
    "null-value-counts": file["null-value-counts"],
    "nan-value-counts": file["nan-value-counts"],
    "lower-bounds": file["lower-bounds"],
    "upper-bounds": file["upper-bounds"],
  };
}

function sortedBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((left, right) => (key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0));
}

/** Rows as canonical JSON (object keys sorted), sorted: neither reader promises an order. */
function sortedRows(rows: Record<string, unknown>[]): string[] {
  return rows.map((row) => JSON.stringify(canonical(row))).sort();
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
        .map(([key, item]) => [key, canonical(item)]),
    );
  }
  return value;
}
