// The non-null values of one leaf column, in typed arrays laid out as Parquet's PLAIN
// encoding stores them: a batch holds hundreds of thousands of values, and one JS string,
// BigInt or Uint8Array per value was the ingest path's largest cost (allocation, garbage
// collection, UTF-8 encoding at write time). Strings are kept as their UTF-8 bytes, 64-bit
// integers as little-endian pairs of 32-bit words, decimals, UUIDs and fixed as their
// FIXED_LEN_BYTE_ARRAY bytes. Rows in their usual value forms (table-row.ts) go in through
// `appendValue` and come out through `valueAt`.
import { ExportError } from "../core/errors.js";
import { parseDecimal, type PrimitiveType } from "../iceberg/types.js";
import { giveBuffer, takeBuffer } from "./buffer-pool.js";
import { decimalBytes } from "./primitive-columns.js";

const noDoubles = new Float64Array(0);
const noBytes = new Uint8Array(0);

function int32s(length: number): Int32Array {
  return new Int32Array(takeBuffer(length * 4), 0, length);
}

function float64s(length: number): Float64Array {
  return new Float64Array(takeBuffer(length * 8), 0, length);
}

function uint8s(length: number): Uint8Array {
  return new Uint8Array(takeBuffer(length), 0, length);
}

/** Hands the values' buffers back to the pool (buffer-pool.ts); `values` is empty afterwards. */
export function releaseValues(values: LeafValues): void {
  giveBuffer(values.words.buffer);
  giveBuffer(values.doubles.buffer);
  giveBuffer(values.bytes.buffer);
  giveBuffer(values.offsets.buffer);
  values.words = int32s(0);
  values.doubles = noDoubles;
  values.bytes = noBytes;
  values.offsets = int32s(1);
  values.count = 0;
}

export type ValueKind = "boolean" | "int32" | "int64" | "float" | "double" | "bytes";

export class LeafValues {
  count = 0;
  /** boolean (0/1) and int32: one word per value; int64: low word, then high word. */
  words: Int32Array;
  doubles: Float64Array;
  /** The bytes of every value, back to back; value `i` is `bytes[offsets[i]..offsets[i + 1])`. */
  bytes: Uint8Array;
  offsets: Int32Array;

  constructor(
    readonly kind: ValueKind,
    capacity: number,
  ) {
    const wordsPerValue = kind === "int64" ? 2 : kind === "int32" || kind === "boolean" ? 1 : 0;
    this.words = int32s(capacity * wordsPerValue);
    this.doubles = kind === "float" || kind === "double" ? float64s(capacity) : noDoubles;
    this.bytes = kind === "bytes" ? uint8s(capacity * 8) : noBytes;
    this.offsets = kind === "bytes" ? int32s(capacity + 1) : int32s(1);
    this.offsets[0] = 0;
  }

  /** The end of the bytes in use. */
  get byteEnd(): number {
    return this.offsets[this.count] as number;
  }
}

export function valueKind(type: PrimitiveType): ValueKind {
  switch (type) {
    case "boolean":
      return "boolean";
    case "int":
    case "date":
      return "int32";
    case "long":
    case "time":
    case "timestamp":
    case "timestamptz":
      return "int64";
    case "float":
      return "float";
    case "double":
      return "double";
    default:
      return "bytes";
  }
}

/** Drops the values from `count` on: a record that failed to decode leaves nothing behind. */
export function truncateValues(values: LeafValues, count: number): void {
  values.count = count;
}

export function appendInt32(values: LeafValues, value: number): void {
  const index = values.count;
  if (index === values.words.length) values.words = grownWords(values.words, index + 1);
  values.words[index] = value;
  values.count = index + 1;
}

/** A 64-bit integer from its low and high 32 bits (either signed or unsigned). */
export function appendInt64Words(values: LeafValues, low: number, high: number): void {
  const index = values.count * 2;
  if (index === values.words.length) values.words = grownWords(values.words, index + 2);
  values.words[index] = low;
  values.words[index + 1] = high;
  values.count++;
}

const twoTo32 = 4294967296;

/** A 64-bit integer given as a double, exact below 2^53 in magnitude. */
export function appendInt64Number(values: LeafValues, value: number): void {
  const high = Math.floor(value / twoTo32);
  appendInt64Words(values, value - high * twoTo32, high);
}

