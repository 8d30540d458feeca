// Protobuf payload → row value of the table's `val` struct (SPEC.md §3). The decoder is
// compiled once per (message type, Iceberg struct) pair into a plan keyed by field number,
// and reads the wire format straight into values of the Iceberg column types; fields the
// table does not know are skipped (unknown fields are dropped). A payload that cannot be
// decoded gives `{ ok: false, reason }`, never an exception. The plan is built for the
// ingest path's throughput: fields found by array index, rows made from a template, no
// closure or object allocated per field read.
import protobuf from "protobufjs";
import { ExportError } from "../core/errors.js";
import { hasLeaves, isPrimitive, type IcebergType, type StructType } from "../iceberg/types.js";
import { readJsonMessage, type JsonMessageKind } from "./json-value.js";
import {
  MalformedPayload,
  WireType,
  cursorOver,
  enterLength,
  fieldTag,
  leaveLength,
  readLengthDelimitedEnd,
  readTag,
  skipField,
  type Cursor,
} from "./protobuf-reader.js";
import { enumCodec, scalarCodec, type ScalarCodec } from "./scalar-readers.js";
import { SchemaMappingError } from "../schema/schema-mapping-error.js";
import { readSecondsAndNanosAsMicros } from "./timestamp-micros.js";
import type { MapValue, StructValue } from "../schema/table-row.js";
import { wellKnownMapping } from "../schema/well-known-types.js";


export type DecodedRecord = { ok: true; value: StructValue } | { ok: false; reason: string };

export type RecordDecoder = (payload: Uint8Array) => DecodedRecord;

export interface ValueReader {
  wireType: number;
  packable: boolean;
  /** Reads one value whose tag was just read; `existing` is merged into for messages. */
  read(cursor: Cursor, fieldNumber: number, existing: unknown): unknown;
  /** The value an absent map-entry value takes: the type's default, or an empty message. */
  emptyValue(): unknown;
}

interface FieldPlan {
  apply(cursor: Cursor, wireType: number, fieldNumber: number, target: StructValue): void;
}

interface MessagePlan {
  newValue(): StructValue;
  /** Field plans by field number, for numbers below its length. */
  denseFields: (FieldPlan | undefined)[];
  /** Field plans of larger field numbers. */
  sparseFields: Map<number, FieldPlan>;
}

// Field numbers below this are looked up in an array; protobuf schemas rarely go higher.
const denseFieldLimit = 1024;

/**
 * Fails with SCHEMA_INVALID when the table's `val` struct cannot hold the message: the
 * schema state was not evolved with this message type.
 */
export function createRecordDecoder(messageType: protobuf.Type, valStruct: StructType): RecordDecoder {
  let plan: MessagePlan;
  try {
    plan = messagePlan(messageType, valStruct);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof SchemaMappingError)) throw error;
    throw new ExportError("SCHEMA_INVALID", `the table schema does not fit message ${messageType.fullName.slice(1)}: ${error.message}`, { cause: error });
  }
  return function decodeRecord(payload: Uint8Array): DecodedRecord {
    try {
      const cursor = cursorOver(payload);
      return { ok: true, value: decodeMessageBody(cursor, plan, undefined) };
    } catch (error) {
      if (error instanceof MalformedPayload) return { ok: false, reason: error.message };
      // Out-of-range reads or a stack overflow on hostile input are invalid records too.
      if (error instanceof RangeError) return { ok: false, reason: `malformed payload (${error.message})` };
      throw error;
    }
  };
}

function decodeMessageBody(cursor: Cursor, plan: MessagePlan, existing: unknown, groupNumber?: number): StructValue {
  const target = isStructValue(existing) ? existing : plan.newValue();
  const { denseFields, sparseFields } = plan;
  while (cursor.pos < cursor.end) {
    const tag = readTag(cursor);
    const fieldNumber = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === WireType.endGroup) {
      if (fieldNumber === groupNumber) return target;
      throw new MalformedPayload(`unexpected end of group ${fieldNumber}`);
    }
    const field = fieldNumber < denseFields.length ? denseFields[fieldNumber] : sparseFields.get(fieldNumber);
    if (field === undefined) skipField(cursor, wireType, fieldNumber);
    else field.apply(cursor, wireType, fieldNumber, target);
  }
  if (groupNumber !== undefined) throw new MalformedPayload(`group ${groupNumber} is not closed`);
  return target;
}

function isStructValue(value: unknown): value is StructValue {
  return typeof value === "object" && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value) && !(value instanceof Map);
}

