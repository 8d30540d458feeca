// Reading the Protobuf wire format (protobuf.dev, "Encoding"). Every read checks its bounds
// and throws MalformedPayload, which the record decoder turns into "invalid record".
// Written for the ingest path's throughput: no allocation per read beyond the value itself
// (a cursor holds no DataView; fixed-width values go through one shared scratch buffer).

export class MalformedPayload extends Error {}

export interface Cursor {
  readonly bytes: Uint8Array;
  pos: number;
  end: number;
}

export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

export function cursorOver(bytes: Uint8Array): Cursor {
  return { bytes, pos: 0, end: bytes.length };
}

/** The low 32 bits of a varint of up to 10 bytes, unsigned. */
export function readVarint32(cursor: Cursor): number {
  const { bytes, end } = cursor;
  let pos = cursor.pos;
  if (pos < end) {
    const first = bytes[pos] as number;
    if (first < 0x80) {
      cursor.pos = pos + 1;
      return first;
    }
  }
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos >= end) throw new MalformedPayload("truncated varint");
    const byte = bytes[pos++] as number;
    value |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      cursor.pos = pos;
      return value >>> 0;
    }
  }
  // Bytes 6 to 10 of a 64-bit varint carry only high bits: skip them.
  for (let index = 5; index < 10; index++) {
    if (pos >= end) throw new MalformedPayload("truncated varint");
    if ((bytes[pos++] as number) < 0x80) {
      cursor.pos = pos;
      return value >>> 0;
    }
  }
  throw new MalformedPayload("varint longer than 10 bytes");
}

/** A varint of up to 10 bytes as an unsigned 64-bit integer. */
export function readVarint64(cursor: Cursor): bigint {
  const small = readSmallVarint(cursor);
  return small >= 0 ? BigInt(small) : readLongVarint(cursor);
}

/** A varint of up to 10 bytes as a signed 64-bit integer (int64). */
export function readSignedVarint64(cursor: Cursor): bigint {
  const small = readSmallVarint(cursor);
  // Seven bytes hold at most 49 bits: the value is non-negative and already exact.
  return small >= 0 ? BigInt(small) : BigInt.asIntN(64, readLongVarint(cursor));
}

/**
 * The value of a varint of at most seven bytes (49 bits, exact in a double), consumed; or
 * -1 with the cursor left where it was, for a longer varint. The common case of 64-bit
 * fields never touches BigInt.
 */
export function readSmallVarint(cursor: Cursor): number {
  const { bytes, end } = cursor;
  let pos = cursor.pos;
  let value = 0;
  let multiplier = 1;
  for (let index = 0; index < 7; index++) {
    if (pos >= end) throw new MalformedPayload("truncated varint");
    const byte = bytes[pos++] as number;
    value += (byte & 0x7f) * multiplier;
    if (byte < 0x80) {
      cursor.pos = pos;
      return value;
    }
    multiplier *= 128;
  }
  return -1;
}

function readLongVarint(cursor: Cursor): bigint {
  const { bytes, end } = cursor;
  let pos = cursor.pos;
  let value = 0n;
  for (let index = 0; index < 10; index++) {
    if (pos >= end) throw new MalformedPayload("truncated varint");
    const byte = bytes[pos++] as number;
    value |= BigInt(byte & 0x7f) << BigInt(7 * index);
    if (byte < 0x80) {
      cursor.pos = pos;
      return BigInt.asUintN(64, value);
    }
  }
  throw new MalformedPayload("varint longer than 10 bytes");
}

/**
 * A varint of up to 10 bytes as the low and high 32-bit words of a 64-bit integer, into
 * `varintWords`: an int64 column takes the words as they are, with no BigInt per value.
 */
export function readVarint64Words(cursor: Cursor): void {
  const { bytes, end } = cursor;
  let pos = cursor.pos;
  let low = 0;
  let high = 0;
  let byte = 0x80;
  // Bytes 1 to 4 fill bits 0-27; byte 5 bits 28-34, across the two words; bytes 6 to 10 the rest.
  for (let shift = 0; shift < 28 && byte >= 0x80; shift += 7) {
    if (pos >= end) throw new MalformedPayload("truncated varint");
    byte = bytes[pos++] as number;
    low |= (byte & 0x7f) << shift;
  }
  if (byte >= 0x80) {
    if (pos >= end) throw new MalformedPayload("truncated varint");
    byte = bytes[pos++] as number;
    low |= (byte & 0x0f) << 28;
    high = (byte & 0x7f) >> 4;
    for (let shift = 3; shift < 38 && byte >= 0x80; shift += 7) {
      if (pos >= end) throw new MalformedPayload("truncated varint");
      byte = bytes[pos++] as number;
      high |= (byte & 0x7f) << shift;
    }
    if (byte >= 0x80) throw new MalformedPayload("varint longer than 10 bytes");
  }
  cursor.pos = pos;
  varintWords[0] = low;
  varintWords[1] = high;
}

