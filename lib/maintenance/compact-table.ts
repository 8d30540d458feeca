// Compaction of one table's committed small files (SPEC.md §8), executed: planned on the
// current snapshot, each group rewritten in turn (one group's data in memory at a time), then
// all of them committed as one `replace` snapshot through the catalog. The commit validates
// the groups against the table it commits to, as the one commit loop plans any table change
// again on a refreshed base: a snapshot that landed meanwhile and only added files (our
// append, another engine's) is rebased on; a group whose input someone else removed or
// rewrote, or whose partition gained delete files, is dropped — its output is deleted, and no
// removed file ever comes back. The replaced files stay on storage: older snapshots still
// reference them (time travel) until snapshot expiry, which deletes by reachability.
import { newSnapshotId } from "../iceberg/snapshot-id.js";
import type { Catalog, LoadedTable, TableIdentifier } from "../catalog/catalog.js";
import { commitTableChange } from "../catalog/table-change.js";
import { CommitConflictError, ExportError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { partitionKeyOf } from "../iceberg/partition-key.js";
import { produceReplaceFiles, type ReplaceFiles } from "../iceberg/replace-files.js";
import { refSnapshotId } from "../iceberg/table-requirements.js";
import type { IcebergSchema } from "../iceberg/types.js";
import type { ObjectStore } from "../storage/object-store.js";
import { planCompaction, type CompactionPlanOptions } from "./compaction-plan.js";
import { rewriteGroup, type RewrittenGroup } from "./compaction-rewrite.js";
import { readLiveFiles, type LiveFiles } from "./live-files.js";
import { partitionFileCounts, type PartitionFileCounts } from "./partition-file-counts.js";

export interface CompactionSettings {
  targetFileSizeBytes: number;
  /** A partition whose newest file is older than this is closed. */
  quietPeriodMs: number;
  /** The small files an open partition needs before it is compacted. */
  minOpenPartitionFiles: number;
  /** Input bytes one pass rewrites at most per table. */
  maxInputBytes: number;
}

export interface CompactTableOptions {
  catalog: Catalog;
  objectStore: ObjectStore;
  logger: Logger;
  now: () => number;
  settings: CompactionSettings;
  manifestMergeThreshold?: number;
  maxAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
}

export interface CompactionOutcome {
  table: string;
  groupsPlanned: number;
  /** Groups in the replace snapshot. */
  groupsCommitted: number;
  /** Groups whose inputs changed under the commit; their outputs were deleted. */
  groupsDropped: number;
  filesReplaced: number;
  filesWritten: number;
  bytesReplaced: number;
  bytesWritten: number;
  conflictsRetried: number;
  snapshotId?: bigint;
  /** The table's data files per partition once the pass is done, as of the snapshot it planned or committed on. */
  filesPerPartition: PartitionFileCounts;
}

interface CommittedReplace {
  kept: RewrittenGroup[];
  replace: ReplaceFiles;
  /** The live files of the base it landed on. */
  live: LiveFiles;
}

export async function compactTable(identifier: TableIdentifier, options: CompactTableOptions): Promise<CompactionOutcome> {
  const { catalog, objectStore, logger, settings } = options;
  const table = `${identifier.namespace}.${identifier.name}`;
  const loaded = await catalog.loadTable(identifier);
  if (loaded === undefined) throw new ExportError("NOT_FOUND", `${table}: no such table in the catalog`);
  const planned = await readLiveFiles(loaded.metadata, objectStore);
  const outcome: CompactionOutcome = {
    table,
    groupsPlanned: 0,
    groupsCommitted: 0,
    groupsDropped: 0,
    filesReplaced: 0,
    filesWritten: 0,
    bytesReplaced: 0,
    bytesWritten: 0,
    conflictsRetried: 0,
    filesPerPartition: partitionFileCounts(planned.dataFiles),
  };
  const planOptions: CompactionPlanOptions = { ...settings, nowMs: options.now() };
  const groups = planCompaction(planned.dataFiles, planned.deleteFiles, planOptions);
  outcome.groupsPlanned = groups.length;
  if (groups.length === 0) return outcome;

  const schema = currentSchema(loaded);
  const rewritten: RewrittenGroup[] = [];
  try {
    for (const group of groups) {
      const result = await rewriteGroup(group, { objectStore, schema, logger, table });
      if (result !== undefined) rewritten.push(result);
    }
  } catch (error) {
    await deleteAll(rewritten.map((group) => group.output.location), objectStore);
    throw error;
  }
  if (rewritten.length === 0) return outcome;

  const snapshotId = newSnapshotId();
  const attemptFiles: string[] = [];
  let landed: CommittedReplace | undefined;
  try {
    const change = await commitTableChange<CommittedReplace>(
      identifier,
      async (base, nowMs) => {
        const live = refSnapshotId(base.metadata, "main") === planned.snapshotId ? planned : await readLiveFiles(base.metadata, objectStore);
        const kept = rewritten.filter((group) => stillApplies(group, live));
        if (kept.length === 0) return undefined;
        const replace = await produceReplaceFiles(base.metadata, {
          replaced: kept.flatMap((group) => group.inputs.map((file) => ({ path: file.path, partitionSpecId: file.partitionSpecId }))),
          added: kept.map((group) => group.output),
          snapshotId,
          objectStore,
          manifestLocation: (name) => `${base.metadata.location}/metadata/${name}`,
          manifestListLocation: (name) => `${base.metadata.location}/metadata/${name}`,
          nowMs,
          ...(options.manifestMergeThreshold === undefined ? {} : { manifestMergeThreshold: options.manifestMergeThreshold }),
        });
        attemptFiles.push(...replace.writtenFiles);
        return { updates: replace.updates, requirements: replace.requirements, plan: { kept, replace, live } };
      },
      {
        catalog,
        logger,
        now: options.now,
        ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
        ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
        onConflict: (attempt) => {
          outcome.conflictsRetried++;
          logger.info("table moved during compaction; validating the groups on the new table", { table, attempt });
        },
      },
    );
    landed = change?.plan;
  } catch (error) {
    // Only a conflict is certain not to have landed; any other failure leaves the files to the orphan scan.
    if (error instanceof CommitConflictError) await deleteAll([...rewritten.map((group) => group.output.location), ...attemptFiles], objectStore);
    else logger.warn("compaction commit failed; its files are left to the orphan scan", { table, files: rewritten.map((group) => group.output.location) });
    throw error;
  }

  const kept = new Set(landed?.kept ?? []);
  const dropped = rewritten.filter((group) => !kept.has(group));
  const landedFiles = new Set(landed?.replace.writtenFiles ?? []);
  await deleteAll([...dropped.map((group) => group.output.location), ...attemptFiles.filter((file) => !landedFiles.has(file))], objectStore);
  if (dropped.length > 0) logger.warn("compaction groups dropped: their files changed under the commit", { table, groups: dropped.map((group) => group.inputs.map((file) => file.path)) });
  if (landed === undefined) return { ...outcome, groupsDropped: dropped.length };
  const inputs = landed.kept.flatMap((group) => group.inputs);
  logger.info("small files compacted", { table, filesReplaced: inputs.length, filesWritten: landed.kept.length, snapshotId: String(snapshotId) });
  return {
    ...outcome,
    groupsCommitted: landed.kept.length,
    groupsDropped: dropped.length,
    filesReplaced: inputs.length,
    filesWritten: landed.kept.length,
    bytesReplaced: inputs.reduce((sum, file) => sum + file.fileSizeBytes, 0),
    bytesWritten: landed.kept.reduce((sum, group) => sum + group.output.fileSizeBytes, 0),
    snapshotId,
    filesPerPartition: partitionFileCounts(landed.live.dataFiles, {
      removed: inputs.map((file) => file.path),
      added: landed.kept.map((group) => ({ path: group.output.location, partitionSpecId: group.output.partitionSpecId, partition: group.output.partition })),
    }),
  };
}

/** Every input still live in the table, and no delete file since in its partition (Iceberg-Java's RewriteFiles validation). */
function stillApplies(group: RewrittenGroup, live: LiveFiles): boolean {
  const livePaths = new Set(live.dataFiles.map((file) => file.path));
  if (!group.inputs.every((file) => livePaths.has(file.path))) return false;
  const key = partitionKeyOf(group.group.partitionSpecId, group.group.partition);
  return !live.deleteFiles.some((file) => Object.keys(file.partition).length === 0 || partitionKeyOf(file.partitionSpecId, file.partition) === key);
}

async function deleteAll(locations: readonly string[], objectStore: ObjectStore): Promise<void> {
  for (const location of locations) await objectStore.delete(location);
}

function currentSchema(loaded: LoadedTable): IcebergSchema {
  const { metadata } = loaded;
  const schema = metadata.schemas.find((candidate) => candidate["schema-id"] === metadata["current-schema-id"]);
  if (schema === undefined) throw new ExportError("INTERNAL", `the table's current schema ${metadata["current-schema-id"]} is not one of its schemas`);
  return schema;
}
