// The CloudWatch metrics of a maintenance pass (published by the handler in the embedded
// metric format).
import type { MetricPoint } from "../ingest/ingest-metrics.js";
import type { MaintenancePassOutcome } from "./maintain-tables.js";
import { combinedFileCounts, type PartitionFileCounts } from "./partition-file-counts.js";

export function maintenanceMetrics(outcome: MaintenancePassOutcome, latencyMs: number): MetricPoint[] {
  const expiries = outcome.tables.flatMap((table) => (table.expiry === undefined ? [] : [table.expiry]));
  const sum = (pick: (expiry: (typeof expiries)[number]) => number): number => expiries.reduce((total, expiry) => total + pick(expiry), 0);
  const compactions = outcome.tables.flatMap((table) => (table.compaction === undefined ? [] : [table.compaction]));
  const compacted = (pick: (compaction: (typeof compactions)[number]) => number): number => compactions.reduce((total, compaction) => total + pick(compaction), 0);
  // Known where compaction ran: it reads the live files anyway.
  const files = compactions.length === 0 ? undefined : combinedFileCounts(compactions.map((compaction) => compaction.filesPerPartition));
  return [
    { name: "MaintenanceLatency", unit: "Milliseconds", value: latencyMs },
    { name: "SnapshotsExpired", unit: "Count", value: sum((expiry) => expiry.snapshotsExpired) },
    { name: "FilesDeleted", unit: "Count", value: sum((expiry) => expiry.deleted.dataFiles.length + expiry.deleted.manifests.length + expiry.deleted.manifestLists.length) },
    { name: "BytesDeleted", unit: "Bytes", value: sum((expiry) => expiry.bytesDeleted) },
    { name: "CompactionFilesReplaced", unit: "Count", value: compacted((compaction) => compaction.filesReplaced) },
    { name: "CompactionFilesWritten", unit: "Count", value: compacted((compaction) => compaction.filesWritten) },
    { name: "CompactionBytesReplaced", unit: "Bytes", value: compacted((compaction) => compaction.bytesReplaced) },
    { name: "CompactionBytesWritten", unit: "Bytes", value: compacted((compaction) => compaction.bytesWritten) },
    { name: "CompactionGroupsDropped", unit: "Count", value: compacted((compaction) => compaction.groupsDropped) },
    ...filesPerPartitionMetrics(files),
    { name: "OrphanFilesRemoved", unit: "Count", value: outcome.tables.reduce((total, table) => total + (table.orphans?.removed.length ?? 0), 0) },
    { name: "OrphanBytesRemoved", unit: "Bytes", value: outcome.tables.reduce((total, table) => total + (table.orphans?.bytesRemoved ?? 0), 0) },
    { name: "MaintenanceFailures", unit: "Count", value: outcome.failures.length },
  ];
}

function filesPerPartitionMetrics(files: PartitionFileCounts | undefined): MetricPoint[] {
  if (files === undefined) return [];
  return [
    { name: "DataFilesPerPartitionMax", unit: "Count", value: files.maxFilesPerPartition },
    { name: "DataFilesPerPartitionMean", unit: "Count", value: files.partitions === 0 ? 0 : files.dataFiles / files.partitions },
  ];
}