/** The words `readVarint64Words` and `readFixed64Words` give: low, then high. */
export const varintWords = new Int32Array(2);

/** A fixed64 or sfixed64 value as its two little-endian words, into `varintWords`. */
export function readFixed64Words(cursor: Cursor): void {
  const start = claim(cursor, 8);
  const { bytes } = cursor;
  varintWords[0] = (bytes[start] as number) | ((bytes[start + 1] as number) << 8) | ((bytes[start + 2] as number) << 16) | ((bytes[start + 3] as number) << 24);
  varintWords[1] = (bytes[start + 4] as number) | ((bytes[start + 5] as number) << 8) | ((bytes[start + 6] as number) << 16) | ((bytes[start + 7] as number) << 24);
}

// Fixed-width values are copied into this buffer and read through its view: a DataView per
// payload would cost an allocation per record.
const scratch = new Uint8Array(8);
const scratchView = new DataView(scratch.buffer);

function loadScratch(cursor: Cursor, size: number): DataView {
  const start = claim(cursor, size);
  const { bytes } = cursor;
  for (let index = 0; index < size; index++) scratch[index] = bytes[start + index] as number;
  return scratchView;
}

export function readFixed32(cursor: Cursor): number {
  return loadScratch(cursor, 4).getUint32(0, true);
}

export function readSfixed32(cursor: Cursor): number {
  return loadScratch(cursor, 4).getInt32(0, true);
}

export function readFixed64(cursor: Cursor): bigint {
  return loadScratch(cursor, 8).getBigUint64(0, true);
}

export function readSfixed64(cursor: Cursor): bigint {
  return loadScratch(cursor, 8).getBigInt64(0, true);
}

export function readFloat(cursor: Cursor): number {
  return loadScratch(cursor, 4).getFloat32(0, true);
}

export function readDouble(cursor: Cursor): number {
  return loadScratch(cursor, 8).getFloat64(0, true);
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

// Up to this length an ASCII string is built by hand, which is cheaper than a view plus a
// call into TextDecoder; anything else goes to the decoder, which rejects invalid UTF-8.
const handBuiltStringLength = 32;

export function readString(cursor: Cursor): string {
  const end = readLengthDelimitedEnd(cursor);
  const start = cursor.pos;
  cursor.pos = end;
  if (end - start <= handBuiltStringLength) {
    const ascii = asciiString(cursor.bytes, start, end);
    if (ascii !== undefined) return ascii;
  }
  try {
    return utf8.decode(new Uint8Array(cursor.bytes.buffer, cursor.bytes.byteOffset + start, end - start));
  } catch {
    throw new MalformedPayload("string is not valid UTF-8");
  }
}

// Reused for every short string: fromCharCode over it gives a flat string in one step.
const charCodes: number[] = [];

/** The bytes as a string when they are all ASCII (and so valid UTF-8); undefined otherwise. */
function asciiString(bytes: Uint8Array, start: number, end: number): string | undefined {
  const length = end - start;
  charCodes.length = length;
  for (let index = 0; index < length; index++) {
    const byte = bytes[start + index] as number;
    if (byte >= 0x80) return undefined;
    charCodes[index] = byte;
  }
  return String.fromCharCode.apply(null, charCodes);
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
    if ((tag & 7) === WireType.endGroup) {
      if (tag >>> 3 !== fieldNumber) throw new MalformedPayload(`group ${fieldNumber} closed by end of group ${tag >>> 3}`);
      return;
    }
    skipField(cursor, tag & 7, tag >>> 3, depth);
  }
}

/** The tag a field of `fieldNumber` and `wireType` starts with. */
export function fieldTag(fieldNumber: number, wireType: number): number {
  return ((fieldNumber << 3) | wireType) >>> 0;
}

/** A field's tag: the field number is `tag >>> 3`, the wire type `tag & 7`. */
export function readTag(cursor: Cursor): number {
  const tag = readVarint32(cursor);
  if (tag >>> 3 === 0) throw new MalformedPayload("field number 0");
  return tag;
}

/**
 * Narrows the cursor to an embedded message ending at `end`; returns the end to restore
 * with `leaveLength`.
 */
export function enterLength(cursor: Cursor, end: number): number {
  const outerEnd = cursor.end;
  cursor.end = end;
  return outerEnd;
}

/** Restores the cursor after an embedded message, which must have been consumed exactly. */
export function leaveLength(cursor: Cursor, outerEnd: number): void {
  if (cursor.pos !== cursor.end) throw new MalformedPayload("embedded message overruns its length");
  cursor.end = outerEnd;
}

function claim(cursor: Cursor, size: number): number {
  const start = cursor.pos;
  if (size > cursor.end - start) throw new MalformedPayload("truncated fixed-width value");
  cursor.pos = start + size;
  return start;
}
