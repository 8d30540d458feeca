// `replay` (SPEC.md §9): the chosen dead letters decoded again with the table's schema as
// the registry has it now, and those that decode appended to the topic's table in one
// snapshot, exactly once.
//
// Exactly once rests on the main table alone: the commit that appends the records also
// records their offsets in the table's replayed-offsets property (replayed-offsets.ts), and
// it is planned on the table as loaded, by commitTableChange, so a conflict (another replay,
// a commit, maintenance) plans again on the refreshed table and leaves out whatever another
// replay appended meanwhile. A second run finds nothing left; a crash before the commit
// leaves only unreferenced files (the orphan scan's); a crash after it leaves the dead-letter
// table's marker behind, which the next run (any run) brings up to date first. The committed
// offsets, the watermark exactly-once ingest rests on, are left as they are: replayed
// records lie below them.
//
// Records that still fail stay in the dead-letter table as they are (a second row would count
// them twice), with the reason they fail now in its last-replay property and the outcome.
import { randomUUID } from "node:crypto";
import type { Catalog, LoadedTable } from "../catalog/catalog.js";
import { commitTableChange, type TableChange } from "../catalog/table-change.js";
import { schemaUpdatesFor } from "../commit/table-schema.js";
import type { Logger } from "../core/logger.js";
import { produceFastAppend } from "../iceberg/fast-append.js";
import { exportPartitionSpec } from "../iceberg/partitioning.js";
import { newSnapshotId } from "../iceberg/snapshot-id.js";
import { applyTableUpdates } from "../iceberg/table-updates.js";
import { writePartitionedDataFiles } from "../ingest/partitioned-files.js";
import { columnsOfRecords } from "../ingest/record-columns.js";
import { tableKey, type TableSchema, type TableSchemaCache } from "../ingest/table-schema-cache.js";
import type { KafkaRecord } from "../kafka/lambda-event.js";
import type { StagedFile, TopicExport } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { DeadLetter, DeadLetterReason } from "./dead-letter.js";
import { deadLetterTableIdentifier } from "./dead-letter-table.js";
import { readDeadLetterTable } from "./read-dead-letters.js";
import { formatReplayedOffsets, isReplayed, replayedOffsetsOf, replayedOffsetsProperty, replayedOffsetsUpdate, withReplayed, type ReplayedOffsets } from "./replayed-offsets.js";

export interface ReplayRequest {
  /** Inclusive; with `toOffset`, the offsets chosen (in every partition unless one is given). */
  fromOffset?: bigint;
  toOffset?: bigint;
  reason?: DeadLetterReason;
  partition?: number;
}

export interface ReplayContext {
  catalog: Catalog;
  objectStore: ObjectStore;
  schemas: TableSchemaCache;
  logger: Logger;
  now: () => number;
  maxCommitAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
}

export interface StillFailing {
  partition: number;
  offset: bigint;
  reason: DeadLetterReason;
  detail: string;
}

export interface ReplayOutcome {
  /** Dead letters the request chose, replayed before or not. */
  chosen: number;
  /** Chosen, but replayed by an earlier run (or a concurrent one). */
  alreadyReplayed: number;
  /** Appended to the table by this run. */
  replayed: number;
  /** Chosen, not replayed before, and still refused. */
  stillFailing: StillFailing[];
  /** Chosen but never replayed: `malformed-event` and `timestamp` dead letters no schema fixes. */
  notReplayable: number;
  snapshotId?: bigint;
}

/** Dead letters whose refusal a schema (or wire-format) fix can undo; the others never decode differently. */
const replayableReasons: ReadonlySet<DeadLetterReason> = new Set(["wire-format", "payload"]);

export const replayIdProperty = "kafka-iceberg-export.replay-id";
/** The dead-letter table's record of the last replay: when, how many, and why the rest still fail. */
export const lastReplayProperty = "kafka-iceberg-export.last-replay";
const maxFailuresRecorded = 100;

