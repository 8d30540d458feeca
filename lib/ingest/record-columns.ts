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
import { applyTimeTransform, type PartitionSpec, type TimeTransform } from "../iceberg/partitioning.js";
import type { KafkaRecord } from "../kafka/lambda-event.js";
import { appendRecord, emptyTableColumns, type TableColumns } from "../parquet/table-columns.js";
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
  // space, and zeroing, for nothing).
  const timestamps: (bigint | null | undefined)[] = new Array<bigint | null | undefined>(records.length);
  const values: (number | null)[] = new Array<number | null>(records.length);
  const rowsPerValue = new Map<number | null, number>();
  records.forEach((record, index) => {
    const epochMs = ingestTimeMs ?? record.timestampMs;
    if (epochMs > maxTimestampMs) {
      skip(record, `its timestamp ${epochMs} ms is past ${maxTimestampMs} ms (year 275760), the latest a timestamptz column and its partition transforms hold`, "timestamp");
      return;
    }
    const timestamp = timestampMicros(epochMs);
    const value = partitionOf(timestamp);
    timestamps[index] = timestamp;
    values[index] = value;
    rowsPerValue.set(value, (rowsPerValue.get(value) ?? 0) + 1);
  });
  records.forEach((record, index) => {
    const timestamp = timestamps[index];
    if (timestamp === undefined) return;
    const value = values[index] ?? null;
    let group = groups.get(value);
    if (group === undefined) {
      const partitionValues = spec.fields[0] === undefined ? {} : { [spec.fields[0].name]: value };
      group = { partitionValues, columns: emptyTableColumns(schema.state.schema, rowsPerValue.get(value) ?? 1, schema.layout) };
      groups.set(value, group);
    }
    const appended = appendRecord(group.columns, record.value, { key: record.key, headers: record.headers, timestamp }, schema.appendValue);
    if (!appended.ok) skip(record, appended.reason, refusalOf(record.value, schema));
  });
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

/** JavaScript's latest Date, which the month and year transforms go through; far below int64 µs. */
const maxTimestampMs = 8_640_000_000_000_000;

// Kafka's "no timestamp" is -1.
function timestampMicros(epochMs: number): bigint | null {
  return epochMs < 0 ? null : BigInt(Math.trunc(epochMs)) * 1000n;
}