function messagePlan(type: protobuf.Type, struct: StructType): MessagePlan {
  const columns = new Map(struct.fields.map((column) => [column.name, column.type]));
  const absentValues = new Map<string, () => unknown>(struct.fields.map((column) => [column.name, () => null]));
  const denseFields: (FieldPlan | undefined)[] = [];
  const sparseFields = new Map<number, FieldPlan>();
  for (const field of type.fieldsArray) {
    const column = columns.get(field.name);
    // Not in the table, or a column that holds nothing (SPEC.md §3): the field's data is
    // skipped; a oneof member still clears the others, as protobuf's last member wins.
    let plan: FieldPlan | undefined;
    if (column === undefined || !hasLeaves(column)) plan = skippedOneofMemberPlan(field);
    else {
      const valuePlan = fieldPlan(field, column);
      absentValues.set(field.name, valuePlan.absentValue);
      plan = valuePlan;
    }
    if (plan === undefined) continue;
    if (field.id < denseFieldLimit) denseFields[field.id] = plan;
    else sparseFields.set(field.id, plan);
  }
  // A packed array, holes filled, so that a lookup never leaves the fast elements path.
  const dense = Array.from({ length: denseFields.length }, (_, number) => denseFields[number]);
  return { denseFields: dense, sparseFields, newValue: structValueFactory(absentValues) };
}

/**
 * Absent values that are primitives are shared through a template that each new value is
 * copied from; lists, maps and structs are made fresh for every value.
 */
function structValueFactory(absentValues: ReadonlyMap<string, () => unknown>): () => StructValue {
  const template: StructValue = {};
  const fresh: [string, () => unknown][] = [];
  for (const [name, make] of absentValues) {
    const value = make();
    const shared = value === null || typeof value !== "object";
    template[name] = shared ? value : null;
    if (!shared) fresh.push([name, make]);
  }
  if (fresh.length === 0) return () => ({ ...template });
  return function newStructValue() {
    const value = { ...template };
    for (const [name, make] of fresh) value[name] = make();
    return value;
  };
}

function fieldPlan(field: protobuf.Field | protobuf.MapField, column: IcebergType): FieldPlan & { absentValue: () => unknown } {
  const name = field.name;
  if (field instanceof protobuf.MapField) return mapFieldPlan(field, column);
  if (field.repeated) {
    if (isPrimitive(column) || column.type !== "list") throw schemaMismatch(field, column);
    const element = valueReader(field, column.element);
    return {
      absentValue: () => [],
      apply(cursor, wireType, fieldNumber, target) {
        const values = target[name] as unknown[];
        if (wireType === WireType.lengthDelimited && element.packable) {
          const outerEnd = enterLength(cursor, readLengthDelimitedEnd(cursor));
          while (cursor.pos < cursor.end) values.push(element.read(cursor, fieldNumber, undefined));
          leaveLength(cursor, outerEnd);
        } else if (wireType === element.wireType) values.push(element.read(cursor, fieldNumber, undefined));
        else skipField(cursor, wireType, fieldNumber);
      },
    };
  }
  const reader = valueReader(field, column);
  const hasPresence = field.hasPresence || field.resolvedType instanceof protobuf.Type;
  const siblings = oneofSiblings(field);
  return {
    absentValue: hasPresence ? () => null : () => reader.emptyValue(),
    apply(cursor, wireType, fieldNumber, target) {
      if (wireType !== reader.wireType) {
        // A known number with another wire type is treated as an unknown field, as protobuf's own parsers do.
        skipField(cursor, wireType, fieldNumber);
        return;
      }
      target[name] = reader.read(cursor, fieldNumber, target[name]);
      // Oneof: the last member on the wire wins and clears the others.
      for (const sibling of siblings) if (sibling in target) target[sibling] = null;
    },
  };
}

function oneofSiblings(field: protobuf.Field): string[] {
  return field.partOf?.fieldsArray.map((member) => member.name).filter((member) => member !== field.name) ?? [];
}

/** A oneof member without a column (an empty message): its value is skipped, the other members cleared. */
function skippedOneofMemberPlan(field: protobuf.Field): FieldPlan | undefined {
  const siblings = oneofSiblings(field);
  if (siblings.length === 0) return undefined;
  const wireType = memberWireType(field);
  return {
    apply(cursor, actualWireType, fieldNumber, target) {
      skipField(cursor, actualWireType, fieldNumber);
      if (actualWireType !== wireType) return;
      for (const sibling of siblings) if (sibling in target) target[sibling] = null;
    },
  };
}

/** The wire type of a oneof member that is a message: a group's start, or a length-delimited value. */
export function memberWireType(field: protobuf.Field): number {
  return field.delimited ? WireType.startGroup : WireType.lengthDelimited;
}

