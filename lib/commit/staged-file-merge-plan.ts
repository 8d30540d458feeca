// Which staged files to merge before a commit (SPEC.md §4: "staged files of one table
// partition may be merged before commit"). Only files of the same partition spec and
// partition tuple can share a data file; among them the small ones are bin-packed up to the
// target size. The plan is a pure function of its input, so a commit retried on the same
// staged files plans the same merges.
import { packBins } from "../core/bin-packing.js";
import type { StagedFile } from "../state/state-store.js";

export interface StagedFileMergePlanOptions {
  targetFileSizeBytes: number;
  /** A merge of fewer files than this does not reduce the file count enough to be worth it. */
  minFilesToMerge?: number;
  /** Files at least this big are committed as they are; 3/4 of the target by default. */
  smallFileSizeBytes?: number;
  /**
   * The schema id merged files are written with: a file staged with a newer schema may hold
   * columns that schema lacks, so it is left alone.
   */
  mergeSchemaId?: number;
}

export function planStagedFileMerges(staged: readonly StagedFile[], options: StagedFileMergePlanOptions): StagedFile[][] {
  const { targetFileSizeBytes, minFilesToMerge = 2, smallFileSizeBytes = Math.floor((targetFileSizeBytes * 3) / 4), mergeSchemaId } = options;
  const candidates = staged.filter((file) => file.fileSizeBytes < smallFileSizeBytes && (mergeSchemaId === undefined || file.schemaId <= mergeSchemaId));
  return [...groupByTablePartition(candidates).values()]
    .flatMap((files) => packBins(files, targetFileSizeBytes, largestFirst))
    .filter((bin) => bin.length >= minFilesToMerge)
    .map((bin) => bin.sort(byOffsets));
}

function groupByTablePartition(files: readonly StagedFile[]): Map<string, StagedFile[]> {
  const groups = new Map<string, StagedFile[]>();
  for (const file of files) {
    const key = tablePartitionKey(file);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [file]);
    else group.push(file);
  }
  return groups;
}

function tablePartitionKey(file: StagedFile): string {
  const values = Object.keys(file.partitionValues)
    .sort()
    .map((name) => [name, file.partitionValues[name] ?? null]);
  return JSON.stringify([file.partitionSpecId, values]);
}

function largestFirst(a: StagedFile, b: StagedFile): number {
  return b.fileSizeBytes - a.fileSizeBytes || compareText(a.location, b.location);
}

// Rows of a merged file follow the stream: by topic-partition, then offset.
function byOffsets(a: StagedFile, b: StagedFile): number {
  return compareText(a.topic, b.topic) || a.partition - b.partition || (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0) || compareText(a.location, b.location);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
