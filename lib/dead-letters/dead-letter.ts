// One invalid record as the dead-letter table keeps it (SPEC.md §9): where it was in Kafka,
// its exact bytes, why it was refused and when. `reason` is a short code to count and
// choose by (`dead-letters`, `replay --reason`); `detail` the message ingest logged.
import type { KafkaRecord } from "../kafka/lambda-event.js";
import type { HeaderValue } from "../schema/table-row.js";

/**
 * - `wire-format`: the value is not a Confluent frame (wrong magic byte, too short, a broken
 *   message-index array);
 * - `payload`: the frame (or raw value) holds no valid message of the table's type
 *   (truncated, a wrong message, bad UTF-8 in a string);
 * - `timestamp`: the record's timestamp is past what the table's timestamptz holds;
 * - `malformed-event`: the event source delivered the record malformed (bad base64, a
 *   partition disagreeing with its group, different records at one offset); `value` holds
 *   the record's JSON as it stood in the event. Never replayed: no schema fixes it.
 */
export type DeadLetterReason = "wire-format" | "payload" | "timestamp" | "malformed-event";

export const deadLetterReasons: readonly DeadLetterReason[] = ["wire-format", "payload", "timestamp", "malformed-event"];

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: bigint;
  /** Epoch milliseconds; null when the record had none, or one no timestamptz holds. */
  timestampMs: number | null;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: HeaderValue[];
  reason: DeadLetterReason;
  detail: string;
  /** The schema id the value's Confluent frame named; null when it names none. */
  schemaId: number | null;
  /** Epoch milliseconds. */
  rejectedAtMs: number;
}

/** A record the event held well-formed, refused by the decoder or the table. */
export function deadLetterOfRecord(record: KafkaRecord, where: { topic: string; partition: number }, refusal: { reason: DeadLetterReason; detail: string; rejectedAtMs: number }): DeadLetter {
  return {
    ...where,
    offset: record.offset,
    timestampMs: refusal.reason === "timestamp" || record.timestampMs < 0 ? null : record.timestampMs,
    key: record.key,
    value: record.value,
    headers: record.headers,
    ...refusal,
    schemaId: framedSchemaId(record.value),
  };
}

/** A record set aside by the event parser: its JSON kept as the value, since its fields are what is wrong. */
export function deadLetterOfEventRecord(eventRecord: unknown, where: { topic: string; partition: number; offset: bigint }, refusal: { detail: string; rejectedAtMs: number }): DeadLetter {
  const json = JSON.stringify(eventRecord) as string | undefined;
  return {
    ...where,
    timestampMs: null,
    key: null,
    value: json === undefined ? null : new TextEncoder().encode(json),
    headers: [],
    reason: "malformed-event",
    ...refusal,
    schemaId: null,
  };
}

/** The id in a value's Confluent header (magic byte 0, then 4 bytes big-endian), whatever follows it. */
export function framedSchemaId(value: Uint8Array | null): number | null {
  if (value === null || value.length < 5 || value[0] !== 0) return null;
  return new DataView(value.buffer, value.byteOffset, value.byteLength).getUint32(1);
}
