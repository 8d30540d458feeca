// A record value → the row value of `val`: unframe it per the wire-format setting, then
// decode it with the table's message type (SPEC.md §3). Framed payloads are decoded with
// the table's message type whatever schema id and message index they carry: the table has
// one schema, kept in step with the subject's latest version.
import type protobuf from "protobufjs";
import type { StructType } from "../iceberg/types.js";
import { createRecordDecoder, type DecodedRecord } from "./record-decoder.js";
import { rawColumnName } from "../schema/table-shape.js";
import { decodeConfluentFrame } from "../registry/wire-format.js";

export type WireFormat = "confluent" | "raw";

export interface ValueDecoderOptions {
  /** The table's value message; undefined when the topic has no Protobuf schema. */
  messageType: protobuf.Type | undefined;
  /** The `val` struct of the table's current schema. */
  valStruct: StructType;
  wireFormat?: WireFormat;
}

export type ValueDecoder = (value: Uint8Array) => DecodedRecord;

export function createValueDecoder(options: ValueDecoderOptions): ValueDecoder {
  const { messageType, valStruct, wireFormat = "confluent" } = options;
  if (messageType === undefined) return rawValueDecoder(valStruct);
  const decodeRecord = createRecordDecoder(messageType, valStruct);
  if (wireFormat === "raw") return decodeRecord;
  return function decodeFramedValue(value) {
    const frame = decodeConfluentFrame(value);
    if (!frame.ok) return { ok: false, reason: `not in the Confluent wire format: ${frame.reason}` };
    return decodeRecord(frame.payload);
  };
}

// Avro, JSON or schemaless topics: the bytes as they are, under __raw__, and null in any
// column left from a time the topic had a Protobuf schema.
function rawValueDecoder(valStruct: StructType): ValueDecoder {
  const otherColumns = valStruct.fields.map((field) => field.name).filter((name) => name !== rawColumnName);
  return function wrapRawValue(value) {
    const row: Record<string, unknown> = { [rawColumnName]: value };
    for (const name of otherColumns) row[name] = null;
    return { ok: true, value: row };
  };
}