const maxExact = BigInt(Number.MAX_SAFE_INTEGER);
const minExact = -maxExact;

export function appendInt64(values: LeafValues, value: bigint): void {
  // Through a double where it is exact: no BigInt arithmetic, so no BigInt allocated.
  if (value <= maxExact && value >= minExact) appendInt64Number(values, Number(value));
  else appendInt64Words(values, Number(BigInt.asIntN(32, value)), Number(BigInt.asIntN(32, value >> 32n)));
}

export function appendDouble(values: LeafValues, value: number): void {
  const index = values.count;
  if (index === values.doubles.length) {
    const larger = float64s(Math.max(16, index * 2));
    larger.set(values.doubles);
    giveBuffer(values.doubles.buffer);
    values.doubles = larger;
  }
  values.doubles[index] = value;
  values.count = index + 1;
}

/** Room for `length` more bytes; returns where they go. Follow with `endBytes`. */
export function reserveBytes(values: LeafValues, length: number): number {
  const start = values.offsets[values.count] as number;
  if (start + length > values.bytes.length) {
    const larger = uint8s(Math.max(start + length, values.bytes.length * 2, 64));
    larger.set(values.bytes.subarray(0, start));
    giveBuffer(values.bytes.buffer);
    values.bytes = larger;
  }
  return start;
}

/** Closes the value whose bytes end at `end`. */
export function endBytes(values: LeafValues, end: number): void {
  const index = values.count + 1;
  if (index === values.offsets.length) {
    const larger = int32s(Math.max(16, index * 2));
    larger.set(values.offsets);
    giveBuffer(values.offsets.buffer);
    values.offsets = larger;
  }
  values.offsets[index] = end;
  values.count = index;
}

/** Copies `source[start..end)` as one value. */
export function appendByteRange(values: LeafValues, source: Uint8Array, start: number, end: number): void {
  const length = end - start;
  const at = reserveBytes(values, length);
  const { bytes } = values;
  if (length <= 32) for (let index = 0; index < length; index++) bytes[at + index] = source[start + index] as number;
  else bytes.set(source.subarray(start, end), at);
  endBytes(values, at + length);
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * A string's UTF-8 bytes, written straight into the column's bytes: ASCII by a loop, the
 * rest by encodeInto, never a TextEncoder.encode (an array per value) in between. A UTF-16
 * code unit takes at most 3 bytes (a surrogate pair 4 for 2 units, a lone surrogate the 3
 * of U+FFFD, as encode gives), so 3 per unit is always room enough.
 */
export function appendString(values: LeafValues, value: string): void {
  const length = value.length;
  const at = reserveBytes(values, length * 3);
  const bytes = values.bytes;
  let index = 0;
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code >= 0x80) break;
    bytes[at + index] = code;
    index++;
  }
  const end = index === length ? at + length : at + index + utf8.encodeInto(value.slice(index), bytes.subarray(at + index)).written;
  endBytes(values, end);
}

/** A value in its row form (table-row.ts) into a column of `type`; throws ExportError naming the column at `path` for any other form. */
export function appendValue(values: LeafValues, type: PrimitiveType, value: unknown, path: readonly string[]): void {
  switch (values.kind) {
    case "boolean":
      if (typeof value !== "boolean") throw wrongForm(type, value, path);
      appendInt32(values, value ? 1 : 0);
      return;
    case "int32":
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < -2147483648 || value > 2147483647) throw wrongForm(type, value, path);
      appendInt32(values, value);
      return;
    case "int64":
      if (typeof value !== "bigint" || BigInt.asIntN(64, value) !== value) throw wrongForm(type, value, path);
      appendInt64(values, value);
      return;
    case "float":
    case "double":
      if (typeof value !== "number") throw wrongForm(type, value, path);
      appendDouble(values, type === "float" ? Math.fround(value) : value);
      return;
    case "bytes":
      appendBytesValue(values, type, value, path);
  }
}

