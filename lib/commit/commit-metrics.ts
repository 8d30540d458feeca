// The CloudWatch metrics of a commit round (published by the handler in the embedded metric
// format): how much became visible, how many conflicts were retried, how far behind it was,
// how long the round took (CommitLatency) and how many tables it had to leave to the next.
import type { MetricPoint } from "../ingest/ingest-metrics.js";
import type { CommitRoundOutcome } from "./commit-all.js";
import { MissingStagedFilesError } from "./missing-staged-files.js";

export function commitMetrics(outcome: CommitRoundOutcome, latencyMs: number): MetricPoint[] {
  const committed = outcome.tables.filter((table) => table.status === "committed");
  const sum = (pick: (table: (typeof outcome.tables)[number]) => number): number => outcome.tables.reduce((total, table) => total + pick(table), 0);
  const ages = committed.flatMap((table) => (table.oldestStagedAgeMs === undefined ? [] : [table.oldestStagedAgeMs]));
  return [
    { name: "CommitLatency", unit: "Milliseconds", value: latencyMs },
    { name: "SnapshotsCommitted", unit: "Count", value: committed.length },
    { name: "FilesCommitted", unit: "Count", value: sum((table) => table.filesCommitted) },
    { name: "RecordsCommitted", unit: "Count", value: sum((table) => table.recordsCommitted) },
    { name: "FilesReconciled", unit: "Count", value: sum((table) => table.filesReconciled) },
    { name: "CommitConflictsRetried", unit: "Count", value: sum((table) => table.conflictsRetried) },
    { name: "CommitFailures", unit: "Count", value: outcome.failures.length },
    { name: "MissingStagedFiles", unit: "Count", value: outcome.failures.reduce((total, { error }) => total + (error instanceof MissingStagedFilesError ? error.files.length : 0), 0) },
    { name: "StagedBacklogAge", unit: "Milliseconds", value: ages.length === 0 ? 0 : Math.max(...ages) },
    { name: "TablesLeftForNextRound", unit: "Count", value: outcome.tablesLeft.length },
  ];
}
