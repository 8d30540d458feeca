// 500 commits with expiry keeping 50 snapshots, compaction and orphan removal on the embedded default (local file catalog, local state),
// read with pyiceberg and Iceberg-Java (issue 13, SPEC.md §8). The scenario and what it
// asserts: long-run-scenario.ts. A file per backend, so that vitest runs the two side by side.
import { describe, expect, it } from "vitest";
import { runLongRun } from "./long-run-scenario.js";

describe("a table after 500 commits with maintenance (local)", () => {
  // Minutes of I/O on a loaded machine; the deadline only bounds how long a real failure takes to show.
  it("holds at most 50 snapshots, a bounded metadata file, at most 2 files per closed partition, no unreferenced file, every record once", { timeout: 900_000 }, async () => {
    const report = await runLongRun({ storage: "local", commits: 500, passEvery: 25, orphanPassEvery: 4, snapshotsKept: 50 });
    expect(report.closedPartitions).toBeGreaterThanOrEqual(5);
    expect(report.metadataBytesAfterPass).toHaveLength(20);
  });
});
