// Partition values as bounds: their order, and their binary form (spec, "Appendix D:
// Single-value serialization", Binary single-value serialization), for the partition field
// summaries of a manifest list.
import { ExportError } from "../core/errors.js";
import type { PartitionValue } from "./partition-type.js";
import { parseDecimal, type PrimitiveType } from "./types.js";

type Bound = Exclude<PartitionValue, null>;

export function singleValueBytes(type: PrimitiveType, value: Bound): Uint8Array {
  switch (type) {
    case "boolean":
      return Uint8Array.of(value === true ? 1 : 0);
    case "int":
    case "date":
      return littleEndian(4, (buffer) => buffer.writeInt32LE(value as number));
    case "float":
      return littleEndian(4, (buffer) => buffer.writeFloatLE(value as number));
    case "double":
      return littleEndian(8, (buffer) => buffer.writeDoubleLE(value as number));
    case "long":
    case "time":
    case "timestamp":
    case "timestamptz":
      return littleEndian(8, (buffer) => buffer.writeBigInt64LE(BigInt(value as bigint | number)));
    case "string":
      return new TextEncoder().encode(value as string);
  }
  // uuid, fixed and binary are their bytes (a uuid's 16 bytes are big-endian already).
  if (parseDecimal(type) === undefined) return bytesOf(value, type);
  return minimalTwosComplement(twosComplementValue(bytesOf(value, type)));
}

/** Negative, zero or positive as `left` sorts before, with or after `right` (NaN is never a bound). */
export function compareSingleValues(type: PrimitiveType, left: Bound, right: Bound): number {
  if (parseDecimal(type) !== undefined) return compareBigints(twosComplementValue(bytesOf(left, type)), twosComplementValue(bytesOf(right, type)));
  if (typeof left === "bigint" || typeof right === "bigint") return compareBigints(BigInt(left as number | bigint), BigInt(right as number | bigint));
  if (typeof left === "number" || typeof left === "boolean") return Number(left) - Number(right);
  // Strings in code point order, which is the order of their UTF-8 bytes; bytes unsigned.
  const encode = (value: Bound): Uint8Array => (typeof value === "string" ? new TextEncoder().encode(value) : bytesOf(value, type));
  return Buffer.compare(encode(left), encode(right));
}

function littleEndian(size: number, write: (buffer: Buffer) => void): Uint8Array {
  const buffer = Buffer.alloc(size);
  write(buffer);
  return new Uint8Array(buffer);
}

function bytesOf(value: Bound, type: PrimitiveType): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new ExportError("INTERNAL", `a partition value of type ${type} must be bytes, got ${typeof value}`);
}

function twosComplementValue(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const negative = bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0;
  return negative ? value - (1n << BigInt(8 * bytes.length)) : value;
}

function minimalTwosComplement(value: bigint): Uint8Array {
  let size = 1;
  while (value < -(1n << BigInt(8 * size - 1)) || value >= 1n << BigInt(8 * size - 1)) size++;
  const bytes = new Uint8Array(size);
  let rest = BigInt.asUintN(8 * size, value);
  for (let index = size - 1; index >= 0; index--) {
    bytes[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

function compareBigints(left: bigint, right: bigint): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
