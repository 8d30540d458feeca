// Reading the Protobuf wire format (protobuf.dev, "Encoding"). Every read checks its bounds
// and throws MalformedPayload, which the record decoder turns into "invalid record".

export class MalformedPayload extends Error {}

export interface Cursor {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos: number;
  end: number;
}

export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

export function cursorOver(bytes: Uint8Array): Cursor {
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), pos: 0, end: bytes.length };
}

function nextByte(cursor: Cursor): number {
  if (cursor.pos >= cursor.end) throw new MalformedPayload("truncated varint");
  return cursor.bytes[cursor.pos++] as number;
}

/** The low 32 bits of a varint of up to 10 bytes, unsigned. */
export function readVarint32(cursor: Cursor): number {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = nextByte(cursor);
    value |= (byte & 0x7f) << shift;
    if (byte < 0x80) return value >>> 0;
  }
  // Bytes 6 to 10 of a 64-bit varint carry only high bits: skip them.
  for (let index = 5; index < 10; index++) if (nextByte(cursor) < 0x80) return value >>> 0;
  throw new MalformedPayload("varint longer than 10 bytes");
}

/** A varint of up to 10 bytes as an unsigned 64-bit integer. */
export function readVarint64(cursor: Cursor): bigint {
  let low = 0;
  let multiplier = 1;
  // Seven bytes hold 49 bits, exact in a double: the common case never touches BigInt.
  for (let index = 0; index < 7; index++) {
    const byte = nextByte(cursor);
    low += (byte & 0x7f) * multiplier;
    if (byte < 0x80) return BigInt(low);
    multiplier *= 128;
  }
  let value = BigInt(low);
  for (let index = 7; index < 10; index++) {
    const byte = nextByte(cursor);
    value |= BigInt(byte & 0x7f) << BigInt(7 * index);
    if (byte < 0x80) return BigInt.asUintN(64, value);
  }
  throw new MalformedPayload("varint longer than 10 bytes");
}

export function readFixed32(cursor: Cursor): number {
  return cursor.view.getUint32(claim(cursor, 4), true);
}

export function readSfixed32(cursor: Cursor): number {
  return cursor.view.getInt32(claim(cursor, 4), true);
}

export function readFixed64(cursor: Cursor): bigint {
  return cursor.view.getBigUint64(claim(cursor, 8), true);
}

export function readSfixed64(cursor: Cursor): bigint {
  return cursor.view.getBigInt64(claim(cursor, 8), true);
}

export function readFloat(cursor: Cursor): number {
  return cursor.view.getFloat32(claim(cursor, 4), true);
}

export function readDouble(cursor: Cursor): number {
  return cursor.view.getFloat64(claim(cursor, 8), true);
}

/** Reads a length prefix and returns the end position of the delimited bytes. */
export function readLengthDelimitedEnd(cursor: Cursor): number {
  const length = readVarint32(cursor);
  if (length > cursor.end - cursor.pos) throw new MalformedPayload(`length ${length} runs past the end of the payload`);
  return cursor.pos + length;
}

/** A view of the bytes, not a copy; always a plain Uint8Array, even over a Node Buffer. */
export function readBytes(cursor: Cursor): Uint8Array {
  const end = readLengthDelimitedEnd(cursor);
  const bytes = new Uint8Array(cursor.bytes.buffer, cursor.bytes.byteOffset + cursor.pos, end - cursor.pos);
  cursor.pos = end;
  return bytes;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function readString(cursor: Cursor): string {
  try {
    return utf8.decode(readBytes(cursor));
  } catch (error) {
    if (error instanceof MalformedPayload) throw error;
    throw new MalformedPayload("string is not valid UTF-8");
  }
}

export function zigzag32(value: number): number {
  return (value >>> 1) ^ -(value & 1);
}

export function zigzag64(value: bigint): bigint {
  return (value >> 1n) ^ -(value & 1n);
}

/** Skips the value of a field of `wireType` whose tag was just read. */
export function skipField(cursor: Cursor, wireType: number, fieldNumber: number, depth = 0): void {
  switch (wireType) {
    case WireType.varint:
      readVarint32(cursor);
      return;
    case WireType.fixed64:
      claim(cursor, 8);
      return;
    case WireType.lengthDelimited:
      cursor.pos = readLengthDelimitedEnd(cursor);
      return;
    case WireType.fixed32:
      claim(cursor, 4);
      return;
    case WireType.startGroup:
      skipGroup(cursor, fieldNumber, depth + 1);
      return;
    default:
      throw new MalformedPayload(`field ${fieldNumber}: invalid wire type ${wireType}`);
  }
}

const maxGroupDepth = 100;

function skipGroup(cursor: Cursor, fieldNumber: number, depth: number): void {
  if (depth > maxGroupDepth) throw new MalformedPayload("groups nested too deeply");
  for (;;) {
    const tag = readTag(cursor);
    if (tag.wireType === WireType.endGroup) {
      if (tag.fieldNumber !== fieldNumber) throw new MalformedPayload(`group ${fieldNumber} closed by end of group ${tag.fieldNumber}`);
      return;
    }
    skipField(cursor, tag.wireType, tag.fieldNumber, depth);
  }
}

export function readTag(cursor: Cursor): { fieldNumber: number; wireType: number } {
  const tag = readVarint32(cursor);
  const fieldNumber = tag >>> 3;
  if (fieldNumber === 0) throw new MalformedPayload("field number 0");
  return { fieldNumber, wireType: tag & 7 };
}

function claim(cursor: Cursor, size: number): number {
  const start = cursor.pos;
  if (size > cursor.end - start) throw new MalformedPayload("truncated fixed-width value");
  cursor.pos = start + size;
  return start;
}