function mapFieldPlan(field: protobuf.MapField, column: IcebergType): FieldPlan & { absentValue: () => unknown } {
  if (isPrimitive(column) || column.type !== "map") throw schemaMismatch(field, column);
  const keyCodec = scalarCodec(field.keyType, column.key);
  const value = valueReader(field, column.value);
  const name = field.name;
  const keyTag = fieldTag(1, keyCodec.wireType);
  const valueTag = fieldTag(2, value.wireType);
  return {
    absentValue: () => new Map(),
    apply(cursor, wireType, fieldNumber, target) {
      if (wireType !== WireType.lengthDelimited) {
        skipField(cursor, wireType, fieldNumber);
        return;
      }
      const outerEnd = enterLength(cursor, readLengthDelimitedEnd(cursor));
      let key: unknown = keyCodec.defaultValue();
      let entryValue: unknown;
      while (cursor.pos < cursor.end) {
        const tag = readTag(cursor);
        if (tag === keyTag) key = keyCodec.read(cursor);
        else if (tag === valueTag) entryValue = value.read(cursor, 2, entryValue);
        else skipField(cursor, tag & 7, tag >>> 3);
      }
      leaveLength(cursor, outerEnd);
      (target[name] as MapValue).set(key, entryValue === undefined ? value.emptyValue() : entryValue);
    },
  };
}

/** The reader of one value of `field` (an element, for repeated fields and maps) into `column`. */
export function valueReader(field: protobuf.Field | protobuf.MapField, column: IcebergType): ValueReader {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    if (wellKnownMapping(resolved.fullName) === undefined && (isPrimitive(column) || column.type !== "struct")) throw schemaMismatch(field, column);
    return messageReader(resolved, column, field instanceof protobuf.Field && field.delimited);
  }
  if (resolved instanceof protobuf.Enum) {
    if (column !== "string") throw schemaMismatch(field, column);
    return scalarValueReader(enumCodec(resolved.values));
  }
  try {
    return scalarValueReader(scalarCodec(field.type, column));
  } catch {
    throw schemaMismatch(field, column);
  }
}

function scalarValueReader(codec: ScalarCodec): ValueReader {
  return { wireType: codec.wireType, packable: codec.packable, read: codec.read, emptyValue: codec.defaultValue };
}

function messageReader(type: protobuf.Type, column: IcebergType, delimited: boolean): ValueReader {
  const readBody = messageBodyReader(type, column);
  const emptyValue = (): unknown => readBody(cursorOver(new Uint8Array(0)), undefined, undefined);
  if (delimited) {
    // proto2 groups: the message runs until the matching end-group tag.
    return { wireType: WireType.startGroup, packable: false, read: (cursor, fieldNumber, existing) => readBody(cursor, existing, fieldNumber), emptyValue };
  }
  return {
    wireType: WireType.lengthDelimited,
    packable: false,
    read(cursor, _fieldNumber, existing) {
      const outerEnd = enterLength(cursor, readLengthDelimitedEnd(cursor));
      const value = readBody(cursor, existing, undefined);
      leaveLength(cursor, outerEnd);
      return value;
    },
    emptyValue,
  };
}

type MessageBodyReader = (cursor: Cursor, existing: unknown, groupNumber: number | undefined) => unknown;

function messageBodyReader(type: protobuf.Type, column: IcebergType): MessageBodyReader {
  const wellKnown = wellKnownMapping(type.fullName);
  if (wellKnown === undefined) {
    if (isPrimitive(column) || column.type !== "struct") throw new TypeError(`message ${type.fullName} cannot fill a ${typeof column === "string" ? column : column.type} column`);
    const plan = messagePlan(type, column);
    return (cursor, existing, groupNumber) => decodeMessageBody(cursor, plan, existing, groupNumber);
  }
  switch (wellKnown.kind) {
    case "timestamp":
    case "duration":
      return (cursor) => {
        const micros = readSecondsAndNanosAsMicros(cursor);
        return typeof micros === "number" ? BigInt(micros) : micros;
      };
    case "wrapper": {
      const codec = scalarCodec(type.fields["value"]?.type ?? "", column);
      return (cursor) => readWrappedValue(cursor, codec);
    }
    case "json": {
      const kind: JsonMessageKind = type.name === "Struct" ? "struct" : type.name === "ListValue" ? "list" : "value";
      return (cursor) => readJsonMessage(cursor, cursor.end, kind);
    }
  }
}

function readWrappedValue(cursor: Cursor, codec: ScalarCodec): unknown {
  let value = codec.defaultValue();
  const valueTag = fieldTag(1, codec.wireType);
  while (cursor.pos < cursor.end) {
    const tag = readTag(cursor);
    if (tag === valueTag) value = codec.read(cursor);
    else skipField(cursor, tag & 7, tag >>> 3);
  }
  return value;
}

function schemaMismatch(field: protobuf.FieldBase, column: IcebergType): SchemaMappingError {
  const columnType = typeof column === "string" ? column : column.type;
  return new SchemaMappingError(field.fullName.replace(/^\./, ""), `its type (${field.repeated ? "repeated " : ""}${field.type}) does not fit its ${columnType} column`);
}
