// Cuts one topic-partition's consumed records into events under the event source mapping's
// limits: at most `batchSize` records, and an invocation payload (the event's JSON) of at
// most `maxPayloadBytes` — a batch is cut before the record that would cross it.
import { ExportError } from "../core/errors.js";
import { eventPayloadBytes, eventRecordBytes, selfManagedKafkaEvent, type SelfManagedKafkaEventRecord } from "../kafka/self-managed-kafka-event.js";

export interface EventBatchLimits {
  batchSize: number;
  maxPayloadBytes: number;
  /** Written into each event; part of its size. */
  bootstrapServers: readonly string[];
}

/** A record that alone makes an event larger than the payload limit: no batch can carry it. */
export class RecordTooLargeError extends ExportError {
  constructor(record: SelfManagedKafkaEventRecord, payloadBytes: number, maxPayloadBytes: number) {
    super(
      "INVALID_RECORD",
      `record ${record.topic}/${record.partition} offset ${record.offset} makes an event of ${payloadBytes} bytes, over the ${maxPayloadBytes}-byte invocation payload limit (maxPayloadBytes)`,
    );
  }
}

/** `records` are of one topic-partition, in offset order; every batch keeps that order. */
export function cutEventBatches(records: readonly SelfManagedKafkaEventRecord[], limits: EventBatchLimits): SelfManagedKafkaEventRecord[][] {
  const [first] = records;
  if (first === undefined) return [];
  // Everything but the records: the envelope and the topic-partition's key and brackets.
  const frameBytes = eventPayloadBytes(selfManagedKafkaEvent([first], limits.bootstrapServers)) - eventRecordBytes(first);
  const batches: SelfManagedKafkaEventRecord[][] = [];
  let batch: SelfManagedKafkaEventRecord[] = [];
  let batchBytes = frameBytes;
  for (const record of records) {
    const recordBytes = eventRecordBytes(record);
    const separatorBytes = batch.length === 0 ? 0 : 1;
    if (batch.length > 0 && (batch.length >= limits.batchSize || batchBytes + separatorBytes + recordBytes > limits.maxPayloadBytes)) {
      batches.push(batch);
      batch = [];
      batchBytes = frameBytes;
    }
    if (batch.length === 0 && frameBytes + recordBytes > limits.maxPayloadBytes) throw new RecordTooLargeError(record, frameBytes + recordBytes, limits.maxPayloadBytes);
    batchBytes += (batch.length === 0 ? 0 : 1) + recordBytes;
    batch.push(record);
  }
  batches.push(batch);
  return batches;
}