function appendBytesValue(values: LeafValues, type: PrimitiveType, value: unknown, path: readonly string[]): void {
  if (type === "binary" && value instanceof Uint8Array) {
    appendByteRange(values, value, 0, value.length);
    return;
  }
  if (type === "string") {
    if (typeof value !== "string") throw wrongForm(type, value, path);
    appendString(values, value);
    return;
  }
  const decimal = parseDecimal(type);
  if (decimal !== undefined) {
    if (typeof value !== "bigint") throw wrongForm(type, value, path);
    appendDecimal(values, value, decimalBytes(decimal.precision));
    return;
  }
  if (!(value instanceof Uint8Array)) throw wrongForm(type, value, path);
  const width = fixedWidth(type);
  if (width !== undefined && value.length !== width) throw wrongForm(type, value, path);
  appendByteRange(values, value, 0, value.length);
}

/** The unscaled value as `width` bytes of big-endian two's complement (bits above them dropped, as hyparquet-writer does). */
function appendDecimal(values: LeafValues, unscaled: bigint, width: number): void {
  const at = reserveBytes(values, width);
  let rest = unscaled;
  for (let index = width - 1; index >= 0; index--) {
    values.bytes[at + index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  endBytes(values, at + width);
}

/** Bytes per value of a FIXED_LEN_BYTE_ARRAY type; undefined for variable-length ones. */
export function fixedWidth(type: PrimitiveType): number | undefined {
  if (type === "uuid") return 16;
  const decimal = parseDecimal(type);
  if (decimal !== undefined) return decimalBytes(decimal.precision);
  const fixed = /^fixed\[(\d+)\]$/.exec(type);
  return fixed?.[1] === undefined ? undefined : Number(fixed[1]);
}

function wrongForm(type: PrimitiveType, value: unknown, path: readonly string[]): ExportError {
  const form = value instanceof Uint8Array ? `Uint8Array(${value.length})` : typeof value;
  return new ExportError("INTERNAL", `column ${path.join(".")} could not be written: a ${form} is not a value of type ${type}`);
}

/** Value `index` in its row form. */
export function valueAt(values: LeafValues, type: PrimitiveType, index: number): unknown {
  switch (values.kind) {
    case "boolean":
      return values.words[index] === 1;
    case "int32":
      return values.words[index];
    case "int64":
      return int64At(values, index);
    case "float":
    case "double":
      return values.doubles[index];
    case "bytes": {
      const bytes = values.bytes.subarray(values.offsets[index], values.offsets[index + 1]);
      if (type === "string") return utf8Decoder.decode(bytes);
      if (parseDecimal(type) !== undefined) return signedBigEndian(bytes);
      return bytes.slice();
    }
  }
}

export function int64At(values: LeafValues, index: number): bigint {
  return (BigInt(values.words[index * 2 + 1] as number) << 32n) | BigInt((values.words[index * 2] as number) >>> 0);
}

export function signedBigEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return bytes.length > 0 && (bytes[0] as number) >= 0x80 ? value - (1n << BigInt(bytes.length * 8)) : value;
}

/** Whether values `left` and `right` are the same value as a Map key is (SameValueZero), byte arrays by their bytes. */
export function sameValues(values: LeafValues, left: number, right: number): boolean {
  switch (values.kind) {
    case "boolean":
    case "int32":
      return values.words[left] === values.words[right];
    case "int64":
      return values.words[left * 2] === values.words[right * 2] && values.words[left * 2 + 1] === values.words[right * 2 + 1];
    case "float":
    case "double":
    {
      const leftValue = values.doubles[left] as number;
      const rightValue = values.doubles[right] as number;
      return leftValue === rightValue || (leftValue !== leftValue && rightValue !== rightValue);
    }
    case "bytes":
      return sameBytes(values, left, right);
  }
}

function sameBytes(values: LeafValues, left: number, right: number): boolean {
  const { bytes, offsets } = values;
  const leftStart = offsets[left] as number;
  const rightStart = offsets[right] as number;
  const length = (offsets[left + 1] as number) - leftStart;
  if ((offsets[right + 1] as number) - rightStart !== length) return false;
  for (let index = 0; index < length; index++) if (bytes[leftStart + index] !== bytes[rightStart + index]) return false;
  return true;
}

function grownWords(words: Int32Array, needed: number): Int32Array {
  const larger = int32s(Math.max(16, needed, words.length * 2));
  larger.set(words);
  giveBuffer(words.buffer);
  return larger;
}
