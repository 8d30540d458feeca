import { describe, expect, it } from "vitest";
import { planStagedFileMerges } from "../../../lib/commit/staged-file-merge-plan.js";
import type { StagedFile } from "../../../lib/state/state-store.js";

const mib = 1024 * 1024;

function staged(name: string, sizeMib: number, overrides: Partial<StagedFile> = {}): StagedFile {
  return {
    table: "db.orders",
    location: `s3://bucket/orders/data/timestamp_day=2026-11-24/${name}.parquet`,
    fileSizeBytes: sizeMib * mib,
    recordCount: 10,
    partitionSpecId: 0,
    partitionValues: { timestamp_day: 20781 },
    metrics: { columnSizes: {}, valueCounts: {}, nullValueCounts: {}, nanValueCounts: {}, lowerBounds: {}, upperBounds: {} },
    topic: "orders",
    partition: 0,
    firstOffset: 0n,
    lastOffset: 9n,
    schemaId: 0,
    stagedAt: 0,
    ...overrides,
  };
}

const names = (groups: StagedFile[][]): string[][] => groups.map((group) => group.map((file) => file.location.replace(/^.*\/|\.parquet$/g, "")));

describe("planning the merges of staged files", () => {
  it("merges the small files of one table partition, in stream order", () => {
    const files = [staged("p1-b", 1, { partition: 1, firstOffset: 20n }), staged("p0-b", 2, { firstOffset: 10n }), staged("p0-a", 1, { firstOffset: 0n }), staged("p1-a", 1, { partition: 1, firstOffset: 5n })];
    expect(names(planStagedFileMerges(files, { targetFileSizeBytes: 128 * mib }))).toEqual([["p0-a", "p0-b", "p1-a", "p1-b"]]);
  });

  it("never puts files of different partition tuples or partition specs together", () => {
    const files = [
      staged("day1-a", 1),
      staged("day2-a", 1, { partitionValues: { timestamp_day: 20782 } }),
      staged("day1-b", 1),
      staged("spec1-a", 1, { partitionSpecId: 1 }),
      staged("day2-b", 1, { partitionValues: { timestamp_day: 20782 } }),
      staged("null-a", 1, { partitionValues: { timestamp_day: null } }),
    ];
    expect(names(planStagedFileMerges(files, { targetFileSizeBytes: 128 * mib }))).toEqual([
      ["day1-a", "day1-b"],
      ["day2-a", "day2-b"],
    ]);
  });

  it("leaves files of 3/4 of the target or more alone", () => {
    const files = [staged("big", 96), staged("almost", 95), staged("small", 1)];
    expect(names(planStagedFileMerges(files, { targetFileSizeBytes: 128 * mib }))).toEqual([["almost", "small"]]);
  });

  it("bin-packs up to the target size, largest files first", () => {
    const files = [staged("a", 60), staged("b", 50), staged("c", 40), staged("d", 30), staged("e", 20)];
    const groups = planStagedFileMerges(files, { targetFileSizeBytes: 100 * mib });
    expect(names(groups).map((group) => group.sort())).toEqual([["a", "c"], ["b", "d", "e"]]);
    for (const group of groups) expect(group.reduce((sum, file) => sum + file.fileSizeBytes, 0)).toBeLessThanOrEqual(100 * mib);
  });

  it("plans nothing for a group smaller than minFilesToMerge", () => {
    expect(planStagedFileMerges([staged("only", 1)], { targetFileSizeBytes: 128 * mib })).toEqual([]);
    expect(planStagedFileMerges([staged("a", 1), staged("b", 1)], { targetFileSizeBytes: 128 * mib, minFilesToMerge: 3 })).toEqual([]);
    expect(planStagedFileMerges([], { targetFileSizeBytes: 128 * mib })).toEqual([]);
  });

  it("leaves alone files written with a newer schema than merged files would be", () => {
    const files = [staged("old-a", 1), staged("old-b", 1, { schemaId: 1 }), staged("newer", 1, { schemaId: 2 })];
    expect(names(planStagedFileMerges(files, { targetFileSizeBytes: 128 * mib, mergeSchemaId: 1 }))).toEqual([["old-a", "old-b"]]);
  });

  it("gives the same plan for the same files in any order", () => {
    const files = [staged("a", 3), staged("b", 3), staged("c", 2, { partition: 2 }), staged("d", 1)];
    const plan = planStagedFileMerges(files, { targetFileSizeBytes: 8 * mib });
    expect(planStagedFileMerges([...files].reverse(), { targetFileSizeBytes: 8 * mib })).toEqual(plan);
  });
});
