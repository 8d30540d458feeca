import { describe, expect, it } from "vitest";
import { planCompaction, type CompactionPlanOptions, type LiveDataFile } from "../../../lib/maintenance/compaction-plan.js";

const mib = 1024 * 1024;
const hour = 3_600_000;
const now = 1_764_000_000_000;

function file(name: string, sizeMib: number, overrides: Partial<LiveDataFile> = {}): LiveDataFile {
  return {
    path: `s3://bucket/orders/data/${name}.parquet`,
    partitionSpecId: 0,
    partition: { timestamp_day: 20781 },
    fileSizeBytes: sizeMib * mib,
    recordCount: 10,
    fileFormat: "PARQUET",
    addedAtMs: now - 2 * hour,
    sequenceNumber: 1,
    ...overrides,
  };
}

const options: CompactionPlanOptions = { targetFileSizeBytes: 128 * mib, quietPeriodMs: hour, minOpenPartitionFiles: 4, nowMs: now };
const names = (groups: ReturnType<typeof planCompaction>): string[][] => groups.map((group) => group.files.map((member) => member.path.replace(/^.*\/|\.parquet$/g, "")));
const day2 = { partition: { timestamp_day: 20782 } };

describe("planning compaction", () => {
  it("packs the small files of a closed partition into groups of at most the target size, in sequence order", () => {
    const files = [file("a", 60, { sequenceNumber: 3 }), file("b", 50, { sequenceNumber: 1 }), file("c", 40, { sequenceNumber: 2 }), file("d", 30, { sequenceNumber: 4 }), file("big", 100)];
    const groups = planCompaction(files, [], options);
    expect(names(groups)).toEqual([
      ["b", "a"],
      ["c", "d"],
    ]);
    for (const group of groups) expect(group.inputBytes).toBeLessThanOrEqual(128 * mib);
    expect(groups.every((group) => group.closed)).toBe(true);
  });

  it("never groups files of different partition tuples or specs, and leaves a lone small file alone", () => {
    const files = [file("d1-a", 1), file("d2-a", 1, day2), file("d1-b", 1), file("s1-a", 1, { partitionSpecId: 1, partition: {} }), file("d2-b", 1, day2), file("s1-b", 1, { partitionSpecId: 1, partition: {} }), file("lone", 1, { partition: { timestamp_day: 1 } })];
    expect(names(planCompaction(files, [], options)).sort()).toEqual([
      ["d1-a", "d1-b"],
      ["d2-a", "d2-b"],
      ["s1-a", "s1-b"],
    ]);
  });

  it("compacts the open partition only once it holds enough small files; closed partitions go first, the longest quiet first", () => {
    const open = (name: string) => file(name, 1, { ...day2, addedAtMs: now - 60_000 });
    const older = (name: string) => file(name, 1, { partition: { timestamp_day: 20780 }, addedAtMs: now - 30 * hour });
    expect(names(planCompaction([open("o1"), open("o2"), open("o3"), file("c1", 1), file("c2", 1)], [], options))).toEqual([["c1", "c2"]]);
    const groups = planCompaction([open("o1"), open("o2"), open("o3"), open("o4"), file("c1", 1), file("c2", 1), older("x1"), older("x2")], [], options);
    expect(names(groups)).toEqual([["x1", "x2"], ["c1", "c2"], ["o1", "o2", "o3", "o4"]]);
    expect(groups.map((group) => group.closed)).toEqual([true, true, false]);
  });

  it("takes a file whose snapshot expired for an old one", () => {
    expect(names(planCompaction([file("a", 1, { addedAtMs: undefined }), file("b", 1, { addedAtMs: undefined })], [], options))).toEqual([["a", "b"]]);
  });

  it("skips partitions holding delete files, and everything when a delete file has no partition", () => {
    const files = [file("d1-a", 1), file("d1-b", 1), file("d2-a", 1, day2), file("d2-b", 1, day2)];
    expect(names(planCompaction(files, [{ partitionSpecId: 0, partition: { timestamp_day: 20781 } }], options))).toEqual([["d2-a", "d2-b"]]);
    expect(planCompaction(files, [{ partitionSpecId: 1, partition: {} }], options)).toEqual([]);
  });

  it("leaves files that are not Parquet, or not small, alone", () => {
    expect(planCompaction([file("a", 1, { fileFormat: "AVRO" }), file("b", 1), file("c", 96)], [], options)).toEqual([]);
    expect(names(planCompaction([file("a", 1), file("b", 1), file("c", 95)], [], options))).toEqual([["a", "b", "c"]]);
  });

  it("stops at the pass's byte budget, but always takes one group", () => {
    const files = [file("d1-a", 10), file("d1-b", 10), file("d2-a", 10, day2), file("d2-b", 10, day2)];
    expect(planCompaction(files, [], { ...options, maxInputBytes: 30 * mib })).toHaveLength(1);
    expect(planCompaction(files, [], { ...options, maxInputBytes: 1 })).toHaveLength(1);
    expect(planCompaction(files, [], { ...options, maxInputBytes: 40 * mib })).toHaveLength(2);
  });

  it("keys partition values of every type: bigints and bytes of other engines' specs", () => {
    const files = [
      file("l1", 1, { partition: { id: 1n } }),
      file("l2", 1, { partition: { id: 1n } }),
      file("l3", 1, { partition: { id: 2n } }),
      file("b1", 1, { partition: { id: Uint8Array.of(1) } }),
      file("b2", 1, { partition: { id: Uint8Array.of(1) } }),
    ];
    expect(names(planCompaction(files, [], options)).sort()).toEqual([
      ["b1", "b2"],
      ["l1", "l2"],
    ]);
  });
});
