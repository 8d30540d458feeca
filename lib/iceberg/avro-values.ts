// Conversions between the values avsc reads and writes (bigint longs, Buffer bytes,
// int-keyed maps as arrays of key/value records) and the ones this code holds.
import { ExportError } from "../core/errors.js";

export interface KeyValue<V> {
  key: number;
  value: V;
}

/** An int-keyed map as the spec stores it in Avro: key/value records, by ascending key. */
export function keyValuesOf<V, A>(map: Readonly<Record<number, V>>, toAvro: (value: V) => A): KeyValue<A>[] {
  return Object.entries(map)
    .map(([key, value]) => ({ key: Number(key), value: toAvro(value) }))
    .sort((left, right) => left.key - right.key);
}

export function mapOf<A, V>(pairs: readonly KeyValue<A>[] | null | undefined, fromAvro: (value: A) => V): Record<number, V> {
  const map: Record<number, V> = {};
  for (const pair of pairs ?? []) map[numberOf(pair.key)] = fromAvro(pair.value);
  return map;
}

/** avsc writes bytes only from Buffers. */
export function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function bytesOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** A count, size or sequence number read as int or long; exact below 2^53. */
export function numberOf(value: number | bigint): number {
  if (typeof value === "number") return value;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ExportError("INTERNAL", `manifest value ${value} exceeds 2^53 where a count or sequence number is expected`);
  }
  return Number(value);
}

export function nullableNumberOf(value: number | bigint | null | undefined): number | null {
  return value === null || value === undefined ? null : numberOf(value);
}

export function nullableLongOf(value: number | null): bigint | null {
  return value === null ? null : BigInt(value);
}
