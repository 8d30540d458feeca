// Avro longs as bigints. Snapshot ids are random 63-bit numbers: avsc's own long type
// refuses anything beyond 2^53, so every Avro type this code builds reads and writes
// longs through this one, whatever their size.
import avro from "avsc";
import type { AvroSchema } from "./avro-schema.js";

type AvscSchema = Parameters<typeof avro.Type.forSchema>[0];

function bigintOf(buffer: Buffer): bigint {
  return buffer.readBigInt64LE();
}

function bufferOf(value: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64LE(value);
  return buffer;
}

export const bigintLongType = avro.types.LongType.__with({
  fromBuffer: bigintOf,
  toBuffer: bufferOf,
  fromJSON: (json: string | number) => BigInt(json),
  toJSON: (value: bigint) => value.toString(),
  isValid: (value: unknown) => typeof value === "bigint",
  compare: (left: bigint, right: bigint) => (left < right ? -1 : left > right ? 1 : 0),
});

// Building a type is most of the CPU of writing a small manifest, and a commit round writes
// manifests and manifest lists of the same few schemas for every table: built types are kept,
// by schema text, a bounded number of them (avsc types hold no state between uses).
const typesBySchema = new Map<string, avro.Type>();
const maxCachedTypes = 256;

/** An avsc type for a schema in its JSON form, every `long` in it (`"long"` or `{"type": "long", ...}`) a bigint. */
export function avroTypeOf(schema: AvroSchema): avro.Type {
  const key = JSON.stringify(schema);
  let type = typesBySchema.get(key);
  if (type === undefined) {
    type = avro.Type.forSchema(schema as AvscSchema, { typeHook: longAsBigint });
    if (typesBySchema.size >= maxCachedTypes) typesBySchema.delete(typesBySchema.keys().next().value as string);
    typesBySchema.set(key, type);
  }
  return type;
}

function longAsBigint(schema: AvscSchema): avro.Type | undefined {
  const typeName = typeof schema === "string" ? schema : (schema as { type?: unknown }).type;
  return typeName === "long" ? bigintLongType : undefined;
}