export async function replayDeadLetters(topicExport: TopicExport, request: ReplayRequest, context: ReplayContext): Promise<ReplayOutcome> {
  const read = await readDeadLetterTable(topicExport, context);
  const chosen = (read?.deadLetters ?? []).filter((deadLetter) => isChosen(deadLetter, request));
  const replayable = chosen.filter((deadLetter) => replayableReasons.has(deadLetter.reason));
  const outcome: ReplayOutcome = { chosen: chosen.length, alreadyReplayed: 0, replayed: 0, stillFailing: [], notReplayable: chosen.length - replayable.length };
  if (replayable.length === 0) return outcome;
  const schema = await context.schemas.schemaFor(topicExport);
  const options = { catalog: context.catalog, objectStore: context.objectStore, logger: context.logger, now: context.now, ...(context.maxCommitAttempts === undefined ? {} : { maxAttempts: context.maxCommitAttempts }), ...(context.backoff === undefined ? {} : { backoff: context.backoff }) };

  let lastPlan: ReplayPlan | undefined;
  const landed = await commitTableChange(
    topicExport.table,
    async (base, nowMs) => {
      lastPlan = await planReplay(base, replayable, topicExport, schema, { ...context, nowMs });
      return lastPlan.change;
    },
    options,
  );
  const plan = lastPlan as ReplayPlan;
  outcome.alreadyReplayed = plan.alreadyReplayed;
  outcome.stillFailing = plan.stillFailing;
  if (landed !== undefined) {
    outcome.replayed = plan.replayedNow.length;
    outcome.snapshotId = plan.snapshotId;
    context.logger.info("replayed dead letters", { topic: topicExport.topic, table: tableKey(topicExport), replayed: outcome.replayed, stillFailing: outcome.stillFailing.length });
  }
  await markDeadLetterTable(topicExport, outcome, options);
  return outcome;
}

function isChosen(deadLetter: DeadLetter, request: ReplayRequest): boolean {
  if (request.partition !== undefined && deadLetter.partition !== request.partition) return false;
  if (request.fromOffset !== undefined && deadLetter.offset < request.fromOffset) return false;
  if (request.toOffset !== undefined && deadLetter.offset > request.toOffset) return false;
  return request.reason === undefined || deadLetter.reason === request.reason;
}

interface ReplayPlan {
  change: TableChange<undefined> | undefined;
  alreadyReplayed: number;
  replayedNow: DeadLetter[];
  stillFailing: StillFailing[];
  snapshotId?: bigint;
}

