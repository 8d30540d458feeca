// Rows → leaf columns with repetition and definition levels (the Dremel encoding of the
// Parquet format): one walk over each row fills every leaf column at once. A null or empty
// container gives each leaf under it one slot at the level where the value stops. A slot
// holds a value exactly when its definition level is the leaf's maximum.
import { ExportError } from "../core/errors.js";
import { giveBuffer, takeBuffer } from "./buffer-pool.js";
import { LeafValues, appendValue, releaseValues, valueAt, valueKind } from "./leaf-values.js";
import type { LayoutNode, LeafColumn, ParquetLayout } from "./parquet-schema.js";

export type LevelArray = Uint8Array | Uint16Array;

export interface ShreddedColumn {
  /** Slots filled: entries of the level arrays in use. */
  slots: number;
  /** The values of the slots that hold one, in slot order. */
  values: LeafValues;
  /** One level per slot. Typed arrays: a batch has hundreds of thousands of slots. */
  definitionLevels: LevelArray;
  /** Empty for a column outside every list and map. */
  repetitionLevels: LevelArray;
}

/** Shreds `rows[start]` up to (not including) `rows[end]`, each row an object keyed by top-level column name. */
export function shredRows(layout: ParquetLayout, rows: readonly object[], start: number, end: number): ShreddedColumn[] {
  const columns = emptyColumns(layout, end - start);
  for (let index = start; index < end; index++) shredRow(layout, rows[index] as Record<string, unknown>, columns);
  return sealColumns(columns);
}

/** Empty leaf columns; every leaf has at least one slot per row, lists and maps may need more, and grow. */
export function emptyColumns(layout: ParquetLayout, expectedRows: number): ShreddedColumn[] {
  // Repeated leaves need a non-empty repetition array to grow: an empty one marks a flat column.
  const slots = Math.max(16, expectedRows);
  return layout.leaves.map((leaf): ShreddedColumn => ({
    slots: 0,
    values: new LeafValues(valueKind(leaf.type), slots),
    definitionLevels: levelArray(leaf.maxDefinitionLevel, slots),
    repetitionLevels: levelArray(leaf.maxRepetitionLevel, leaf.maxRepetitionLevel > 0 ? slots : 0),
  }));
}

export function shredRow(layout: ParquetLayout, row: Record<string, unknown>, columns: ShreddedColumn[]): void {
  for (const field of layout.root.fields) shredValue(field.node, row[field.name], 0, columns);
}

/** The columns with their level arrays cut to the slots filled. */
export function sealColumns(columns: ShreddedColumn[]): ShreddedColumn[] {
  for (const column of columns) {
    const { slots } = column;
    column.definitionLevels = column.definitionLevels.subarray(0, slots);
    if (column.repetitionLevels.length > 0) column.repetitionLevels = column.repetitionLevels.subarray(0, slots);
  }
  return columns;
}

export function shredValue(node: LayoutNode, value: unknown, repetitionLevel: number, columns: ShreddedColumn[]): void {
  if (value === null || value === undefined) {
    // The slot stops where this node's parent is defined.
    emitEmpty(node.leaves, repetitionLevel, node.definitionLevel - 1, columns);
    return;
  }
  switch (node.kind) {
    case "leaf":
      emit(node.column, columns, value, repetitionLevel, node.definitionLevel);
      return;
    case "struct": {
      const struct = value as Record<string, unknown>;
      for (const field of node.fields) shredValue(field.node, struct[field.name], repetitionLevel, columns);
      return;
    }
    case "list": {
      const elements = value as readonly unknown[];
      if (elements.length === 0) {
        emitEmpty(node.leaves, repetitionLevel, node.definitionLevel, columns);
        return;
      }
      for (let index = 0; index < elements.length; index++) {
        shredValue(node.element, elements[index], index === 0 ? repetitionLevel : node.repetitionLevel, columns);
      }
      return;
    }
    case "map": {
      const entries = value as ReadonlyMap<unknown, unknown>;
      if (entries.size === 0) {
        emitEmpty(node.leaves, repetitionLevel, node.definitionLevel, columns);
        return;
      }
      let entryRepetition = repetitionLevel;
      for (const [key, entryValue] of entries) {
        if (key === null || key === undefined) throw new ExportError("INTERNAL", `map column ${node.key.column.path.join(".")} got a null key`);
        emit(node.key.column, columns, key, entryRepetition, node.key.definitionLevel);
        shredValue(node.value, entryValue, entryRepetition, columns);
        entryRepetition = node.repetitionLevel;
      }
      return;
    }
  }
}

export function emit(leaf: LeafColumn, columns: ShreddedColumn[], value: unknown, repetitionLevel: number, definitionLevel: number): void {
  const column = claimSlot(leaf, columns, repetitionLevel, definitionLevel);
  if (value !== null) appendValue(column.values, leaf.type, value, leaf.path);
}

/** A new slot at the given levels; a caller at the leaf's maximum definition level appends the value to `values`. */
export function claimSlot(leaf: LeafColumn, columns: ShreddedColumn[], repetitionLevel: number, definitionLevel: number): ShreddedColumn {
  const column = columns[leaf.index] as ShreddedColumn;
  const slot = column.slots;
  if (slot === column.definitionLevels.length) grow(column);
  column.definitionLevels[slot] = definitionLevel;
  if (leaf.maxRepetitionLevel > 0) column.repetitionLevels[slot] = repetitionLevel;
  column.slots = slot + 1;
  return column;
}

/** The slots' values in row form, null where a slot holds none. */
export function slotValues(leaf: LeafColumn, column: ShreddedColumn): unknown[] {
  const result: unknown[] = [];
  let next = 0;
  for (let slot = 0; slot < column.slots; slot++) result.push(column.definitionLevels[slot] === leaf.maxDefinitionLevel ? valueAt(column.values, leaf.type, next++) : null);
  return result;
}

function emitEmpty(leaves: readonly LeafColumn[], repetitionLevel: number, definitionLevel: number, columns: ShreddedColumn[]): void {
  for (const leaf of leaves) emit(leaf, columns, null, repetitionLevel, definitionLevel);
}

function grow(column: ShreddedColumn): void {
  column.definitionLevels = grown(column.definitionLevels);
  if (column.repetitionLevels.length > 0) column.repetitionLevels = grown(column.repetitionLevels);
}

function grown(levels: LevelArray): LevelArray {
  const larger = levels instanceof Uint8Array ? levelArray(0, Math.max(16, levels.length * 2)) : levelArray(0x100, Math.max(16, levels.length * 2));
  larger.set(levels);
  giveBuffer(levels.buffer);
  return larger;
}

function levelArray(maxLevel: number, length: number): LevelArray {
  return maxLevel <= 0xff ? new Uint8Array(takeBuffer(length), 0, length) : new Uint16Array(takeBuffer(length * 2), 0, length);
}

/** Hands the columns' buffers back for the next batch's columns (buffer-pool.ts): the columns must not be used again. */
export function releaseColumns(columns: readonly ShreddedColumn[]): void {
  for (const column of columns) {
    releaseValues(column.values);
    giveBuffer(column.definitionLevels.buffer);
    giveBuffer(column.repetitionLevels.buffer);
    column.definitionLevels = new Uint8Array(0);
    column.repetitionLevels = new Uint8Array(0);
    column.slots = 0;
  }
}
