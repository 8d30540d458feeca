// Which committed data files to compact (SPEC.md §8): per partition spec and partition tuple,
// the files below a small-file size are bin-packed into groups of at most the target size, so
// that rewriting one group never holds more than a target's worth of data whatever the
// partition's size. A partition is closed once its newest file is older than a quiet period
// (nothing is being written into it): any two small files are worth compacting there, and it
// goes first. The open partition is compacted only once it holds enough small files, so that
// a partition written every minute is not rewritten every pass. A pure function of the
// table's live files: the executor plans again on the table it commits to.
import { packBins } from "../core/bin-packing.js";
import type { PartitionTuple } from "../iceberg/manifest-types.js";
import { partitionKeyOf } from "../iceberg/partition-key.js";

/** A live data file of the current snapshot, as the plan needs it. */
export interface LiveDataFile {
  path: string;
  partitionSpecId: number;
  partition: PartitionTuple;
  fileSizeBytes: number;
  recordCount: number;
  /** `PARQUET`, `AVRO`, `ORC`: only Parquet files are compacted. */
  fileFormat: string;
  /** When the snapshot that added it was committed; undefined once that snapshot expired. */
  addedAtMs: number | undefined;
  /** The data sequence number: rows of a compacted file follow it. */
  sequenceNumber: number;
}

/** A live delete file's partition: data files under it are never compacted (their rows would lose the deletes). */
export interface LiveDeleteFile {
  partitionSpecId: number;
  partition: PartitionTuple;
}

export interface CompactionPlanOptions {
  targetFileSizeBytes: number;
  /** Files at least this big are left alone; 3/4 of the target by default. */
  smallFileSizeBytes?: number;
  /** A partition whose newest file is older than this is closed. */
  quietPeriodMs: number;
  /** The small files an open partition needs before it is compacted. */
  minOpenPartitionFiles: number;
  nowMs: number;
  /** Input bytes one pass rewrites at most (at least one group): a pass ends in bounded time. */
  maxInputBytes?: number;
}

export interface CompactionGroup {
  partitionSpecId: number;
  partition: PartitionTuple;
  /** In data sequence order, then by path. */
  files: LiveDataFile[];
  inputBytes: number;
  closed: boolean;
}

interface PartitionFiles {
  partitionSpecId: number;
  partition: PartitionTuple;
  all: LiveDataFile[];
}

export function planCompaction(dataFiles: readonly LiveDataFile[], deleteFiles: readonly LiveDeleteFile[], options: CompactionPlanOptions): CompactionGroup[] {
  const { targetFileSizeBytes, smallFileSizeBytes = Math.floor((targetFileSizeBytes * 3) / 4), quietPeriodMs, minOpenPartitionFiles, nowMs, maxInputBytes = Number.POSITIVE_INFINITY } = options;
  // A delete file without a partition (an unpartitioned table's, or a global equality delete)
  // may apply to any data file.
  if (deleteFiles.some((file) => Object.keys(file.partition).length === 0)) return [];
  const withDeletes = new Set(deleteFiles.map((file) => partitionKeyOf(file.partitionSpecId, file.partition)));
  const partitions = [...byPartition(dataFiles).entries()]
    .filter(([key]) => !withDeletes.has(key))
    .map(([, partition]) => ({ ...partition, newestMs: Math.max(...partition.all.map((file) => file.addedAtMs ?? 0)) }))
    .map((partition) => ({ ...partition, closed: nowMs - partition.newestMs >= quietPeriodMs }))
    // Closed partitions first, the longest quiet first: they will not change under the rewrite.
    .sort((a, b) => Number(b.closed) - Number(a.closed) || a.newestMs - b.newestMs);
  const groups: CompactionGroup[] = [];
  for (const partition of partitions) {
    const small = partition.all.filter((file) => file.fileSizeBytes < smallFileSizeBytes && file.fileFormat.toUpperCase() === "PARQUET");
    if (small.length < (partition.closed ? 2 : Math.max(2, minOpenPartitionFiles))) continue;
    for (const bin of packBins(small, targetFileSizeBytes, largestFirst)) {
      if (bin.length < 2) continue;
      groups.push({
        partitionSpecId: partition.partitionSpecId,
        partition: partition.partition,
        files: bin.sort(bySequence),
        inputBytes: bin.reduce((sum, file) => sum + file.fileSizeBytes, 0),
        closed: partition.closed,
      });
    }
  }
  return withinBudget(groups, maxInputBytes);
}

function byPartition(files: readonly LiveDataFile[]): Map<string, PartitionFiles> {
  const partitions = new Map<string, PartitionFiles>();
  for (const file of files) {
    const key = partitionKeyOf(file.partitionSpecId, file.partition);
    const partition = partitions.get(key);
    if (partition === undefined) partitions.set(key, { partitionSpecId: file.partitionSpecId, partition: file.partition, all: [file] });
    else partition.all.push(file);
  }
  return partitions;
}

function withinBudget(groups: readonly CompactionGroup[], maxInputBytes: number): CompactionGroup[] {
  const taken: CompactionGroup[] = [];
  let bytes = 0;
  for (const group of groups) {
    if (taken.length > 0 && bytes + group.inputBytes > maxInputBytes) break;
    taken.push(group);
    bytes += group.inputBytes;
  }
  return taken;
}

function largestFirst(a: LiveDataFile, b: LiveDataFile): number {
  return b.fileSizeBytes - a.fileSizeBytes || compareText(a.path, b.path);
}

function bySequence(a: LiveDataFile, b: LiveDataFile): number {
  return a.sequenceNumber - b.sequenceNumber || compareText(a.path, b.path);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
