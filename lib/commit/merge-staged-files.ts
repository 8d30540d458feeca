// The data files a commit appends for its staged files (SPEC.md §4, the small-file problem):
// small files of one table partition are merged, and a merged file replaces its members in
// the snapshot. Only the snapshot changes: offsets and bookkeeping stay on the staged files,
// which is what the state store holds and the committed offsets are computed from.
import { ExportError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { AppendedDataFile } from "../iceberg/fast-append.js";
import type { IcebergSchema } from "../iceberg/types.js";
import type { StagedFile } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import { checkStagedFilesExist } from "./missing-staged-files.js";
import { mergeStagedFiles } from "./staged-file-merge.js";
import { planStagedFileMerges } from "./staged-file-merge-plan.js";

export interface MergeStagedFilesOptions {
  objectStore: ObjectStore;
  /** The schema state's schema, which the commit makes the table's current one. */
  schema: IcebergSchema;
  targetFileSizeBytes: number;
  logger: Logger;
  /** `namespace.name`, for the log. */
  table: string;
  /**
   * Epoch ms (by `now`) after which no merge starts and a merge under way is given up: its
   * group is appended unmerged (compaction merges it later), so a commit never runs out of
   * time merging and never stalls a partition by trying the same long merge again.
   */
  deadlineMs?: number;
  now?: () => number;
}

export async function appendedDataFiles(staged: readonly StagedFile[], options: MergeStagedFilesOptions): Promise<AppendedDataFile[]> {
  const { objectStore, schema, targetFileSizeBytes, logger, table, deadlineMs, now = Date.now } = options;
  const merged: AppendedDataFile[] = [];
  const replaced = new Set<StagedFile>();
  const outOfTime = deadlineMs === undefined ? undefined : (): boolean => now() >= deadlineMs;
  for (const group of planStagedFileMerges(staged, { targetFileSizeBytes, mergeSchemaId: schema["schema-id"] })) {
    if (outOfTime?.() === true) {
      logger.warn("no time left to merge: staged files appended unmerged", { table, files: group.length });
      continue;
    }
    try {
      merged.push(await mergeStagedFiles(group, { objectStore, schema, ...(outOfTime === undefined ? {} : { outOfTime }) }));
      for (const member of group) replaced.add(member);
    } catch (error) {
      // A transient failure fails the commit, to be run again; a member deleted since the
      // commit checked it fails the commit too (its files must not be appended); any other
      // leaves the group unmerged: a merge only saves files, it must never hold the stream back.
      if (error instanceof ExportError && error.retryable) throw error;
      if (error instanceof ExportError && error.code === "NOT_FOUND") await checkStagedFilesExist(table, group, objectStore);
      logger.warn("staged files left unmerged", { table, files: group.map((file) => file.location), reason: error instanceof Error ? error.message : String(error) });
    }
  }
  if (merged.length > 0) logger.info("merged small staged files", { table, stagedFiles: replaced.size, mergedFiles: merged.length });
  return [...staged.filter((file) => !replaced.has(file)), ...merged];
}
