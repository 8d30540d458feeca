// Cuts one topic-partition's consumed records into events under the event source mapping's
// limits: at most `batchSize` records, and an invocation payload (the event's JSON) of at
// most `maxPayloadBytes` — a batch is cut before the record that would cross it.
//
// A record that alone makes an event over the payload limit (a 5 MB value is 6.7 MB in
// base64) gets an event of its own, over the limit: the runner stages in-process, where no
// invocation payload limit applies, and the record is valid data — skipping it would lose
// it, and stopping would stall every topic of the runner on it (issue 11). The runner logs it.
import { eventPayloadBytes, eventRecordBytes, selfManagedKafkaEvent, type SelfManagedKafkaEventRecord } from "../kafka/self-managed-kafka-event.js";

export interface EventBatchLimits {
  batchSize: number;
  maxPayloadBytes: number;
  /** Written into each event; part of its size. */
  bootstrapServers: readonly string[];
}

export interface EventBatch {
  records: SelfManagedKafkaEventRecord[];
  /** The event's JSON size; over `maxPayloadBytes` only for a single oversize record. */
  payloadBytes: number;
}

/** `records` are of one topic-partition, in offset order; every batch keeps that order. */
export function cutEventBatches(records: readonly SelfManagedKafkaEventRecord[], limits: EventBatchLimits): EventBatch[] {
  const [first] = records;
  if (first === undefined) return [];
  // Everything but the records: the envelope and the topic-partition's key and brackets.
  const frameBytes = eventPayloadBytes(selfManagedKafkaEvent([first], limits.bootstrapServers)) - eventRecordBytes(first);
  const batches: EventBatch[] = [];
  let batch: EventBatch = { records: [], payloadBytes: frameBytes };
  for (const record of records) {
    const recordBytes = eventRecordBytes(record);
    const separatorBytes = batch.records.length === 0 ? 0 : 1;
    const full = batch.records.length >= limits.batchSize || batch.payloadBytes + separatorBytes + recordBytes > limits.maxPayloadBytes;
    if (batch.records.length > 0 && full) {
      batches.push(batch);
      batch = { records: [], payloadBytes: frameBytes };
    }
    batch.payloadBytes += (batch.records.length === 0 ? 0 : 1) + recordBytes;
    batch.records.push(record);
  }
  batches.push(batch);
  return batches;
}
