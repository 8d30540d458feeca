// The CloudWatch metrics of one ingest invocation (published by the handler in the
// embedded metric format).
import { ExportError } from "../core/errors.js";
import type { IngestOutcome } from "./ingest-batch.js";

export type MetricUnitName = "Count" | "Bytes" | "Milliseconds";

export interface MetricPoint {
  name: string;
  unit: MetricUnitName;
  value: number;
  /** Beyond the function's own (`service`); such a point is published on its own. */
  dimensions?: Record<string, string>;
}

export function ingestMetrics(outcome: IngestOutcome, latencyMs: number): MetricPoint[] {
  const { totals } = outcome;
  return [
    { name: "RecordsIn", unit: "Count", value: totals.recordsIn },
    { name: "BytesIn", unit: "Bytes", value: totals.bytesIn },
    { name: "RecordsExported", unit: "Count", value: totals.recordsExported },
    { name: "InvalidRecords", unit: "Count", value: totals.invalidRecords },
    { name: "DeadLettersWritten", unit: "Count", value: totals.deadLettersWritten },
    { name: "RecordsSkippedAlreadyStaged", unit: "Count", value: totals.skippedAlreadyStaged },
    { name: "RecordsSkippedBeforeStart", unit: "Count", value: totals.skippedBeforeStart },
    { name: "RecordsSkippedNotExported", unit: "Count", value: totals.skippedNotExported },
    { name: "FilesStaged", unit: "Count", value: totals.filesStaged },
    { name: "BytesWritten", unit: "Bytes", value: totals.bytesWritten },
    { name: "BatchLatency", unit: "Milliseconds", value: latencyMs },
  ];
}

/**
 * RecordsNotExported per topic (dimension `topic`): records of a topic the function was
 * given but that has no export record. Every topic the event source delivers is one the
 * stack subscribes to, so any such record is a topic never enabled, and infra/alarms.yml
 * alarms on it. (A vanished state store fails ingest instead: lib/ingest/state-store-guard.ts.)
 */
export function notExportedMetrics(outcome: IngestOutcome): MetricPoint[] {
  return outcome.notExported.map(({ topic, records }) => ({ name: "RecordsNotExported", unit: "Count", value: records, dimensions: { topic } }));
}

/** The metrics of an invocation that failed: StateStoreMissing when the state store is gone (SPEC.md §2.6). */
export function ingestFailureMetrics(error: unknown): MetricPoint[] {
  return error instanceof ExportError && error.code === "STATE_STORE_MISSING" ? [{ name: "StateStoreMissing", unit: "Count", value: 1 }] : [];
}
