import { describe, expect, it } from "vitest";
import { appendSummary } from "../../../lib/iceberg/snapshot-summary.js";
import { stagedFile } from "./iceberg-fixtures.js";

const files = [stagedFile("a", 100, "2026-11-24T10:00:00Z"), stagedFile("b", 20, "2026-11-24T23:00:00Z"), stagedFile("c", 5, "2026-11-23T08:00:00Z"), stagedFile("d", 1, null)];

describe("append snapshot summaries", () => {
  it("count what was added and start the totals of the first snapshot from zero", () => {
    expect(appendSummary(undefined, files, { "kafka-iceberg-export.commit-id": "c-1" })).toEqual({
      operation: "append",
      "added-data-files": "4",
      "added-records": "126",
      "added-files-size": String(4 * 4096 + 1260),
      "changed-partition-count": "3",
      "total-records": "126",
      "total-files-size": String(4 * 4096 + 1260),
      "total-data-files": "4",
      "total-delete-files": "0",
      "total-position-deletes": "0",
      "total-equality-deletes": "0",
      "kafka-iceberg-export.commit-id": "c-1",
    });
  });

  it("add to the totals of the previous snapshot, and leave out a total it lacks", () => {
    const previous = { operation: "append" as const, "total-records": "1000", "total-files-size": "50000", "total-data-files": "7", "total-delete-files": "2", "total-position-deletes": "3", "total-equality-deletes": "0" };
    expect(appendSummary(previous, files.slice(0, 1))).toMatchObject({ "total-records": "1100", "total-files-size": "55096", "total-data-files": "8", "total-delete-files": "2", "total-position-deletes": "3" });
    const withoutRecords = Object.fromEntries(Object.entries(previous).filter(([key]) => key !== "total-records"));
    expect(appendSummary({ ...withoutRecords, operation: "append" }, files.slice(0, 1))).not.toHaveProperty("total-records");
  });

  it("refuses a property that would replace a standard key", () => {
    expect(() => appendSummary(undefined, files, { "total-records": "1" })).toThrow("summary property total-records is one of the standard keys");
  });
});
