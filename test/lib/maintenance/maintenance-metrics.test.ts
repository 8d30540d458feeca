import { describe, expect, it } from "vitest";
import type { CompactionOutcome } from "../../../lib/maintenance/compact-table.js";
import { maintenanceMetrics } from "../../../lib/maintenance/maintenance-metrics.js";

function compaction(table: string, overrides: Partial<CompactionOutcome>): CompactionOutcome {
  return {
    table,
    groupsPlanned: 0,
    groupsCommitted: 0,
    groupsDropped: 0,
    filesReplaced: 0,
    filesWritten: 0,
    bytesReplaced: 0,
    bytesWritten: 0,
    conflictsRetried: 0,
    filesPerPartition: { partitions: 0, dataFiles: 0, maxFilesPerPartition: 0 },
    ...overrides,
  };
}

const valueOf = (points: ReturnType<typeof maintenanceMetrics>, name: string) => points.find((point) => point.name === name)?.value;

describe("maintenance metrics", () => {
  it("files rewritten in and out, and the data files per partition after the pass over every table", () => {
    const points = maintenanceMetrics(
      {
        tables: [
          { table: "kafka.a", compaction: compaction("kafka.a", { filesReplaced: 6, filesWritten: 2, bytesReplaced: 600, bytesWritten: 500, filesPerPartition: { partitions: 3, dataFiles: 4, maxFilesPerPartition: 2 } }) },
          { table: "kafka.b", compaction: compaction("kafka.b", { filesPerPartition: { partitions: 1, dataFiles: 8, maxFilesPerPartition: 8 } }) },
        ],
        failures: [],
      },
      1200,
    );
    expect(valueOf(points, "CompactionFilesReplaced")).toBe(6);
    expect(valueOf(points, "CompactionFilesWritten")).toBe(2);
    expect(valueOf(points, "DataFilesPerPartitionMax")).toBe(8);
    expect(valueOf(points, "DataFilesPerPartitionMean")).toBe(3);
    expect(valueOf(points, "MaintenanceLatency")).toBe(1200);
    expect(points.find((point) => point.name === "DataFilesPerPartitionMax")?.unit).toBe("Count");
  });

  it("no files-per-partition metric when compaction did not run: the pass did not read the table's files", () => {
    const points = maintenanceMetrics({ tables: [{ table: "kafka.a" }], failures: [] }, 10);
    expect(points.map((point) => point.name)).not.toContain("DataFilesPerPartitionMax");
    expect(valueOf(points, "SnapshotsExpired")).toBe(0);
  });
});
