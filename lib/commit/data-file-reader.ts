// A data file this system wrote → its table rows, in the schema a merged file is written
// with (SPEC.md §3, §4). Columns are matched by Iceberg field id, as every Iceberg reader
// matches them, and rows are assembled from the stored levels by walking the schema's
// Parquet layout: the exact inverse of lib/parquet/column-shredding.ts, so that a row
// written and read back is the row that was written. A column the file does not hold (added
// by a later schema) reads as null. So do empty structs, and anything holding nothing but
// them: Parquet files leave them out (parquet-schema.ts), so whether a row had `{}` or null
// there is not in the file, and null is what every Iceberg reader of the original file sees.
import { isPrimitive, type IcebergSchema, type IcebergType, type StructType } from "../iceberg/types.js";
import { parquetLayout, type LayoutNode, type LeafColumn, type StructNode } from "../parquet/parquet-schema.js";
import type { TableRow } from "../schema/table-row.js";
import { readStoredColumns, type StoredLeafColumn } from "./stored-columns.js";
import { storedValueForm, type StoredValueForm } from "./stored-value-forms.js";
import { UnmergeableFileError } from "./unmergeable-file-error.js";

/** A leaf column being read: where its next slot and next value are. */
interface ColumnCursor {
  stored: StoredLeafColumn;
  form: StoredValueForm;
  slot: number;
  value: number;
}

export function readDataFileRows(schema: IcebergSchema, bytes: Uint8Array): TableRow[] {
  const stored = readStoredColumns(bytes);
  const layout = parquetLayout(schema);
  const cursors = columnCursors(layout.leaves, stored.columns);
  const reader = { cursors, cursorsUnder: new Map<LayoutNode, ColumnCursor[]>() };
  const rows: TableRow[] = [];
  for (let row = 0; row < stored.rowCount; row++) rows.push(readStruct(schema, layout.root, reader) as unknown as TableRow);
  for (const cursor of cursors.values()) {
    if (cursor.slot !== cursor.stored.definitionLevels.length || cursor.value !== cursor.stored.values.length) {
      throw new UnmergeableFileError(`column ${cursor.stored.fieldId} holds more slots than its ${stored.rowCount} rows use`);
    }
  }
  return rows;
}

interface RowReader {
  cursors: Map<number, ColumnCursor>;
  cursorsUnder: Map<LayoutNode, ColumnCursor[]>;
}

function columnCursors(leaves: readonly LeafColumn[], columns: ReadonlyMap<number, StoredLeafColumn>): Map<number, ColumnCursor> {
  const byFieldId = new Map(leaves.map((leaf) => [leaf.fieldId, leaf]));
  const cursors = new Map<number, ColumnCursor>();
  for (const stored of columns.values()) {
    const leaf = byFieldId.get(stored.fieldId);
    if (leaf === undefined) throw new UnmergeableFileError(`column ${stored.fieldId} is not in schema: merging would drop it`);
    if (leaf.maxDefinitionLevel !== stored.maxDefinitionLevel || leaf.maxRepetitionLevel !== stored.maxRepetitionLevel) {
      throw new UnmergeableFileError(`column ${stored.fieldId} is nested differently in the file than in the schema`);
    }
    cursors.set(stored.fieldId, { stored, form: storedValueForm(leaf.type, stored.element), slot: 0, value: 0 });
  }
  return cursors;
}

function readStruct(type: StructType, node: StructNode, reader: RowReader): Record<string, unknown> {
  const placed = new Map(node.fields.map((field) => [field.name, field.node]));
  const struct: Record<string, unknown> = {};
  for (const field of type.fields) {
    const fieldNode = placed.get(field.name);
    struct[field.name] = fieldNode === undefined ? null : readValue(field.type, fieldNode, reader);
  }
  return struct;
}

function readValue(type: IcebergType, node: LayoutNode, reader: RowReader): unknown {
  const cursors = cursorsUnder(node, reader);
  const probe = cursors[0];
  if (probe === undefined) return null;
  const level = definitionLevel(probe);
  if (level < node.definitionLevel) return skipSlot(cursors, null);
  if (node.kind === "leaf") return takeValue(probe);
  if (isPrimitive(type)) throw new UnmergeableFileError(`a nested column in the file is ${type} in the schema`);
  if (node.kind === "struct" && type.type === "struct") return readStruct(type, node, reader);
  if (node.kind === "list" && type.type === "list") {
    if (level === node.definitionLevel) return skipSlot(cursors, []);
    const elements: unknown[] = [];
    do elements.push(readValue(type.element, node.element, reader));
    while (repetitionLevel(probe) === node.repetitionLevel);
    return elements;
  }
  if (node.kind === "map" && type.type === "map") {
    if (level === node.definitionLevel) return skipSlot(cursors, new Map());
    const entries = new Map<unknown, unknown>();
    do entries.set(readValue(type.key, node.key, reader), readValue(type.value, node.value, reader));
    while (repetitionLevel(probe) === node.repetitionLevel);
    return entries;
  }
  throw new UnmergeableFileError(`a ${node.kind} in the file is a ${type.type} in the schema`);
}

function cursorsUnder(node: LayoutNode, reader: RowReader): ColumnCursor[] {
  let cursors = reader.cursorsUnder.get(node);
  if (cursors === undefined) {
    cursors = node.leaves.flatMap((leaf) => reader.cursors.get(leaf.fieldId) ?? []);
    reader.cursorsUnder.set(node, cursors);
  }
  return cursors;
}

function definitionLevel(cursor: ColumnCursor): number {
  const level = cursor.stored.definitionLevels[cursor.slot];
  if (level === undefined) throw new UnmergeableFileError(`column ${cursor.stored.fieldId} ends before its rows do`);
  return level;
}

/** The repetition level of the next slot; 0 (a new row) past the end. */
function repetitionLevel(cursor: ColumnCursor): number {
  return cursor.stored.repetitionLevels[cursor.slot] ?? 0;
}

// A null or empty value gives each leaf under it one slot (column-shredding.ts, emitEmpty).
function skipSlot<T>(cursors: readonly ColumnCursor[], value: T): T {
  for (const cursor of cursors) cursor.slot++;
  return value;
}

function takeValue(cursor: ColumnCursor): unknown {
  cursor.slot++;
  return cursor.form(cursor.stored.values[cursor.value++]);
}
