// How many data files a table's partitions hold after a pass (SPEC.md §8, metric "files per
// partition"): the health a reader sees, since every file is an open and a footer read. From
// the live files the pass planned on, less those its replace snapshot removed and plus those
// it added: no second read of the manifests.
import { partitionKeyOf } from "../iceberg/partition-key.js";
import type { PartitionTuple } from "../iceberg/manifest-types.js";

export interface PartitionedFile {
  path: string;
  partitionSpecId: number;
  partition: PartitionTuple;
}

export interface PartitionFileCounts {
  partitions: number;
  dataFiles: number;
  /** The most data files one partition holds; 0 for a table without any. */
  maxFilesPerPartition: number;
}

export function partitionFileCounts(live: readonly PartitionedFile[], change: { removed?: readonly string[]; added?: readonly PartitionedFile[] } = {}): PartitionFileCounts {
  const removed = new Set(change.removed ?? []);
  const counts = new Map<string, number>();
  for (const file of [...live.filter((candidate) => !removed.has(candidate.path)), ...(change.added ?? [])]) {
    const key = partitionKeyOf(file.partitionSpecId, file.partition);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const values = [...counts.values()];
  return { partitions: values.length, dataFiles: values.reduce((sum, count) => sum + count, 0), maxFilesPerPartition: Math.max(0, ...values) };
}

/** Several tables' counts as one: the partitions and files summed, the largest partition of any. */
export function combinedFileCounts(counts: readonly PartitionFileCounts[]): PartitionFileCounts {
  return {
    partitions: counts.reduce((sum, count) => sum + count.partitions, 0),
    dataFiles: counts.reduce((sum, count) => sum + count.dataFiles, 0),
    maxFilesPerPartition: Math.max(0, ...counts.map((count) => count.maxFilesPerPartition)),
  };
}
