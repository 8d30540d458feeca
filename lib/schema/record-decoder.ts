// Protobuf payload → row value of the table's `val` struct (SPEC.md §3). The decoder is
// compiled once per (message type, Iceberg struct) pair into a plan keyed by field number,
// and reads the wire format straight into values of the Iceberg column types; fields the
// table does not know are skipped (unknown fields are dropped). A payload that cannot be
// decoded gives `{ ok: false, reason }`, never an exception.
import protobuf from "protobufjs";
import { ExportError } from "../core/errors.js";
import { isPrimitive, type IcebergType, type StructType } from "../iceberg/types.js";
import { readJsonMessage, type JsonMessageKind } from "./json-value.js";
import { MalformedPayload, WireType, cursorOver, readLengthDelimitedEnd, readTag, readVarint32, readVarint64, skipField, type Cursor } from "./protobuf-reader.js";
import { enumCodec, scalarCodec, type ScalarCodec } from "./scalar-readers.js";
import { wellKnownMapping } from "./well-known-types.js";

export type StructValue = Record<string, unknown>;

/** A Protobuf map field's value in a row: keys unique, in the order last written. */
export type MapValue = Map<unknown, unknown>;

export type DecodedRecord = { ok: true; value: StructValue } | { ok: false; reason: string };

export type RecordDecoder = (payload: Uint8Array) => DecodedRecord;

interface ValueReader {
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
  fields: Map<number, FieldPlan>;
}

/**
 * Fails with SCHEMA_INVALID when the table's `val` struct cannot hold the message: the
 * schema state was not evolved with this message type.
 */
export function createRecordDecoder(messageType: protobuf.Type, valStruct: StructType): RecordDecoder {
  let plan: MessagePlan;
  try {
    plan = messagePlan(messageType, valStruct);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
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
  while (cursor.pos < cursor.end) {
    const { fieldNumber, wireType } = readTag(cursor);
    if (wireType === WireType.endGroup) {
      if (fieldNumber === groupNumber) return target;
      throw new MalformedPayload(`unexpected end of group ${fieldNumber}`);
    }
    const field = plan.fields.get(fieldNumber);
    if (field === undefined) skipField(cursor, wireType, fieldNumber);
    else field.apply(cursor, wireType, fieldNumber, target);
  }
  if (groupNumber !== undefined) throw new MalformedPayload(`group ${groupNumber} is not closed`);
  return target;
}

function isStructValue(value: unknown): value is StructValue {
  return typeof value === "object" && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value) && !(value instanceof Map);
}

/** Runs `read` over the `end - pos` bytes of an embedded message, which must consume them exactly. */
function withinLength<T>(cursor: Cursor, end: number, read: () => T): T {
  const outerEnd = cursor.end;
  cursor.end = end;
  const value = read();
  if (cursor.pos !== end) throw new MalformedPayload("embedded message overruns its length");
  cursor.end = outerEnd;
  return value;
}

function messagePlan(type: protobuf.Type, struct: StructType): MessagePlan {
  const columns = new Map(struct.fields.map((column) => [column.name, column.type]));
  const absentValues = new Map<string, () => unknown>(struct.fields.map((column) => [column.name, () => null]));
  const fields = new Map<number, FieldPlan>();
  for (const field of type.fieldsArray) {
    const column = columns.get(field.name);
    if (column === undefined) continue;
    const plan = fieldPlan(field, column);
    absentValues.set(field.name, plan.absentValue);
    fields.set(field.id, plan);
  }
  const makers = [...absentValues.entries()];
  return {
    fields,
    newValue() {
      const value: StructValue = {};
      for (const [name, make] of makers) value[name] = make();
      return value;
    },
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
          const end = readLengthDelimitedEnd(cursor);
          withinLength(cursor, end, () => {
            while (cursor.pos < cursor.end) values.push(element.read(cursor, fieldNumber, undefined));
          });
        } else if (wireType === element.wireType) values.push(element.read(cursor, fieldNumber, undefined));
        else skipField(cursor, wireType, fieldNumber);
      },
    };
  }
  const reader = valueReader(field, column);
  const hasPresence = field.hasPresence || field.resolvedType instanceof protobuf.Type;
  const siblings = field.partOf?.fieldsArray.map((member) => member.name).filter((member) => member !== name) ?? [];
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

function mapFieldPlan(field: protobuf.MapField, column: IcebergType): FieldPlan & { absentValue: () => unknown } {
  if (isPrimitive(column) || column.type !== "map") throw schemaMismatch(field, column);
  const keyCodec = scalarCodec(field.keyType, column.key);
  const value = valueReader(field, column.value);
  const name = field.name;
  return {
    absentValue: () => new Map(),
    apply(cursor, wireType, fieldNumber, target) {
      if (wireType !== WireType.lengthDelimited) {
        skipField(cursor, wireType, fieldNumber);
        return;
      }
      const end = readLengthDelimitedEnd(cursor);
      let key: unknown = keyCodec.defaultValue();
      let entryValue: unknown;
      withinLength(cursor, end, () => {
        while (cursor.pos < cursor.end) {
          const tag = readTag(cursor);
          if (tag.fieldNumber === 1 && tag.wireType === keyCodec.wireType) key = keyCodec.read(cursor);
          else if (tag.fieldNumber === 2 && tag.wireType === value.wireType) entryValue = value.read(cursor, 2, entryValue);
          else skipField(cursor, tag.wireType, tag.fieldNumber);
        }
      });
      (target[name] as MapValue).set(key, entryValue === undefined ? value.emptyValue() : entryValue);
    },
  };
}

function valueReader(field: protobuf.Field | protobuf.MapField, column: IcebergType): ValueReader {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return messageReader(resolved, column, field instanceof protobuf.Field && field.delimited);
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
  return { wireType: codec.wireType, packable: codec.packable, read: (cursor) => codec.read(cursor), emptyValue: codec.defaultValue };
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
      const end = readLengthDelimitedEnd(cursor);
      return withinLength(cursor, end, () => readBody(cursor, existing, undefined));
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
      return (cursor) => readSecondsAndNanosAsMicros(cursor);
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

// Timestamp and Duration: seconds (int64) and nanos (int32); microseconds, nanoseconds truncated (SPEC.md §3).
function readSecondsAndNanosAsMicros(cursor: Cursor): bigint {
  let seconds = 0n;
  let nanos = 0;
  while (cursor.pos < cursor.end) {
    const { fieldNumber, wireType } = readTag(cursor);
    if (fieldNumber === 1 && wireType === WireType.varint) seconds = BigInt.asIntN(64, readVarint64(cursor));
    else if (fieldNumber === 2 && wireType === WireType.varint) nanos = readVarint32(cursor) | 0;
    else skipField(cursor, wireType, fieldNumber);
  }
  return seconds * 1_000_000n + BigInt(Math.trunc(nanos / 1000));
}

function readWrappedValue(cursor: Cursor, codec: ScalarCodec): unknown {
  let value = codec.defaultValue();
  while (cursor.pos < cursor.end) {
    const { fieldNumber, wireType } = readTag(cursor);
    if (fieldNumber === 1 && wireType === codec.wireType) value = codec.read(cursor);
    else skipField(cursor, wireType, fieldNumber);
  }
  return value;
}

function schemaMismatch(field: protobuf.FieldBase, column: IcebergType): TypeError {
  const columnType = typeof column === "string" ? column : column.type;
  return new TypeError(`field ${field.fullName} (${field.repeated ? "repeated " : ""}${field.type}) does not fit its ${columnType} column`);
}