async function planReplay(base: LoadedTable, replayable: readonly DeadLetter[], topicExport: TopicExport, schema: TableSchema, context: ReplayContext & { nowMs: number }): Promise<ReplayPlan> {
  const replayed = replayedOffsetsOf(base.metadata.properties);
  const pending = replayable.filter((deadLetter) => !isReplayed(replayed, deadLetter.topic, deadLetter.partition, deadLetter.offset));
  const plan: ReplayPlan = { change: undefined, alreadyReplayed: replayable.length - pending.length, replayedNow: [], stillFailing: [] };
  const spec = exportPartitionSpec(topicExport.partitioning, schema.state.schema);
  const dataFiles: StagedFile[] = [];
  for (const [partition, deadLetters] of byPartition(pending)) {
    const records = deadLetters.map(recordOf);
    const { groups, rejected } = columnsOfRecords(records, schema, { topic: topicExport.topic, partition, spec, logger: context.logger, ingestTimeMs: undefined });
    const refused = new Map(rejected.map((rejection) => [rejection.record.offset, rejection]));
    for (const deadLetter of deadLetters) {
      const refusal = refused.get(deadLetter.offset);
      if (refusal === undefined) plan.replayedNow.push(deadLetter);
      else plan.stillFailing.push({ partition, offset: deadLetter.offset, reason: refusal.reason, detail: refusal.detail });
    }
    if (groups.length === 0) continue;
    const decoded = deadLetters.filter((deadLetter) => !refused.has(deadLetter.offset));
    dataFiles.push(
      ...(await writePartitionedDataFiles(groups, {
        objectStore: context.objectStore,
        schema: schema.state.schema,
        spec,
        topicExport,
        table: tableKey(topicExport),
        partition,
        firstOffset: (decoded[0] as DeadLetter).offset,
        lastOffset: (decoded.at(-1) as DeadLetter).offset,
        stagedAt: context.nowMs,
      })),
    );
  }
  if (dataFiles.length === 0) return plan;

  const snapshotId = newSnapshotId();
  const replayedNow = withReplayed(new Map() as ReplayedOffsets, plan.replayedNow);
  const schemaUpdates = schemaUpdatesFor(base.metadata, schema.state.schema);
  const withSchema = applyTableUpdates(base.metadata, schemaUpdates, [], { nowMs: context.nowMs, metadataLocationOfBase: undefined });
  const append = await produceFastAppend(withSchema, {
    dataFiles,
    snapshotId,
    summaryProperties: { [replayIdProperty]: randomUUID(), [replayedOffsetsProperty]: formatReplayedOffsets(replayedNow) },
    schemaId: withSchema["current-schema-id"],
    objectStore: context.objectStore,
    manifestLocation: (name) => `${withSchema.location}/metadata/${name}`,
    manifestListLocation: (name) => `${withSchema.location}/metadata/${name}`,
    nowMs: context.nowMs,
  });
  plan.snapshotId = snapshotId;
  plan.change = { updates: [...schemaUpdates, ...append.updates, replayedOffsetsUpdate(withReplayed(replayed, plan.replayedNow), tableKey(topicExport))], requirements: append.requirements, plan: undefined };
  return plan;
}

function byPartition(deadLetters: readonly DeadLetter[]): Map<number, DeadLetter[]> {
  const partitions = new Map<number, DeadLetter[]>();
  for (const deadLetter of deadLetters) {
    const list = partitions.get(deadLetter.partition);
    if (list === undefined) partitions.set(deadLetter.partition, [deadLetter]);
    else list.push(deadLetter);
  }
  return partitions;
}

function recordOf(deadLetter: DeadLetter): KafkaRecord {
  return {
    offset: deadLetter.offset,
    timestampMs: deadLetter.timestampMs ?? -1,
    timestampType: "CREATE_TIME",
    key: deadLetter.key,
    value: deadLetter.value,
    headers: deadLetter.headers,
    sizeBytes: (deadLetter.key?.length ?? 0) + (deadLetter.value?.length ?? 0),
  };
}

/**
 * The dead-letter table's marker: the main table's replayed offsets copied over (all of them,
 * so that a run after a crash brings it up to date), and the last replay's outcome.
 */
async function markDeadLetterTable(topicExport: TopicExport, outcome: ReplayOutcome, options: Parameters<typeof commitTableChange>[2]): Promise<void> {
  const main = await options.catalog.loadTable(topicExport.table);
  const replayed = replayedOffsetsOf(main?.metadata.properties ?? {});
  const lastReplay = JSON.stringify({
    at: new Date(options.now()).toISOString(),
    replayed: outcome.replayed,
    alreadyReplayed: outcome.alreadyReplayed,
    stillFailing: outcome.stillFailing.length,
    failures: outcome.stillFailing.slice(0, maxFailuresRecorded).map((failure) => ({ partition: failure.partition, offset: failure.offset.toString(), reason: failure.reason, detail: failure.detail })),
  });
  await commitTableChange(
    deadLetterTableIdentifier(topicExport.table),
    () => ({ updates: [replayedOffsetsUpdate(replayed, tableKey(topicExport)), { action: "set-properties", updates: { [lastReplayProperty]: lastReplay } }], requirements: [], plan: undefined }),
    options,
  );
}
