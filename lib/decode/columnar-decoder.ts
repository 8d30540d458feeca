// Protobuf payload → the leaf columns of the table's `val` struct, with their definition and
// repetition levels, without a row object in between: the ingest path's fast way to the
// same columns that shredding the row decoder's value gives. What it does not handle
// itself (a field repeated where the last one wins or messages merge, a oneof set twice, a
// map key given twice, proto2 groups) or cannot decode is left to the row decoder: the
// record's slots are rolled back first, so a failed record never leaves a partial row.
import { claimSlot, emit, shredValue, type ShreddedColumn } from "../parquet/column-shredding.js";
import { sameValues, truncateValues } from "../parquet/leaf-values.js";
import type { LeafColumn, ParquetLayout, StructNode } from "../parquet/parquet-schema.js";
import { ExportError } from "../core/errors.js";
import { columnarMessagePlan, type ColumnarMessagePlan, type ElementPlan, type FieldPlan } from "./columnar-plan.js";
import { MalformedPayload, WireType, enterLength, leaveLength, readLengthDelimitedEnd, readTag, skipField, type Cursor } from "./protobuf-reader.js";
import type { DecodedRecord } from "./record-decoder.js";
import { createValueDecoder, type ValueDecoderOptions } from "./value-decoder.js";

export type ColumnsDecoding = { ok: true } | { ok: false; reason: string };

/**
 * Appends one record value (null for a tombstone) to the `val` leaves of `columns`, which
 * hold `rowCount` rows: every row has put exactly one slot at repetition level 0 in each leaf.
 */
export type ColumnarValueDecoder = (value: Uint8Array | null, columns: ShreddedColumn[], rowCount: number) => ColumnsDecoding;

/** Thrown where the columnar path hands the record to the row decoder. */
class LeftToRowDecoder extends Error {}

const leftToRowDecoder = new LeftToRowDecoder("left to the row decoder");
const decoded: ColumnsDecoding = { ok: true };
// A Confluent frame of the first message of its schema: magic byte, schema id, index [0].
const firstMessageFrameLength = 6;
// Maps longer than this are not checked for repeated keys here, but by the row decoder.
const maxScannedMapEntries = 256;

export function createColumnarValueDecoder(options: ValueDecoderOptions, layout: ParquetLayout): ColumnarValueDecoder {
  const decodeRow = createValueDecoder(options);
  const valNode = layout.root.fields.find((field) => field.name === "val")?.node as StructNode;
  const { messageType, valStruct, wireFormat = "confluent" } = options;
  const plan = messageType === undefined ? undefined : columnarMessagePlan(messageType, valStruct, valNode);
  // A failed record is rolled back leaf by leaf. A leaf outside lists and maps had `rowCount`
  // slots before it; a repeated leaf's slots and values are marked before each record.
  const flatLeaves = valNode.leaves.filter((leaf) => leaf.maxRepetitionLevel === 0);
  const leafIndexes = valNode.leaves.filter((leaf) => leaf.maxRepetitionLevel > 0).map((leaf) => leaf.index);
  const slotMarks = new Int32Array(leafIndexes.length);
  const valueMarks = new Int32Array(leafIndexes.length);

  function decodeByRow(value: Uint8Array, columns: ShreddedColumn[]): ColumnsDecoding {
    const row: DecodedRecord = decodeRow(value);
    if (!row.ok) return row;
    shredValue(valNode, row.value, 0, columns);
    return decoded;
  }

  return function decodeValueInto(value, columns, rowCount) {
    if (value === null) {
      shredValue(valNode, null, 0, columns);
      return decoded;
    }
    const start = payloadStart(value, wireFormat);
    if (plan === undefined || start < 0) return decodeByRow(value, columns);
    for (let index = 0; index < leafIndexes.length; index++) {
      const column = columns[leafIndexes[index] as number] as ShreddedColumn;
      slotMarks[index] = column.slots;
      valueMarks[index] = column.values.count;
    }
    try {
      decodeMessageInto({ bytes: value, pos: start, end: value.length }, plan, columns, 0);
      return decoded;
    } catch (error) {
      if (!(error instanceof LeftToRowDecoder || error instanceof MalformedPayload || error instanceof RangeError)) throw error;
    }
    for (let index = 0; index < leafIndexes.length; index++) {
      const column = columns[leafIndexes[index] as number] as ShreddedColumn;
      column.slots = slotMarks[index] as number;
      truncateValues(column.values, valueMarks[index] as number);
    }
    for (const leaf of flatLeaves) rollBackFlatLeaf(leaf, columns[leaf.index] as ShreddedColumn, rowCount);
    return decodeByRow(value, columns);
  };
}

