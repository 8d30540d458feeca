import { describe, expect, it } from "vitest";
import { ExportError, StateStoreMissingError, UnavailableError } from "../../../lib/core/errors.js";
import type { IngestOutcome } from "../../../lib/ingest/ingest-batch.js";
import { ingestFailureMetrics, ingestMetrics, notExportedMetrics } from "../../../lib/ingest/ingest-metrics.js";
import { zeroCounts } from "../../../lib/ingest/stage-partition.js";

describe("the ingest metrics of topics and failures", () => {
  it("publish RecordsNotExported once per topic never enabled, with the topic as dimension", () => {
    const outcome: IngestOutcome = { partitions: [], totals: zeroCounts(), notExported: [{ topic: "clicks", records: 7 }, { topic: "orders", records: 3 }] };
    expect(notExportedMetrics(outcome)).toEqual([
      { name: "RecordsNotExported", unit: "Count", value: 7, dimensions: { topic: "clicks" } },
      { name: "RecordsNotExported", unit: "Count", value: 3, dimensions: { topic: "orders" } },
    ]);
    expect(notExportedMetrics({ ...outcome, notExported: [] })).toEqual([]);
  });

  it("count the dead letters written beside the invalid records", () => {
    const outcome: IngestOutcome = { partitions: [], totals: { ...zeroCounts(), invalidRecords: 5, deadLettersWritten: 4 }, notExported: [] };
    expect(ingestMetrics(outcome, 10)).toEqual(
      expect.arrayContaining([
        { name: "InvalidRecords", unit: "Count", value: 5 },
        { name: "DeadLettersWritten", unit: "Count", value: 4 },
      ]),
    );
  });

  it("count StateStoreMissing for a missing state store only", () => {
    expect(ingestFailureMetrics(new StateStoreMissingError("gone"))).toEqual([{ name: "StateStoreMissing", unit: "Count", value: 1 }]);
    expect(ingestFailureMetrics(new UnavailableError("STORAGE_UNAVAILABLE", "slow"))).toEqual([]);
    expect(ingestFailureMetrics(new ExportError("INTERNAL", "bug"))).toEqual([]);
    expect(ingestFailureMetrics(new Error("plain"))).toEqual([]);
  });

  it("make a missing state store retryable, so the event source acknowledges nothing", () => {
    expect(new StateStoreMissingError("gone")).toMatchObject({ code: "STATE_STORE_MISSING", retryable: true });
  });
});
