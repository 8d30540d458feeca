// `status`: per exported topic, what an operator asks first — is it on, from which offsets,
// how far staging and commits have got, how much waits for the next commit, and what the
// table's last snapshot holds. Log-end offsets (and so the lag) only when Kafka is reachable.
import type { Catalog } from "../catalog/catalog.js";
import type { Snapshot, TableMetadata } from "../iceberg/table-metadata.js";
import type { StagedFile, StateStore, TopicExport } from "../state/state-store.js";
import type { TopicAdmin } from "./topic-admin.js";
import { deadLetterTableCommitted, deadLetterTableIdentifier, deadLetterTableKey } from "../dead-letters/dead-letter-table.js";
import { countReplayed, replayedOffsetsOf } from "../dead-letters/replayed-offsets.js";

export interface PartitionStatus {
  partition: number;
  startOffset: bigint | undefined;
  stagedWatermark: bigint | undefined;
  committedOffset: bigint | undefined;
  logEndOffset?: bigint;
  /** Records at or after the start offset that are not committed yet. */
  lag?: bigint;
}

export interface StagedBacklog {
  files: number;
  records: number;
  bytes: number;
  oldestStagedAgeMs: number | undefined;
}

export interface SnapshotStatus {
  snapshotId: bigint;
  committedAt: string;
  totalRecords: number | undefined;
  totalDataFiles: number | undefined;
  snapshots: number;
}

export interface TopicStatus {
  topic: string;
  enabled: boolean;
  table: string;
  tableLocation: string;
  updatedAt: string;
  partitions: PartitionStatus[];
  backlog: StagedBacklog;
  /** undefined when the table has no snapshot yet (or does not exist yet). */
  lastSnapshot: SnapshotStatus | undefined;
  metadataLocation: string | undefined;
  /** Only for a topic that keeps (or kept) dead letters: its dead-letter table's count. */
  deadLetters?: DeadLetterStatus;
}

export interface DeadLetterStatus {
  table: string;
  /** Committed to the dead-letter table (its current snapshot's total-records); 0 before any. */
  kept: number;
  /** Of those, replayed into the table (its replayed-offsets property). */
  replayed: number;
}

export interface TopicStatusContext {
  stateStore: StateStore;
  catalog: Catalog;
  /** Absent: no log-end offsets and no lag. */
  topicAdmin?: TopicAdmin;
  now: () => number;
  /** The DEAD_LETTERS setting: topics that do not choose keep dead letters. */
  deadLettersByDefault?: boolean;
}

/** Every topic ever enabled, or only `topic`. */
export async function topicStatuses(context: TopicStatusContext, topic?: string): Promise<TopicStatus[]> {
  const exports = topic === undefined ? await context.stateStore.topicExports() : [await context.stateStore.topicExport(topic)].filter((found) => found !== undefined);
  return Promise.all(exports.map((topicExport) => topicStatus(topicExport, context)));
}

async function topicStatus(topicExport: TopicExport, context: TopicStatusContext): Promise<TopicStatus> {
  const table = `${topicExport.table.namespace}.${topicExport.table.name}`;
  const [staged, loaded, logEnd] = await Promise.all([
    context.stateStore.stagedFiles(table),
    context.catalog.loadTable(topicExport.table),
    context.topicAdmin?.logEndOffsets(topicExport.topic),
  ]);
  const ownStaged = staged.filter((file) => file.topic === topicExport.topic);
  const deadLetters = deadLetterTableCommitted(topicExport, context.deadLettersByDefault ?? false) ? await deadLetterStatus(topicExport, loaded?.metadata, context.catalog) : undefined;
  return {
    topic: topicExport.topic,
    enabled: topicExport.enabled,
    table,
    tableLocation: topicExport.tableLocation,
    updatedAt: topicExport.updatedAt,
    partitions: await partitionStatuses(topicExport, ownStaged, logEnd, context.stateStore),
    backlog: stagedBacklog(ownStaged, context.now()),
    lastSnapshot: loaded === undefined ? undefined : lastSnapshotOf(loaded.metadata),
    metadataLocation: loaded?.metadataLocation,
    ...(deadLetters === undefined ? {} : { deadLetters }),
  };
}

async function deadLetterStatus(topicExport: TopicExport, main: TableMetadata | undefined, catalog: Catalog): Promise<DeadLetterStatus> {
  const table = await catalog.loadTable(deadLetterTableIdentifier(topicExport.table));
  const kept = table === undefined ? undefined : lastSnapshotOf(table.metadata)?.totalRecords;
  return { table: deadLetterTableKey(topicExport), kept: kept ?? 0, replayed: main === undefined ? 0 : countReplayed(replayedOffsetsOf(main.properties), topicExport.topic) };
}

async function partitionStatuses(topicExport: TopicExport, staged: readonly StagedFile[], logEnd: Record<number, bigint> | undefined, stateStore: StateStore): Promise<PartitionStatus[]> {
  const numbers = new Set<number>([...Object.keys(topicExport.startOffsets).map(Number), ...staged.map((file) => file.partition), ...Object.keys(logEnd ?? {}).map(Number)]);
  const sorted = [...numbers].sort((a, b) => a - b);
  return Promise.all(
    sorted.map(async (partition) => {
      const [stagedWatermark, committedOffset] = await Promise.all([stateStore.stagedWatermark(topicExport.topic, partition), stateStore.committedOffset(topicExport.topic, partition)]);
      const startOffset = topicExport.startOffsets[partition];
      const status: PartitionStatus = { partition, startOffset, stagedWatermark, committedOffset };
      const end = logEnd?.[partition];
      if (end !== undefined) {
        status.logEndOffset = end;
        status.lag = partitionLag(end, startOffset ?? 0n, committedOffset);
      }
      return status;
    }),
  );
}

function partitionLag(logEndOffset: bigint, startOffset: bigint, committedOffset: bigint | undefined): bigint {
  const next = committedOffset === undefined || committedOffset < startOffset ? startOffset : committedOffset + 1n;
  return logEndOffset > next ? logEndOffset - next : 0n;
}

function stagedBacklog(staged: readonly StagedFile[], nowMs: number): StagedBacklog {
  let records = 0;
  let bytes = 0;
  let oldest: number | undefined;
  for (const file of staged) {
    records += file.recordCount;
    bytes += file.fileSizeBytes;
    oldest = oldest === undefined ? file.stagedAt : Math.min(oldest, file.stagedAt);
  }
  return { files: staged.length, records, bytes, oldestStagedAgeMs: oldest === undefined ? undefined : nowMs - oldest };
}

function lastSnapshotOf(metadata: TableMetadata): SnapshotStatus | undefined {
  const currentId = metadata["current-snapshot-id"];
  const current: Snapshot | undefined = metadata.snapshots.find((snapshot) => snapshot["snapshot-id"] === currentId);
  if (current === undefined) return undefined;
  return {
    snapshotId: current["snapshot-id"],
    committedAt: new Date(current["timestamp-ms"]).toISOString(),
    totalRecords: summaryCount(current, "total-records"),
    totalDataFiles: summaryCount(current, "total-data-files"),
    snapshots: metadata.snapshots.length,
  };
}

function summaryCount(snapshot: Snapshot, key: string): number | undefined {
  const value = snapshot.summary[key];
  return value === undefined ? undefined : Number(value);
}
