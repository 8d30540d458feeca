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

/** An avsc type for a schema in its JSON form, every `long` in it (`"long"` or `{"type": "long", ...}`) a bigint. */
export function avroTypeOf(schema: AvroSchema): avro.Type {
  return avro.Type.forSchema(schema as AvscSchema, { typeHook: longAsBigint });
}

function longAsBigint(schema: AvscSchema): avro.Type | undefined {
  const typeName = typeof schema === "string" ? schema : (schema as { type?: unknown }).type;
  return typeName === "long" ? bigintLongType : undefined;
}