/** Drops the slot (and value) a failed record gave a leaf outside lists and maps, if it got to it. */
function rollBackFlatLeaf(leaf: LeafColumn, column: ShreddedColumn, rowCount: number): void {
  const extra = column.slots - rowCount;
  if (extra === 0) return;
  if (extra !== 1) throw new ExportError("INTERNAL", `column ${leaf.path.join(".")} has ${column.slots} slots for ${rowCount} rows and a record`);
  if (column.definitionLevels[rowCount] === leaf.maxDefinitionLevel) truncateValues(column.values, column.values.count - 1);
  column.slots = rowCount;
}

/** Where the Protobuf payload starts, or -1 for a frame the row decoder's unframing must read. */
function payloadStart(value: Uint8Array, wireFormat: string): number {
  if (wireFormat === "raw") return 0;
  return value.length >= firstMessageFrameLength && value[0] === 0 && value[5] === 0 ? firstMessageFrameLength : -1;
}

function decodeMessageInto(cursor: Cursor, plan: ColumnarMessagePlan, columns: ShreddedColumn[], repetitionLevel: number): void {
  const { denseFields, sparseFields, seen, members } = plan;
  seen.fill(0);
  plan.oneofSeen.fill(0);
  while (cursor.pos < cursor.end) {
    const tag = readTag(cursor);
    const fieldNumber = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === WireType.endGroup) throw leftToRowDecoder;
    const field = fieldNumber < denseFields.length ? denseFields[fieldNumber] : sparseFields.get(fieldNumber);
    if (field === undefined) skipField(cursor, wireType, fieldNumber);
    else applyField(cursor, field, wireType, fieldNumber, plan, columns, repetitionLevel);
  }
  for (const member of members) if (seen[member.slot] === 0) shredValue(member.node, member.absentValue(), repetitionLevel, columns);
}

function applyField(cursor: Cursor, field: FieldPlan, wireType: number, fieldNumber: number, plan: ColumnarMessagePlan, columns: ShreddedColumn[], repetitionLevel: number): void {
  switch (field.kind) {
    case "value":
      if (wireType === elementWireType(field.element)) readSingleValue(cursor, field, fieldNumber, plan, columns, repetitionLevel);
      else skipField(cursor, wireType, fieldNumber);
      return;
    case "list":
      readListElements(cursor, field, wireType, fieldNumber, plan, columns, repetitionLevel);
      return;
    case "map":
      if (wireType === WireType.lengthDelimited) readMapEntry(cursor, field, plan, columns, repetitionLevel);
      else skipField(cursor, wireType, fieldNumber);
      return;
    case "rowOnly":
      throw leftToRowDecoder;
    case "skippedOneofMember":
      if (wireType === field.wireType) {
        // Another member already read: which one wins is the row decoder's to settle.
        if (plan.oneofSeen[field.oneof] === 1) throw leftToRowDecoder;
        plan.oneofSeen[field.oneof] = 1;
      }
      skipField(cursor, wireType, fieldNumber);
      return;
  }
}

type SingleValuePlan = Extract<FieldPlan, { kind: "value" }>;

function readSingleValue(cursor: Cursor, field: SingleValuePlan, fieldNumber: number, plan: ColumnarMessagePlan, columns: ShreddedColumn[], repetitionLevel: number): void {
  if (plan.seen[field.slot] === 1) throw leftToRowDecoder;
  if (field.oneof >= 0) {
    if (plan.oneofSeen[field.oneof] === 1) throw leftToRowDecoder;
    plan.oneofSeen[field.oneof] = 1;
  }
  plan.seen[field.slot] = 1;
  readElement(cursor, field.element, fieldNumber, columns, repetitionLevel);
}

function elementWireType(element: ElementPlan): number {
  return element.kind === "leaf" ? element.reader.wireType : WireType.lengthDelimited;
}

