// Kafka records → the leaf columns of one data file per table partition (SPEC.md §3, §4):
// the key's bytes, the decoded value, the headers in order, and the event timestamp (or the
// ingest time). Values are decoded straight into the columns, with no row object in between.
// A value that cannot be decoded is skipped and logged with topic, partition, offset and
// reason — never its bytes — and handed back, for the dead-letter table if the topic keeps one. So is a record the table cannot hold: an event timestamp past
// what a timestamptz (and its partition transforms) can represent, as a producer that wrote
// nanoseconds for milliseconds makes; failing the batch instead would fail it on every retry.
import type { Logger } from "../core/logger.js";
import type { DeadLetterReason } from "../dead-letters/dead-letter.js";
import { decodeConfluentFrame } from "../registry/wire-format.js";
import { applyTimeTransform, applyTimeTransformToMillis, maxSafeMillis, type PartitionSpec, type TimeTransform } from "../iceberg/partitioning.js";
import type { KafkaRecord } from "../kafka/lambda-event.js";
import { appendRecord, emptyTableColumns, type RecordParts, type TableColumns } from "../parquet/table-columns.js";
import type { TableSchema } from "./table-schema-cache.js";

export interface PartitionColumns {
  partitionValues: Record<string, number | null>;
  columns: TableColumns;
}

export interface RecordColumnsOptions {
  topic: string;
  partition: number;
  spec: PartitionSpec;
  logger: Logger;
  /** Epoch milliseconds to use as every row's timestamp; the records' own when undefined. */
  ingestTimeMs: number | undefined;
  /** Invalid records logged one by one, per batch; the rest only counted. */
  maxInvalidRecordLogs?: number;
}

/** A record the table cannot hold, and why. */
export interface RejectedRecord {
  record: KafkaRecord;
  reason: DeadLetterReason;
  detail: string;
}

export function columnsOfRecords(records: readonly KafkaRecord[], schema: TableSchema, options: RecordColumnsOptions): { groups: PartitionColumns[]; invalidRecords: number; rejected: RejectedRecord[] } {
  const { topic, partition, spec, logger, ingestTimeMs, maxInvalidRecordLogs = 100 } = options;
  const partitionOf = partitionValueOf(spec);
  const partitionOfMillis = partitionValueOfMillis(spec);
  const groups = new Map<number | null, PartitionColumns>();
  let invalidRecords = 0;
  const rejected: RejectedRecord[] = [];
  function skip(record: KafkaRecord, reason: string, code: DeadLetterReason): void {
    invalidRecords++;
    rejected.push({ record, reason: code, detail: reason });
    if (invalidRecords <= maxInvalidRecordLogs) logger.warn("skipped a record that cannot be decoded", { topic, partition, offset: String(record.offset), reason });
  }
  // First each record's partition, so that each group's columns are sized for its own rows:
  // sized for the whole batch, a batch of 10,000 records in 10,000 hours allocates
  // 10,000 × 10,000 slots per column (the OS only backs what is touched, but it is address
  // space, and zeroing, for nothing). Timestamps are whole milliseconds in doubles where that
  // is exact: no BigInt, and no boxed number, per record.
  const millis = new Float64Array(records.length);
  const states = new Uint8Array(records.length);
  const values: (number | null)[] = new Array<number | null>(records.length);
  const rowsPerValue = new Map<number | null, number>();
  // Records come in offset order, mostly in time order too: neighbours share a partition,
  // so runs of one value are counted before they touch the map.
  let runValue: number | null = null;
  let runLength = 0;
  for (let index = 0; index < records.length; index++) {
    const record = records[index] as KafkaRecord;
    const epochMs = ingestTimeMs ?? record.timestampMs;
    if (epochMs > maxTimestampMs) {
      skip(record, `its timestamp ${epochMs} ms is past ${maxTimestampMs} ms (year 275760), the latest a timestamptz column and its partition transforms hold`, "timestamp");
      continue;
    }
    // Kafka's "no timestamp" is -1.
    const state = epochMs < 0 ? noTimestamp : epochMs <= maxSafeMillis ? safeMillis : largeMillis;
    const ms = Math.trunc(epochMs);
    const value = state === noTimestamp ? partitionOf(null) : state === safeMillis ? partitionOfMillis(ms) : partitionOf(BigInt(ms) * 1000n);
    states[index] = state;
    millis[index] = ms;
    values[index] = value;
    if (value !== runValue) {
      if (runLength > 0) rowsPerValue.set(runValue, (rowsPerValue.get(runValue) ?? 0) + runLength);
      runValue = value;
      runLength = 0;
    }
    runLength++;
  }
  if (runLength > 0) rowsPerValue.set(runValue, (rowsPerValue.get(runValue) ?? 0) + runLength);
  // One parts object for every record: appendRecord reads it and keeps nothing of it.
  const parts: RecordParts = { key: null, headers: [], timestamp: null };
  let group: PartitionColumns | undefined;
  for (let index = 0; index < records.length; index++) {
    const state = states[index] as number;
    if (state === skipped) continue;
    const record = records[index] as KafkaRecord;
    const value = values[index] ?? null;
    if (group === undefined || value !== runValue) {
      runValue = value;
      group = groups.get(value);
      if (group === undefined) {
        const partitionValues = spec.fields[0] === undefined ? {} : { [spec.fields[0].name]: value };
        group = { partitionValues, columns: emptyTableColumns(schema.state.schema, rowsPerValue.get(value) ?? 1, schema.layout) };
        groups.set(value, group);
      }
    }
    const ms = millis[index] as number;
    parts.key = record.key;
    parts.headers = record.headers;
    parts.timestamp = state === noTimestamp ? null : state === safeMillis ? ms * 1000 : BigInt(ms) * 1000n;
    const appended = appendRecord(group.columns, record.value, parts, schema.appendValue);
    if (!appended.ok) skip(record, appended.reason, refusalOf(record.value, schema));
  }
  if (invalidRecords > maxInvalidRecordLogs) logger.warn("more records could not be decoded", { topic, partition, invalidRecords, logged: maxInvalidRecordLogs });
  return { groups: [...groups.values()].filter((group) => group.columns.rowCount > 0), invalidRecords, rejected };
}

// Told apart by the frame itself, not by the decoder's words: a value that is no Confluent
// frame is a wire-format refusal, anything else the decoder refused is the payload's.
function refusalOf(value: Uint8Array | null, schema: TableSchema): DeadLetterReason {
  return schema.wireFormat === "confluent" && value !== null && !decodeConfluentFrame(value).ok ? "wire-format" : "payload";
}

function partitionValueOf(spec: PartitionSpec): (timestamp: bigint | null) => number | null {
  const field = spec.fields[0];
  if (field === undefined) return () => null;
  const transform = field.transform as TimeTransform;
  return (timestamp) => (timestamp === null ? null : applyTimeTransform(transform, timestamp));
}

function partitionValueOfMillis(spec: PartitionSpec): (epochMs: number) => number | null {
  const field = spec.fields[0];
  if (field === undefined) return () => null;
  const transform = field.transform as TimeTransform;
  return (epochMs) => applyTimeTransformToMillis(transform, epochMs);
}

/** JavaScript's latest Date, which the month and year transforms go through; far below int64 µs. */
const maxTimestampMs = 8_640_000_000_000_000;

// A record's timestamp: skipped (past maxTimestampMs), none, or whole milliseconds exact in µs as a double or not.
const skipped = 0;
const noTimestamp = 1;
const safeMillis = 2;
const largeMillis = 3;
