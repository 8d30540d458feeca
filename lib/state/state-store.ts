// What the export remembers between invocations (SPEC.md §1, §2): per topic whether it is
// exported and from which offsets, per topic-partition the highest offset staged, per table
// its schema state and the data files staged for the next commit. DynamoDB holds it in AWS;
// the embedded default keeps it in local files. Every write that guards exactly-once is
// conditional, and a lost condition is a ConditionFailedError, never a silent overwrite.
import type { AppendedDataFile } from "../iceberg/fast-append.js";
import type { TableIdentifier } from "../catalog/table-identifier.js";
import type { Partitioning } from "../iceberg/partitioning.js";
import type { SchemaState } from "../schema/schema-state.js";


export interface TopicExport {
  topic: string;
  enabled: boolean;
  table: TableIdentifier;
  /** `s3://bucket/prefix/namespace/name`, or a local folder. */
  tableLocation: string;
  /**
   * Per Kafka partition, the log-end offset read when export was last enabled: records
   * below it are never exported (no backfill, and a disable/enable gap stays a gap).
   */
  startOffsets: Record<number, bigint>;
  /** The value subject in the schema registry; `<topic>-value` unless configured. */
  valueSubject: string;
  /** True when the subject was configured explicitly, so its absence is an error. */
  subjectIsExplicit: boolean;
  /** The message of the subject's schema that is the value; the first one when absent. */
  messageName?: string;
  partitioning: Partitioning;
  /**
   * Whether invalid records are kept in the topic's dead-letter table (lib/dead-letters/);
   * absent: as the deployment's DEAD_LETTERS setting says (off unless set).
   */
  deadLetters?: boolean;
  /** ISO 8601. */
  updatedAt: string;
}

export interface VersionedSchemaState {
  state: SchemaState;
  /** Increases with every save; the condition of the next save. */
  version: number;
}

/** A Parquet data file written to the table location and waiting for the next commit. */
export interface StagedFile extends AppendedDataFile {
  /** `namespace.name` of the table. */
  table: string;
  topic: string;
  partition: number;
  /** The Kafka offset range the file's batch covered, inclusive. */
  firstOffset: bigint;
  lastOffset: bigint;
  /** The Iceberg schema id the file was written with. */
  schemaId: number;
  /** Epoch milliseconds. */
  stagedAt: number;
}

export interface StageRequest {
  topic: string;
  partition: number;
  /** The staged watermark this invocation read; undefined when none was ever staged. */
  expectedWatermark: bigint | undefined;
  /** The highest offset of the batch, staged by this request. */
  newWatermark: bigint;
  files: StagedFile[];
}

export interface CommitLeaseRequest {
  /** Who takes the lease; the same owner may take it again to renew it. */
  owner: string;
  nowMs: number;
  /** How long the lease holds unless renewed or released; a crashed holder blocks no longer. */
  durationMs: number;
}

/**
 * Written once, when the store is first used by `enable`: a store without it (a deleted
 * folder, a table emptied or created anew) is missing, never "nothing enabled" (SPEC.md §2.6).
 */
export interface StoreMarker {
  /** Random; a restored backup keeps it, a new store has another. */
  id: string;
  /** ISO 8601. */
  createdAt: string;
}

export interface StateStore {
  /** The store's marker, or undefined when the store is missing, emptied or never used. */
  storeMarker(): Promise<StoreMarker | undefined>;
  /** Writes a new marker unless one exists (create-only); returns the marker that holds. */
  ensureStoreMarker(): Promise<StoreMarker>;

  topicExport(topic: string): Promise<TopicExport | undefined>;
  /** Every topic ever enabled, enabled or not, in topic order. */
  topicExports(): Promise<TopicExport[]>;
  /** Writes the store marker first if there is none: `enable` is what establishes a store. */
  putTopicExport(topicExport: TopicExport): Promise<void>;

  schemaState(table: string): Promise<VersionedSchemaState | undefined>;
  /**
   * Saves a new schema state if the stored version is still `expectedVersion` (undefined:
   * none stored yet); otherwise ConditionFailedError. Returns the new version.
   */
  saveSchemaState(table: string, state: SchemaState, expectedVersion: number | undefined): Promise<number>;

  /** The highest offset staged for a topic-partition, or undefined if none ever was. */
  stagedWatermark(topic: string, partition: number): Promise<bigint | undefined>;
  /**
   * Records the files as staged and moves the watermark to `newWatermark`, in one atomic
   * write conditioned on the watermark still being `expectedWatermark`. When the condition
   * fails nothing is written and the result is "condition-failed": another invocation moved
   * the watermark first. All files or none, however many (a batch may touch hundreds of
   * table partitions) and however big their metadata: no store limit fails a request.
   */
  stageFiles(request: StageRequest): Promise<"staged" | "condition-failed">;
  /** The files staged for a table and not yet committed, oldest first. */
  stagedFiles(table: string): Promise<StagedFile[]>;

  /**
   * Takes the table's commit lease if nobody holds it, it has expired, or `owner` holds it
   * already (a renewal); true when `owner` holds it afterwards. One committer per table.
   */
  acquireCommitLease(table: string, request: CommitLeaseRequest): Promise<boolean>;
  /** Gives the lease up if `owner` still holds it; otherwise does nothing. */
  releaseCommitLease(table: string, owner: string): Promise<void>;
  /**
   * Bookkeeping after a commit: the files leave the staged set and each topic-partition's
   * committed offset moves up to the highest lastOffset among them. Idempotent. `files` are
   * whole stage requests, as a commit takes everything staged: a store may keep a request's
   * files as one unit and remove it whole.
   */
  markCommitted(table: string, files: readonly StagedFile[]): Promise<void>;
  /** The highest offset committed to the table for a topic-partition, if any. */
  committedOffset(topic: string, partition: number): Promise<bigint | undefined>;
}
