// One topic-partition of a Kafka batch → Parquet data files staged for the next commit
// (SPEC.md §2 step 2). Exactly once out of an at-least-once source: records below the
// partition's start offset or at or below its staged watermark are dropped, and the files
// are staged together with the new watermark in one conditional write. Losing that write
// means another invocation moved the watermark: if it now covers this batch there is
// nothing left to do, otherwise the batch is filtered again against the new watermark.
// A topic that keeps dead letters (lib/dead-letters/) stages the batch's invalid records in
// the same write, as one file of its dead-letter table: kept exactly once, like the rows.
import { ExportError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { KafkaRecord, TopicPartitionBatch } from "../kafka/lambda-event.js";
import type { StagedFile, StateStore, TopicExport } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import { exportPartitionSpec } from "../iceberg/partitioning.js";
import { writePartitionedDataFiles } from "./partitioned-files.js";
import { logMalformedRecords, sortMalformedRecords } from "./malformed-records.js";
import { columnsOfRecords, type RejectedRecord } from "./record-columns.js";
import { stageableDeadLetterFiles } from "../dead-letters/batch-dead-letters.js";
import { deadLettersOn } from "../dead-letters/dead-letter-table.js";
import { tableKey, type TableSchemaCache } from "./table-schema-cache.js";

export interface StagePartitionContext {
  stateStore: StateStore;
  objectStore: ObjectStore;
  schemas: TableSchemaCache;
  logger: Logger;
  now: () => number;
  useIngestTime: boolean;
  /** Dead letters for a topic whose export does not choose (the DEAD_LETTERS setting); off when absent. */
  deadLettersByDefault?: boolean;
}

export interface PartitionOutcome {
  topic: string;
  partition: number;
  recordsIn: number;
  bytesIn: number;
  /** The topic is not exported (never enabled, or disabled). */
  skippedNotExported: number;
  /** Below the start offset: produced before export was enabled. */
  skippedBeforeStart: number;
  /** At or below the staged watermark: a redelivery of what is already staged. */
  skippedAlreadyStaged: number;
  invalidRecords: number;
  /** Invalid records staged in the topic's dead-letter table. */
  deadLettersWritten: number;
  recordsExported: number;
  filesStaged: number;
  bytesWritten: number;
}

const maxStageAttempts = 5;

export async function stageTopicPartition(batch: TopicPartitionBatch, topicExport: TopicExport | undefined, context: StagePartitionContext): Promise<PartitionOutcome> {
  const outcome = emptyOutcome(batch);
  if (topicExport?.enabled !== true) return { ...outcome, skippedNotExported: outcome.recordsIn };
  if (batch.records.length === 0 && batch.malformed.length === 0) return outcome;
  const startOffset = topicExport.startOffsets[batch.partition] ?? 0n;

  for (let attempt = 1; attempt <= maxStageAttempts; attempt++) {
    const watermark = await context.stateStore.stagedWatermark(batch.topic, batch.partition);
    const fresh = batch.records.filter((record) => record.offset >= startOffset && (watermark === undefined || record.offset > watermark));
    const skippedBeforeStart = countWhere(batch.records, (record) => record.offset < startOffset);
    const malformed = sortMalformedRecords(batch, { startOffset, watermark });
    const skipped = {
      ...outcome,
      skippedBeforeStart: skippedBeforeStart + malformed.beforeStart,
      skippedAlreadyStaged: batch.records.length - skippedBeforeStart - fresh.length + malformed.alreadyStaged + batch.duplicates,
    };
    if (fresh.length === 0 && malformed.invalid.length === 0) return skipped;
    // Malformed records past the watermark are skipped for good: the watermark moves past them.
    const lastOffset = maxOffset(fresh.at(-1)?.offset, malformed.highestInvalidOffset);
    if (lastOffset === undefined) {
      // Only records without an offset: nothing to stage, no watermark to move.
      logMalformedRecords(batch, malformed.invalid, context.logger);
      return { ...skipped, invalidRecords: malformed.invalid.length };
    }

    const { files, invalidRecords, rejected } = fresh.length === 0 ? { files: [], invalidRecords: 0, rejected: [] } : await writeFreshRecords(fresh, lastOffset, batch, topicExport, context);
    const deadLetterFiles = deadLettersOn(topicExport, context.deadLettersByDefault ?? false) ? await stageableDeadLetterFiles({ batch, rejected, malformed: malformed.invalid, topicExport, lastOffset }, context) : [];
    const result = await context.stateStore.stageFiles({ topic: batch.topic, partition: batch.partition, expectedWatermark: watermark, newWatermark: lastOffset, files: [...files, ...deadLetterFiles] });
    if (result === "staged") {
      logMalformedRecords(batch, malformed.invalid, context.logger);
      return {
        ...skipped,
        invalidRecords: invalidRecords + malformed.invalid.length,
        deadLettersWritten: deadLetterFiles.reduce((sum, file) => sum + file.recordCount, 0),
        recordsExported: fresh.length - invalidRecords,
        filesStaged: files.length,
        bytesWritten: files.reduce((sum, file) => sum + file.fileSizeBytes, 0),
      };
    }
    // The files just written stay where they are: a concurrent invocation that staged the
    // same records may have written the very same object (same content, same name).
    const current = await context.stateStore.stagedWatermark(batch.topic, batch.partition);
    if (current !== undefined && current >= lastOffset) return { ...outcome, skippedBeforeStart: skipped.skippedBeforeStart, skippedAlreadyStaged: outcome.recordsIn - skipped.skippedBeforeStart };
    context.logger.info("staged watermark moved while staging; filtering the batch again", { topic: batch.topic, partition: batch.partition, attempt });
  }
  throw new ExportError("CONDITION_FAILED", `could not stage ${batch.topic}-${batch.partition} in ${maxStageAttempts} attempts: the staged watermark kept moving`, { retryable: true });
}

async function writeFreshRecords(
  fresh: readonly KafkaRecord[],
  lastOffset: bigint,
  batch: TopicPartitionBatch,
  topicExport: TopicExport,
  context: StagePartitionContext,
): Promise<{ files: StagedFile[]; invalidRecords: number; rejected: RejectedRecord[] }> {
  const schema = await context.schemas.schemaFor(topicExport);
  const spec = exportPartitionSpec(topicExport.partitioning, schema.state.schema);
  const { groups, invalidRecords, rejected } = columnsOfRecords(fresh, schema, {
    topic: batch.topic,
    partition: batch.partition,
    spec,
    logger: context.logger,
    ingestTimeMs: context.useIngestTime ? context.now() : undefined,
  });
  const files = await writePartitionedDataFiles(groups, {
    objectStore: context.objectStore,
    schema: schema.state.schema,
    spec,
    topicExport,
    table: tableKey(topicExport),
    partition: batch.partition,
    firstOffset: (fresh[0] as KafkaRecord).offset,
    lastOffset,
    stagedAt: context.now(),
  });
  return { files, invalidRecords, rejected };
}

export type PartitionCounts = Omit<PartitionOutcome, "topic" | "partition">;

export function zeroCounts(): PartitionCounts {
  return {
    recordsIn: 0,
    bytesIn: 0,
    skippedNotExported: 0,
    skippedBeforeStart: 0,
    skippedAlreadyStaged: 0,
    invalidRecords: 0,
    deadLettersWritten: 0,
    recordsExported: 0,
    filesStaged: 0,
    bytesWritten: 0,
  };
}

/** Adds `more` into `totals`, count by count. */
export function addCounts(totals: PartitionCounts, more: PartitionCounts): void {
  for (const key of Object.keys(totals) as (keyof PartitionCounts)[]) totals[key] += more[key];
}

function emptyOutcome(batch: TopicPartitionBatch): PartitionOutcome {
  return {
    ...zeroCounts(),
    topic: batch.topic,
    partition: batch.partition,
    recordsIn: batch.records.length + batch.malformed.length + batch.duplicates,
    bytesIn: batch.records.reduce((sum, record) => sum + record.sizeBytes, 0),
  };
}

function maxOffset(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return a > b ? a : b;
}

function countWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  let count = 0;
  for (const item of items) if (predicate(item)) count++;
  return count;
}
