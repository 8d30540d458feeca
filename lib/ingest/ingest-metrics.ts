// The CloudWatch metrics of one ingest invocation (published by the handler in the
// embedded metric format).
import type { IngestOutcome } from "./ingest-batch.js";

export type MetricUnitName = "Count" | "Bytes" | "Milliseconds";

export interface MetricPoint {
  name: string;
  unit: MetricUnitName;
  value: number;
}

export function ingestMetrics(outcome: IngestOutcome, latencyMs: number): MetricPoint[] {
  const { totals } = outcome;
  return [
    { name: "RecordsIn", unit: "Count", value: totals.recordsIn },
    { name: "BytesIn", unit: "Bytes", value: totals.bytesIn },
    { name: "RecordsExported", unit: "Count", value: totals.recordsExported },
    { name: "InvalidRecords", unit: "Count", value: totals.invalidRecords },
    { name: "RecordsSkippedAlreadyStaged", unit: "Count", value: totals.skippedAlreadyStaged },
    { name: "RecordsSkippedBeforeStart", unit: "Count", value: totals.skippedBeforeStart },
    { name: "RecordsSkippedNotExported", unit: "Count", value: totals.skippedNotExported },
    { name: "FilesStaged", unit: "Count", value: totals.filesStaged },
    { name: "BytesWritten", unit: "Bytes", value: totals.bytesWritten },
    { name: "BatchLatency", unit: "Milliseconds", value: latencyMs },
  ];
}
