// The dead letters of one staged batch → one Parquet data file of the dead-letter table,
// staged with the batch's own files and watermark (lib/ingest/stage-partition.ts): in one
// state write, so a crash loses none and a redelivery, which the watermark filters, writes
// none twice. Its name follows the table's files (topic, partition, offset range, content
// hash), so a concurrent invocation staging the same batch writes the same object or another
// one, never over someone else's.
import { createHash } from "node:crypto";
import { writeDataFile } from "../parquet/data-file-writer.js";
import type { TableRow } from "../schema/table-row.js";
import type { StagedFile } from "../state/state-store.js";
import { fileNamePart } from "../storage/file-name-part.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { SchemaState } from "../schema/schema-state.js";
import type { DeadLetter } from "./dead-letter.js";

export interface DeadLetterFileOptions {
  objectStore: ObjectStore;
  /** The dead-letter table's schema state, its location and `namespace.name`. */
  schemaState: SchemaState;
  tableLocation: string;
  table: string;
  topic: string;
  partition: number;
  /** The batch's offset range: the file is staged with it, as the table's files are. */
  firstOffset: bigint;
  lastOffset: bigint;
  stagedAt: number;
}

export async function writeDeadLetterFile(deadLetters: readonly DeadLetter[], options: DeadLetterFileOptions): Promise<StagedFile> {
  const { schema } = options.schemaState;
  const content = writeDataFile(schema, deadLetters.map(deadLetterRow) as unknown as TableRow[]);
  const contentHash = createHash("sha256").update(content.bytes).digest("hex").slice(0, 16);
  const location = `${options.tableLocation}/data/${fileNamePart(options.topic)}-${options.partition}-${options.firstOffset}-${options.lastOffset}-${contentHash}.parquet`;
  await options.objectStore.put(location, content.bytes);
  return {
    table: options.table,
    location,
    fileSizeBytes: content.bytes.length,
    recordCount: content.recordCount,
    partitionSpecId: 0,
    partitionValues: {},
    metrics: content.metrics,
    topic: options.topic,
    partition: options.partition,
    firstOffset: options.firstOffset,
    lastOffset: options.lastOffset,
    schemaId: schema["schema-id"],
    stagedAt: options.stagedAt,
  };
}

/** A dead letter in the row forms of lib/schema/table-row.ts: long and timestamptz as bigint, binary as bytes. */
function deadLetterRow(deadLetter: DeadLetter): Record<string, unknown> {
  return {
    topic: deadLetter.topic,
    partition: deadLetter.partition,
    offset: deadLetter.offset,
    timestamp: deadLetter.timestampMs === null ? null : BigInt(Math.trunc(deadLetter.timestampMs)) * 1000n,
    key: deadLetter.key,
    value: deadLetter.value,
    headers: deadLetter.headers.map((header) => ({ key: header.key, value: header.value })),
    reason: deadLetter.reason,
    detail: deadLetter.detail,
    schema_id: deadLetter.schemaId,
    rejected_at: BigInt(Math.trunc(deadLetter.rejectedAtMs)) * 1000n,
  };
}
