// One table's commit (SPEC.md §2 step 3): under the table's lease, everything staged becomes
// one snapshot, committed to the catalog against the version it was built on. Each attempt
// first drops the staged files its base already holds (by the committed offsets recorded in
// our snapshot summaries), so a conflict retried on a new base, an answer lost after the
// catalog applied the commit, or a crash before the bookkeeping never appends a file twice.
// Small staged files of one partition are merged in the first attempt, after its dedupe:
// the snapshot appends the merged files, while the offsets and the bookkeeping stay on the
// staged files.
import { randomBytes, randomUUID } from "node:crypto";
import type { Catalog, LoadedTable } from "../catalog/catalog.js";
import { commitTableChange } from "../catalog/table-change.js";
import { CommitConflictError, ExportError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { produceFastAppend, type AppendedDataFile } from "../iceberg/fast-append.js";
import type { ManifestFile } from "../iceberg/manifest-types.js";
import { applyTableUpdates, type TableRequirement, type TableUpdate } from "../iceberg/table-updates.js";
import type { IcebergSchema } from "../iceberg/types.js";
import type { StagedFile, StateStore, TopicExport } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import {
  commitIdProperty,
  committedOffsetsOf,
  committedOffsetsProperty,
  committedOffsetsPropertyUpdate,
  formatCommittedOffsets,
  isCommitted,
  withFilesCommitted,
  type CommittedOffsets,
} from "./committed-offsets.js";
import { appendedDataFiles } from "./merge-staged-files.js";
import { loadOrCreateExportTable } from "./export-table.js";
import { lostFilesOf } from "./drop-missing-staged.js";
import { checkStagedFilesExist } from "./missing-staged-files.js";
import { schemaUpdatesFor } from "./table-schema.js";

export interface CommitContext {
  stateStore: StateStore;
  catalog: Catalog;
  objectStore: ObjectStore;
  logger: Logger;
  now: () => number;
  /** Identifies this committer in the table's lease. */
  leaseOwner: string;
  leaseDurationMs?: number;
  maxCommitAttempts?: number;
  manifestMergeThreshold?: number;
  /** Waits between conflicting attempts; jittered by the caller's choice of function. */
  backoff?: (attempt: number) => Promise<void>;
  /** Small staged files of one table partition are merged up to this size; undefined: never merged. */
  targetFileSizeBytes?: number;
  /** Epoch ms after which merges are given up and staged files appended unmerged. */
  mergeDeadlineMs?: number;
  /** The DEAD_LETTERS setting: a round also commits the dead-letter tables of topics that do not choose. */
  deadLettersByDefault?: boolean;
}

export type TableCommitStatus = "committed" | "nothing-staged" | "lease-held";

export interface TableCommitOutcome {
  table: string;
  status: TableCommitStatus;
  filesCommitted: number;
  recordsCommitted: number;
  /** Staged files the table already held: bookkeeping finished, nothing appended. */
  filesReconciled: number;
  conflictsRetried: number;
  snapshotId?: bigint;
  commitId?: string;
  /** Age of the oldest file this commit made visible: how far behind the stream the table was. */
  oldestStagedAgeMs?: number;
}

const defaultLeaseDurationMs = 5 * 60_000;
const defaultMaxCommitAttempts = 10;

export async function commitTopicTable(topicExport: TopicExport, context: CommitContext): Promise<TableCommitOutcome> {
  const table = `${topicExport.table.namespace}.${topicExport.table.name}`;
  const outcome: TableCommitOutcome = { table, status: "nothing-staged", filesCommitted: 0, recordsCommitted: 0, filesReconciled: 0, conflictsRetried: 0 };
  // Read before the lease, so that a table with nothing staged (most, with many quiet topics)
  // costs one read. A list read before the lease is safe to commit: each attempt first drops
  // what the table already holds, should another committer have committed it meanwhile.
  const staged = await context.stateStore.stagedFiles(table);
  if (staged.length === 0) return outcome;
  const lease = { owner: context.leaseOwner, nowMs: context.now(), durationMs: context.leaseDurationMs ?? defaultLeaseDurationMs };
  if (!(await context.stateStore.acquireCommitLease(table, lease))) return { ...outcome, status: "lease-held" };
  try {
    return await commitUnderLease(topicExport, table, staged, outcome, context);
  } finally {
    await context.stateStore.releaseCommitLease(table, context.leaseOwner);
  }
}

async function commitUnderLease(topicExport: TopicExport, table: string, stagedBefore: StagedFile[], outcome: TableCommitOutcome, context: CommitContext): Promise<TableCommitOutcome> {
  const { stateStore, catalog, logger } = context;
  let staged = stagedBefore;
  const schemaState = await stateStore.schemaState(table);
  if (schemaState === undefined) throw new ExportError("INTERNAL", `${table} has staged files but no schema state`);
  const schema = schemaState.state.schema;
  const loaded = await loadOrCreateExportTable(topicExport, schema, context);

  const commitId = randomUUID();
  const snapshotId = newSnapshotId();
  // Prepared once per set of staged files: a retry on a newer base that holds none of them
  // reuses the merged data files and the manifest written for them.
  let prepared: PreparedAppend | undefined;
  const landed = await commitTableChange<AttemptPlan>(
    topicExport.table,
    async (base, nowMs) => {
      const offsets = committedOffsetsOf(base.metadata);
      const held = staged.filter((file) => isCommitted(file, offsets));
      if (held.length > 0) {
        await stateStore.markCommitted(table, held);
        outcome.filesReconciled += held.length;
        staged = staged.filter((file) => !isCommitted(file, offsets));
        logger.info("staged files already in the table: bookkeeping finished", { table, files: held.length });
      }
      if (staged.length === 0) return undefined;
      // Files an operator recorded as lost (drop-missing-staged) are never appended; their
      // offsets still count as done, so the rest of their batches commits as usual.
      const lost = lostFilesOf(base.metadata.properties);
      if (staged.every((file) => lost.has(file.location))) {
        await stateStore.markCommitted(table, staged);
        logger.warn("staged files recorded as lost: dropped from staging, nothing appended", { table, files: staged.length });
        outcome.filesReconciled += staged.length;
        return undefined;
      }
      if (prepared?.files !== staged) {
        const appendable = staged.filter((file) => !lost.has(file.location));
        prepared = { files: staged, dataFiles: await dataFilesFor(appendable, table, schema, context) };
      }
      const offsetsAfter = withFilesCommitted(offsets, staged);
      const summaryProperties = { [commitIdProperty]: commitId, [committedOffsetsProperty]: formatCommittedOffsets(offsetsAfter) };
      const change = await appendChange(base, prepared, { schema, snapshotId, summaryProperties, offsetsAfter, nowMs, context });
      return { ...change, plan: { staged, prepared, lost, nowMs } };
    },
    {
      catalog,
      logger,
      now: context.now,
      base: loaded,
      maxAttempts: context.maxCommitAttempts ?? defaultMaxCommitAttempts,
      // Each attempt leaves out what its base already holds, by our committed offsets: after
      // a lost answer the reloaded table tells, whether the catalog named the file or not.
      replanOnUnknownOutcome: true,
      onConflict: (_attempt, error) => {
        if (error instanceof CommitConflictError) outcome.conflictsRetried++;
      },
      ...(context.backoff === undefined ? {} : { backoff: context.backoff }),
    },
  );
  if (landed === undefined) return outcome;
  const { plan } = landed;
  await stateStore.markCommitted(table, plan.staged);
  await deleteMergedStagedFiles(plan.staged, plan.prepared.dataFiles, context);
  return {
    ...outcome,
    status: "committed",
    filesCommitted: plan.staged.filter((file) => !plan.lost.has(file.location)).length,
    recordsCommitted: plan.prepared.dataFiles.reduce((sum, file) => sum + file.recordCount, 0),
    snapshotId,
    commitId,
    oldestStagedAgeMs: plan.nowMs - Math.min(...plan.staged.map((file) => file.stagedAt)),
  };
}

interface PreparedAppend {
  files: readonly StagedFile[];
  dataFiles: readonly AppendedDataFile[];
  manifests?: ManifestFile[];
}

/** What the attempt that landed appended. */
interface AttemptPlan {
  staged: readonly StagedFile[];
  prepared: PreparedAppend;
  lost: ReadonlySet<string>;
  nowMs: number;
}

interface AppendOptions {
  schema: IcebergSchema;
  snapshotId: bigint;
  summaryProperties: Record<string, string>;
  offsetsAfter: CommittedOffsets;
  nowMs: number;
  context: CommitContext;
}

/** The commit: the state's schema made current if needed, and the append on top. */
async function appendChange(base: LoadedTable, prepared: PreparedAppend, options: AppendOptions): Promise<{ updates: TableUpdate[]; requirements: TableRequirement[] }> {
  const { schema, snapshotId, summaryProperties, offsetsAfter, nowMs, context } = options;
  // The append is produced on the base with the schema made current, but all the updates
  // go to the catalog in one commit, so that the metadata log records the base's own time.
  const schemaUpdates = schemaUpdatesFor(base.metadata, schema);
  const withSchema = applyTableUpdates(base.metadata, schemaUpdates, [], { nowMs, metadataLocationOfBase: undefined });
  // A retry reuses the manifests its first attempt wrote only while they are there: an orphan
  // scan run meanwhile with a short minimum age may have deleted them (no snapshot names them
  // yet), and a snapshot must never name a missing file.
  if (prepared.manifests !== undefined && !(await allExist(prepared.manifests.map((manifest) => manifest.manifestPath), context))) {
    context.logger.warn("the manifests of an earlier attempt are gone: written again", { table: `${base.identifier.namespace}.${base.identifier.name}` });
    delete prepared.manifests;
  }
  const append = await produceFastAppend(withSchema, {
    dataFiles: prepared.dataFiles,
    snapshotId,
    summaryProperties,
    schemaId: withSchema["current-schema-id"],
    objectStore: context.objectStore,
    manifestLocation: (name) => `${withSchema.location}/metadata/${name}`,
    manifestListLocation: (name) => `${withSchema.location}/metadata/${name}`,
    nowMs,
    ...(prepared.manifests === undefined ? {} : { reusedManifests: prepared.manifests }),
    ...(context.manifestMergeThreshold === undefined ? {} : { manifestMergeThreshold: context.manifestMergeThreshold }),
  });
  prepared.manifests = append.newManifests;
  return { updates: [...schemaUpdates, ...append.updates, committedOffsetsPropertyUpdate(offsetsAfter)], requirements: append.requirements };
}

// Every file appended is known to exist (SPEC.md §2.5): a merge reads its members (and fails
// the commit on a missing one), and the files appended as staged are checked.
async function dataFilesFor(staged: readonly StagedFile[], table: string, schema: IcebergSchema, context: CommitContext): Promise<readonly AppendedDataFile[]> {
  const { targetFileSizeBytes, objectStore, logger } = context;
  if (targetFileSizeBytes === undefined) {
    await checkStagedFilesExist(table, staged, objectStore);
    return staged;
  }
  const deadline = context.mergeDeadlineMs === undefined ? {} : { deadlineMs: context.mergeDeadlineMs, now: context.now };
  const dataFiles = await appendedDataFiles(staged, { objectStore, schema, targetFileSizeBytes, logger, table, ...deadline });
  const appendedAsStaged = new Set<AppendedDataFile>(dataFiles);
  await checkStagedFilesExist(table, staged.filter((file) => appendedAsStaged.has(file)), objectStore);
  return dataFiles;
}

/**
 * The staged files a merge replaced, deleted now that the commit that replaced them and its
 * bookkeeping are durable (SPEC.md §8): no snapshot references them and no staged entry
 * names them any more. A failure only leaves them to the orphan scan.
 */
async function deleteMergedStagedFiles(staged: readonly StagedFile[], appended: readonly AppendedDataFile[], context: CommitContext): Promise<void> {
  const appendedLocations = new Set(appended.map((file) => file.location));
  const replaced = staged.filter((file) => !appendedLocations.has(file.location)).map((file) => file.location);
  if (replaced.length === 0) return;
  try {
    await context.objectStore.deleteMany(replaced);
  } catch (error) {
    context.logger.warn("could not delete staged files a merge replaced; the orphan scan will", { files: replaced, error });
  }
}

// Snapshot ids are random positive longs (spec: "A unique long ID").
function newSnapshotId(): bigint {
  const id = randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn;
  return id === 0n ? 1n : id;
}

async function allExist(locations: readonly string[], context: CommitContext): Promise<boolean> {
  for (const location of locations) if (!(await context.objectStore.exists(location))) return false;
  return true;
}
