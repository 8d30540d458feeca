// google.protobuf.Struct, Value and ListValue are written as the JSON text they stand for
// (SPEC.md §3). Their wire layout is fixed by struct.proto, so they are read here directly.
import { MalformedPayload, WireType, enterLength, fieldTag, leaveLength, readDouble, readLengthDelimitedEnd, readString, readTag, readVarint32, skipField, type Cursor } from "./protobuf-reader.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const maxJsonDepth = 100;

export type JsonMessageKind = "struct" | "value" | "list";

/** Reads a Struct, Value or ListValue message occupying the cursor up to `end` and returns its JSON text. */
export function readJsonMessage(cursor: Cursor, end: number, kind: JsonMessageKind): string {
  const value = kind === "struct" ? readStruct(cursor, end, 0) : kind === "list" ? readList(cursor, end, 0) : readValue(cursor, end, 0);
  return JSON.stringify(value);
}

function within<T>(cursor: Cursor, end: number, read: () => T): T {
  const outerEnd = enterLength(cursor, end);
  const value = read();
  leaveLength(cursor, outerEnd);
  return value;
}

function readStruct(cursor: Cursor, end: number, depth: number): { [key: string]: Json } {
  if (depth > maxJsonDepth) throw new MalformedPayload("google.protobuf.Struct nested too deeply");
  // A null prototype, so that a key named "__proto__" is an ordinary key.
  const fields = Object.create(null) as { [key: string]: Json };
  within(cursor, end, () => {
    while (cursor.pos < cursor.end) {
      const tag = readTag(cursor);
      if (tag === fieldTag(1, WireType.lengthDelimited)) {
        const [key, value] = readStructEntry(cursor, readLengthDelimitedEnd(cursor), depth);
        fields[key] = value;
      } else skipField(cursor, tag & 7, tag >>> 3);
    }
  });
  return fields;
}

function readStructEntry(cursor: Cursor, end: number, depth: number): [string, Json] {
  let key = "";
  let value: Json = null;
  within(cursor, end, () => {
    while (cursor.pos < cursor.end) {
      const tag = readTag(cursor);
      if (tag === fieldTag(1, WireType.lengthDelimited)) key = readString(cursor);
      else if (tag === fieldTag(2, WireType.lengthDelimited)) value = readValue(cursor, readLengthDelimitedEnd(cursor), depth + 1);
      else skipField(cursor, tag & 7, tag >>> 3);
    }
  });
  return [key, value];
}

function readList(cursor: Cursor, end: number, depth: number): Json[] {
  if (depth > maxJsonDepth) throw new MalformedPayload("google.protobuf.ListValue nested too deeply");
  const values: Json[] = [];
  within(cursor, end, () => {
    while (cursor.pos < cursor.end) {
      const tag = readTag(cursor);
      if (tag === fieldTag(1, WireType.lengthDelimited)) values.push(readValue(cursor, readLengthDelimitedEnd(cursor), depth + 1));
      else skipField(cursor, tag & 7, tag >>> 3);
    }
  });
  return values;
}

// Value is a oneof; the last member on the wire wins, as for any oneof.
function readValue(cursor: Cursor, end: number, depth: number): Json {
  if (depth > maxJsonDepth) throw new MalformedPayload("google.protobuf.Value nested too deeply");
  let value: Json = null;
  within(cursor, end, () => {
    while (cursor.pos < cursor.end) {
      const tag = readTag(cursor);
      const fieldNumber = tag >>> 3;
      const wireType = tag & 7;
      if (fieldNumber === 1 && wireType === WireType.varint) {
        readVarint32(cursor);
        value = null;
      } else if (fieldNumber === 2 && wireType === WireType.fixed64) value = readDouble(cursor);
      else if (fieldNumber === 3 && wireType === WireType.lengthDelimited) value = readString(cursor);
      else if (fieldNumber === 4 && wireType === WireType.varint) value = readVarint32(cursor) !== 0;
      else if (fieldNumber === 5 && wireType === WireType.lengthDelimited) value = readStruct(cursor, readLengthDelimitedEnd(cursor), depth + 1);
      else if (fieldNumber === 6 && wireType === WireType.lengthDelimited) value = readList(cursor, readLengthDelimitedEnd(cursor), depth + 1);
      else skipField(cursor, wireType, fieldNumber);
    }
  });
  return value;
}
