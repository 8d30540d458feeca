// Kafka records → table rows (SPEC.md §3): the key's bytes, the decoded value, the headers
// in order, and the event timestamp (or the ingest time). A value that cannot be decoded
// is skipped and logged with topic, partition, offset and reason — never its bytes.
import type { Logger } from "../core/logger.js";
import type { KafkaRecord } from "../kafka/lambda-event.js";
import type { TableRow } from "../schema/table-row.js";
import type { TableSchema } from "./table-schema-cache.js";

export interface RecordRowsOptions {
  topic: string;
  partition: number;
  logger: Logger;
  /** Epoch milliseconds to use as every row's timestamp; the records' own when undefined. */
  ingestTimeMs: number | undefined;
  /** Invalid records logged one by one, per batch; the rest only counted. */
  maxInvalidRecordLogs?: number;
}

export function rowsOfRecords(records: readonly KafkaRecord[], schema: TableSchema, options: RecordRowsOptions): { rows: TableRow[]; invalidRecords: number } {
  const { topic, partition, logger, ingestTimeMs, maxInvalidRecordLogs = 100 } = options;
  const rows: TableRow[] = [];
  let invalidRecords = 0;
  for (const record of records) {
    let val: TableRow["val"] = null;
    if (record.value !== null) {
      const decoded = schema.decodeValue(record.value);
      if (!decoded.ok) {
        invalidRecords++;
        if (invalidRecords <= maxInvalidRecordLogs) logger.warn("skipped a record that cannot be decoded", { topic, partition, offset: String(record.offset), reason: decoded.reason });
        continue;
      }
      val = decoded.value;
    }
    rows.push({
      key: { __raw__: record.key },
      val,
      headers: record.headers,
      timestamp: timestampMicros(ingestTimeMs ?? record.timestampMs),
    });
  }
  if (invalidRecords > maxInvalidRecordLogs) logger.warn("more records could not be decoded", { topic, partition, invalidRecords, logged: maxInvalidRecordLogs });
  return { rows, invalidRecords };
}

// Kafka's "no timestamp" is -1.
function timestampMicros(epochMs: number): bigint | null {
  return epochMs < 0 ? null : BigInt(Math.trunc(epochMs)) * 1000n;
}
