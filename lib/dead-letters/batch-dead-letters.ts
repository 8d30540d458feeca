// The dead letters of one topic-partition batch (SPEC.md §9): the records the decoder or the
// table refused and those the event parser set aside, as at most one file of the topic's
// dead-letter table, for lib/ingest/stage-partition.ts to stage with the batch's own files
// and its watermark in one state write.
import type { MalformedRecord, TopicPartitionBatch } from "../kafka/lambda-event.js";
import type { RejectedRecord } from "../ingest/record-columns.js";
import type { StagedFile, StateStore, TopicExport } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import { deadLetterOfEventRecord, deadLetterOfRecord, type DeadLetter } from "./dead-letter.js";
import { writeDeadLetterFile } from "./dead-letter-file.js";
import { deadLetterSchemaState } from "./dead-letter-schema.js";
import { deadLetterExportOf, deadLetterTableKey } from "./dead-letter-table.js";

export interface BatchRefusals {
  batch: TopicPartitionBatch;
  /** Refused by the decoder or the table. */
  rejected: readonly RejectedRecord[];
  /** Set aside by the event parser, past the watermark and the start offset. */
  malformed: readonly MalformedRecord[];
  topicExport: TopicExport;
  /** The watermark the batch stages: the file's offset range ends there, as the batch's files' do. */
  lastOffset: bigint;
}

export interface BatchDeadLetterContext {
  stateStore: StateStore;
  objectStore: ObjectStore;
  now: () => number;
}

/** No file when nothing was refused. */
export async function stageableDeadLetterFiles(refusals: BatchRefusals, context: BatchDeadLetterContext): Promise<StagedFile[]> {
  const { batch, topicExport, lastOffset } = refusals;
  const deadLetters = deadLettersOf(refusals, context.now());
  if (deadLetters.length === 0) return [];
  const table = deadLetterTableKey(topicExport);
  const file = await writeDeadLetterFile(deadLetters, {
    objectStore: context.objectStore,
    schemaState: await deadLetterSchemaState(context.stateStore, table),
    tableLocation: deadLetterExportOf(topicExport).tableLocation,
    table,
    topic: batch.topic,
    partition: batch.partition,
    firstOffset: (deadLetters[0] as DeadLetter).offset,
    lastOffset,
    stagedAt: context.now(),
  });
  return [file];
}

// A malformed record without an offset has no place in the partition to keep it at (and the
// watermark, which keeps a redelivery from writing a dead letter twice, cannot cover it):
// it stays logged and counted only.
function deadLettersOf(refusals: BatchRefusals, rejectedAtMs: number): DeadLetter[] {
  const where = { topic: refusals.batch.topic, partition: refusals.batch.partition };
  const deadLetters = refusals.rejected.map(({ record, reason, detail }) => deadLetterOfRecord(record, where, { reason, detail, rejectedAtMs }));
  for (const { offset, reason, kept } of refusals.malformed) {
    if (offset === undefined) continue;
    deadLetters.push(
      "record" in kept
        ? deadLetterOfRecord(kept.record, where, { reason: "malformed-event", detail: reason, rejectedAtMs })
        : deadLetterOfEventRecord(kept.eventRecord, { ...where, offset }, { detail: reason, rejectedAtMs }),
    );
  }
  return deadLetters.sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
}
