// Lower and upper bounds of a data file's columns, in the Iceberg spec's "Binary
// single-value serialization" (Appendix D), strings and binary truncated as the default
// metrics mode `truncate(16)` does: a lower bound is a prefix, an upper bound a prefix with
// its last incrementable unit incremented, so it still sorts above every value; when no
// unit can be incremented there is no upper bound.
import { ExportError } from "../core/errors.js";
import { parseDecimal, type PrimitiveType } from "../iceberg/types.js";

export function lowerBound(type: PrimitiveType, value: unknown, truncateLength: number): Uint8Array {
  if (type === "string") return utf8.encode(truncateCodePoints(value as string, truncateLength));
  if (type === "binary") return (value as Uint8Array).slice(0, truncateLength);
  return serializeValue(type, value);
}

/** Undefined when the value is longer than `truncateLength` and no shorter upper bound exists. */
export function upperBound(type: PrimitiveType, value: unknown, truncateLength: number): Uint8Array | undefined {
  if (type === "string") {
    const bound = truncatedStringUpperBound(value as string, truncateLength);
    return bound === undefined ? undefined : utf8.encode(bound);
  }
  if (type === "binary") return truncatedBinaryUpperBound(value as Uint8Array, truncateLength);
  return serializeValue(type, value);
}

const utf8 = new TextEncoder();

/** The spec's single-value serialization of a value in the form the record decoder gives it. */
export function serializeValue(type: PrimitiveType, value: unknown): Uint8Array {
  switch (type) {
    case "boolean":
      return Uint8Array.of(value === true ? 1 : 0);
    case "int":
    case "date":
      return littleEndian(4, (view) => view.setInt32(0, value as number, true));
    case "long":
    case "time":
    case "timestamp":
    case "timestamptz":
      return littleEndian(8, (view) => view.setBigInt64(0, value as bigint, true));
    case "float":
      return littleEndian(4, (view) => view.setFloat32(0, value as number, true));
    case "double":
      return littleEndian(8, (view) => view.setFloat64(0, value as number, true));
    case "string":
      return utf8.encode(value as string);
    case "uuid":
    case "binary":
      return (value as Uint8Array).slice();
  }
  if (parseDecimal(type) !== undefined) return twosComplementBigEndian(value as bigint);
  if (type.startsWith("fixed[")) return (value as Uint8Array).slice();
  throw new ExportError("INTERNAL", `no single-value serialization for Iceberg type ${type}`);
}

function littleEndian(size: number, write: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  write(new DataView(bytes.buffer));
  return bytes;
}

/** Decimals: the unscaled value in the fewest bytes of big-endian two's complement. */
export function twosComplementBigEndian(unscaled: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = unscaled;
  for (;;) {
    const byte = Number(BigInt.asUintN(8, rest));
    bytes.unshift(byte);
    rest >>= 8n;
    // Done when the remaining bits are all sign bits and the sign bit shown agrees with them.
    if ((rest === 0n && byte < 0x80) || (rest === -1n && byte >= 0x80)) return Uint8Array.from(bytes);
  }
}

/** The first `length` Unicode code points of `text`. */
export function truncateCodePoints(text: string, length: number): string {
  let end = 0;
  for (let count = 0; count < length && end < text.length; count++) end += isHighSurrogateAt(text, end) ? 2 : 1;
  return text.slice(0, end);
}

/**
 * `text` itself when it has at most `length` code points; otherwise its first `length`
 * code points with the last one that has a successor replaced by that successor (and the
 * code points after it dropped). Undefined when every one of them is U+10FFFF.
 */
export function truncatedStringUpperBound(text: string, length: number): string | undefined {
  const prefix = truncateCodePoints(text, length);
  if (prefix.length === text.length) return text;
  const codePoints = Array.from(prefix, (character) => character.codePointAt(0) as number);
  for (let index = codePoints.length - 1; index >= 0; index--) {
    const next = nextCodePoint(codePoints[index] as number);
    if (next !== undefined) return String.fromCodePoint(...codePoints.slice(0, index), next);
  }
  return undefined;
}

/** Surrogates are not code points of well-formed UTF-8: the successor of U+D7FF is U+E000. */
function nextCodePoint(codePoint: number): number | undefined {
  if (codePoint === 0xd7ff) return 0xe000;
  return codePoint < 0x10ffff ? codePoint + 1 : undefined;
}

/** `bytes` itself when at most `length` long; otherwise a shorter array above every value it starts. */
export function truncatedBinaryUpperBound(bytes: Uint8Array, length: number): Uint8Array | undefined {
  if (bytes.length <= length) return bytes.slice();
  for (let index = length - 1; index >= 0; index--) {
    const byte = bytes[index] as number;
    if (byte < 0xff) {
      const bound = bytes.slice(0, index + 1);
      bound[index] = byte + 1;
      return bound;
    }
  }
  return undefined;
}

function isHighSurrogateAt(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  return unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length;
}