function readElement(cursor: Cursor, element: ElementPlan, fieldNumber: number, columns: ShreddedColumn[], repetitionLevel: number): void {
  if (element.kind === "leaf") {
    appendLeaf(cursor, element, fieldNumber, columns, repetitionLevel);
    return;
  }
  const outerEnd = enterLength(cursor, readLengthDelimitedEnd(cursor));
  decodeMessageInto(cursor, element.plan, columns, repetitionLevel);
  leaveLength(cursor, outerEnd);
}

function appendLeaf(cursor: Cursor, element: Extract<ElementPlan, { kind: "leaf" }>, fieldNumber: number, columns: ShreddedColumn[], repetitionLevel: number): void {
  const { node } = element;
  // The value first: a value that fails to read leaves no slot behind (rollBackFlatLeaf counts on it).
  element.append(cursor, (columns[node.column.index] as ShreddedColumn).values, fieldNumber);
  claimSlot(node.column, columns, repetitionLevel, node.definitionLevel);
}

type ListPlan = Extract<FieldPlan, { kind: "list" }>;

function readListElements(cursor: Cursor, field: ListPlan, wireType: number, fieldNumber: number, plan: ColumnarMessagePlan, columns: ShreddedColumn[], repetitionLevel: number): void {
  const { element } = field;
  if (wireType === WireType.lengthDelimited && element.kind === "leaf" && element.reader.packable) {
    const outerEnd = enterLength(cursor, readLengthDelimitedEnd(cursor));
    while (cursor.pos < cursor.end) appendLeaf(cursor, element, fieldNumber, columns, nextElementLevel(field, plan, repetitionLevel));
    leaveLength(cursor, outerEnd);
  } else if (wireType === elementWireType(element)) readElement(cursor, element, fieldNumber, columns, nextElementLevel(field, plan, repetitionLevel));
  else skipField(cursor, wireType, fieldNumber);
}

/** The repetition level of the next element of a list or map: the parent's for the first one. */
function nextElementLevel(field: { slot: number; node: { repetitionLevel: number } }, plan: ColumnarMessagePlan, repetitionLevel: number): number {
  if (plan.seen[field.slot] === 1) return field.node.repetitionLevel;
  plan.seen[field.slot] = 1;
  return repetitionLevel;
}

type MapPlan = Extract<FieldPlan, { kind: "map" }>;

function readMapEntry(cursor: Cursor, field: MapPlan, plan: ColumnarMessagePlan, columns: ShreddedColumn[], parentLevel: number): void {
  const keyNode = field.node.key;
  const keyColumn = columns[keyNode.column.index] as ShreddedColumn;
  const firstEntry = plan.seen[field.slot] === 0;
  if (firstEntry) plan.firstSlots[field.slot] = keyColumn.values.count;
  const repetitionLevel = nextElementLevel(field, plan, parentLevel);
  const outerEnd = enterLength(cursor, readLengthDelimitedEnd(cursor));
  let hasKey = false;
  let hasValue = false;
  while (cursor.pos < cursor.end) {
    const tag = readTag(cursor);
    if (tag === field.keyTag) {
      if (hasKey) throw leftToRowDecoder;
      hasKey = true;
      field.appendKey(cursor, claimSlot(keyNode.column, columns, repetitionLevel, keyNode.definitionLevel).values, 1);
    } else if (tag === field.valueTag) {
      if (hasValue) throw leftToRowDecoder;
      hasValue = true;
      readElement(cursor, field.value, 2, columns, repetitionLevel);
    } else skipField(cursor, tag & 7, tag >>> 3);
  }
  leaveLength(cursor, outerEnd);
  if (!hasKey) emit(keyNode.column, columns, field.key.defaultValue(), repetitionLevel, keyNode.definitionLevel);
  if (!hasValue) shredValue(field.node.value, field.emptyValue(), repetitionLevel, columns);
  if (!firstEntry) requireNewKey(keyColumn, plan.firstSlots[field.slot] as number);
}

/** A key given twice keeps its first place with the last value, as the row decoder's Map does: left to it. */
function requireNewKey(keyColumn: ShreddedColumn, firstKey: number): void {
  const { values } = keyColumn;
  const last = values.count - 1;
  if (last - firstKey > maxScannedMapEntries) throw leftToRowDecoder;
  for (let index = firstKey; index < last; index++) if (sameValues(values, index, last)) throw leftToRowDecoder;
}
