// Wire value → typed leaf column (lib/parquet/leaf-values.ts) without a JS value in between,
// for the columnar decoder's common leaves: strings and bytes are copied as bytes (strings
// checked as UTF-8), 64-bit integers as two 32-bit words, enums as their names' UTF-8
// bytes, Timestamp and Duration as microseconds. Each gives the column what the row
// decoder's value for the same bytes gives it; any other leaf reads that value and appends it.
import { isUtf8 } from "node:buffer";
import protobuf from "protobufjs";
import type { IcebergType, PrimitiveType } from "../iceberg/types.js";
import { appendByteRange, appendDouble, endBytes, reserveBytes, appendInt32, appendInt64, appendInt64Number, appendInt64Words, appendString, appendValue, type LeafValues } from "../parquet/leaf-values.js";
import { MalformedPayload, readFixed64Words, readLengthDelimitedEnd, readVarint32, readVarint64Words, varintWords, type Cursor } from "./protobuf-reader.js";
import type { ValueReader } from "./record-decoder.js";
import { readSecondsAndNanosAsMicros } from "./timestamp-micros.js";
import { wellKnownMapping } from "../schema/well-known-types.js";

/** Reads one value whose tag was just read and appends it to `values`. */
export type LeafAppender = (cursor: Cursor, values: LeafValues, fieldNumber: number) => void;

/** The appender of one value of `field` (an element, for repeated fields and maps) into a `column` leaf read by `reader`. */
export function leafAppender(field: protobuf.Field | protobuf.MapField, column: IcebergType, reader: ValueReader, path: readonly string[]): LeafAppender {
  const generic: LeafAppender = (cursor, values, fieldNumber) => appendValue(values, column as PrimitiveType, reader.read(cursor, fieldNumber, undefined), path);
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    const kind = wellKnownMapping(resolved.fullName)?.kind;
    return (kind === "timestamp" && column === "timestamptz") || (kind === "duration" && column === "long") ? appendMicros : generic;
  }
  if (resolved instanceof protobuf.Enum) return column === "string" ? enumAppender(resolved.values) : generic;
  return scalarAppender(field.type, column) ?? generic;
}

/** The scalar appender for a field of `type` into `column`, when there is one faster than the generic way. */
export function scalarAppender(type: string, column: IcebergType): LeafAppender | undefined {
  if (column === "string" && type === "string") return appendUtf8;
  if (column === "binary" && type === "bytes") return appendBytes;
  if (column === "long") {
    switch (type) {
      case "int64":
        return appendInt64Varint;
      case "sint64":
        return appendSint64;
      case "sfixed64":
        return appendFixed64;
      case "int32":
        return (cursor, values) => appendInt64Number(values, readVarint32(cursor) | 0);
      case "uint32":
        return (cursor, values) => appendInt64Number(values, readVarint32(cursor));
    }
  }
  if (column === "int" && type === "int32") return (cursor, values) => appendInt32(values, readVarint32(cursor) | 0);
  if (column === "double" && type === "double") return appendDoubleValue;
  if (column === "boolean" && type === "bool") return (cursor, values) => appendInt32(values, readBoolean(cursor) ? 1 : 0);
  return undefined;
}

function appendUtf8(cursor: Cursor, values: LeafValues): void {
  const end = readLengthDelimitedEnd(cursor);
  const start = cursor.pos;
  cursor.pos = end;
  const source = cursor.bytes;
  const length = end - start;
  const at = reserveBytes(values, length);
  const target = values.bytes;
  // Copy and look for non-ASCII bytes in one pass; only those strings need the full check.
  let high = 0;
  for (let index = 0; index < length; index++) {
    const byte = source[start + index] as number;
    high |= byte;
    target[at + index] = byte;
  }
  if (high < 0x80) {
    endBytes(values, at + length);
    return;
  }
  if (!isUtf8(source.subarray(start, end))) throw new MalformedPayload("string is not valid UTF-8");
  // The row decoder's TextDecoder drops a leading byte order mark; so must the bytes.
  if (source[start] === 0xef && source[start + 1] === 0xbb && source[start + 2] === 0xbf) {
    target.copyWithin(at, at + 3, at + length);
    endBytes(values, at + length - 3);
  } else endBytes(values, at + length);
}

function appendBytes(cursor: Cursor, values: LeafValues): void {
  const end = readLengthDelimitedEnd(cursor);
  appendByteRange(values, cursor.bytes, cursor.pos, end);
  cursor.pos = end;
}

function appendInt64Varint(cursor: Cursor, values: LeafValues): void {
  readVarint64Words(cursor);
  appendInt64Words(values, varintWords[0] as number, varintWords[1] as number);
}

function appendSint64(cursor: Cursor, values: LeafValues): void {
  readVarint64Words(cursor);
  const low = varintWords[0] as number;
  const high = varintWords[1] as number;
  // Zigzag over the two words: (n >>> 1) ^ -(n & 1).
  const sign = -(low & 1);
  appendInt64Words(values, ((low >>> 1) | (high << 31)) ^ sign, (high >>> 1) ^ sign);
}

function appendFixed64(cursor: Cursor, values: LeafValues): void {
  readFixed64Words(cursor);
  appendInt64Words(values, varintWords[0] as number, varintWords[1] as number);
}

const doubleBytes = new Uint8Array(8);
const doubleView = new DataView(doubleBytes.buffer);

function appendDoubleValue(cursor: Cursor, values: LeafValues): void {
  if (cursor.end - cursor.pos < 8) throw new MalformedPayload("truncated fixed-width value");
  const { bytes, pos } = cursor;
  for (let index = 0; index < 8; index++) doubleBytes[index] = bytes[pos + index] as number;
  cursor.pos = pos + 8;
  appendDouble(values, doubleView.getFloat64(0, true));
}

function readBoolean(cursor: Cursor): boolean {
  readVarint64Words(cursor);
  return varintWords[0] !== 0 || varintWords[1] !== 0;
}

/** Enum values as their names; a number without a name as its decimal digits (SPEC.md §3). */
function enumAppender(enumValues: Readonly<Record<string, number>>): LeafAppender {
  const names = new Map<number, Uint8Array>();
  const utf8 = new TextEncoder();
  for (const [name, number] of Object.entries(enumValues)) if (!names.has(number)) names.set(number, utf8.encode(name));
  return (cursor, values) => {
    const number = readVarint32(cursor) | 0;
    const name = names.get(number);
    if (name === undefined) appendString(values, String(number));
    else appendByteRange(values, name, 0, name.length);
  };
}

// Timestamp and Duration as microseconds (timestamp-micros.ts), bounded by their length.
function appendMicros(cursor: Cursor, values: LeafValues): void {
  const end = readLengthDelimitedEnd(cursor);
  const outerEnd = cursor.end;
  cursor.end = end;
  const micros = readSecondsAndNanosAsMicros(cursor);
  if (cursor.pos !== end) throw new MalformedPayload("embedded message overruns its length");
  cursor.end = outerEnd;
  if (typeof micros === "number") {
    appendInt64Number(values, micros);
    return;
  }
  // Past the range of a long: the row decoder's value, which the writer refuses, decides.
  if (BigInt.asIntN(64, micros) !== micros) throw new MalformedPayload("microseconds out of the range of a long");
  appendInt64(values, micros);
}
