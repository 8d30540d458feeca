import { describe, expect, it } from "vitest";
import { combinedFileCounts, partitionFileCounts } from "../../../lib/maintenance/partition-file-counts.js";

const file = (path: string, day: number, partitionSpecId = 0) => ({ path, partitionSpecId, partition: { timestamp_day: day } });

describe("data files per partition", () => {
  it("counts the live files by spec and partition tuple", () => {
    expect(partitionFileCounts([file("a", 1), file("b", 1), file("c", 2), file("d", 1, 1)])).toEqual({ partitions: 3, dataFiles: 4, maxFilesPerPartition: 2 });
  });

  it("applies a replace: the removed files go, the added ones count in their partitions", () => {
    const live = [file("a", 1), file("b", 1), file("c", 1), file("d", 2)];
    expect(partitionFileCounts(live, { removed: ["a", "b", "c"], added: [file("compacted", 1)] })).toEqual({ partitions: 2, dataFiles: 2, maxFilesPerPartition: 1 });
  });

  it("is zero for a table without data files", () => {
    expect(partitionFileCounts([])).toEqual({ partitions: 0, dataFiles: 0, maxFilesPerPartition: 0 });
  });

  it("combines tables: partitions and files summed, the largest partition of any", () => {
    expect(combinedFileCounts([
      { partitions: 2, dataFiles: 3, maxFilesPerPartition: 2 },
      { partitions: 1, dataFiles: 5, maxFilesPerPartition: 5 },
    ])).toEqual({ partitions: 3, dataFiles: 8, maxFilesPerPartition: 5 });
    expect(combinedFileCounts([])).toEqual({ partitions: 0, dataFiles: 0, maxFilesPerPartition: 0 });
  });
});
