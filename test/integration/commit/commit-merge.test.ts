// Small staged files merged before commit (SPEC.md §4), read back by pyiceberg: one data
// file per table partition, every record once with the values an unmerged commit gives,
// offsets and bookkeeping on the staged files, and exactly once through crashes and retries.
import { describe, expect, it } from "vitest";
import { committedOffsetsProperty } from "../../../lib/commit/committed-offsets.js";
import { UnavailableError } from "../../../lib/core/errors.js";
import type { StateStore } from "../../../lib/state/state-store.js";
import type { ObjectStore } from "../../../lib/storage/object-store.js";
import type { IcebergTableReadout } from "../../env/iceberg-reader.js";
import { appendRowsWithPyiceberg } from "../../env/iceberg-reader.js";
import { order } from "../ingest/ingest-harness.js";
import { landingFirst } from "../landing-first.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "./commit-harness.js";

const targetFileSizeBytes = 1024 * 1024;
const mergedFile = /\/merged-[^/]*\.parquet$/;

/** Even offsets on 2026-11-24, odd ones on 2026-11-25: every batch stages one file per day. */
async function ingestOverTwoDays(harness: CommitHarness, partition: number, from: number, to: number): Promise<void> {
  const records = Array.from({ length: to - from + 1 }, (_, index) => {
    const offset = from + index;
    return { offset, value: order(offset), timestampMs: Date.UTC(2026, 10, offset % 2 === 0 ? 24 : 25, 12) + offset };
  });
  await harness.ingestRecords(partition, records);
}

/** Ten small staged files: three batches of partition 0, two of partition 1, each over two days. */
async function harnessWithSmallFiles(): Promise<CommitHarness> {
  const harness = await createCommitHarness();
  for (const [partition, from, to] of [[0, 0, 4], [0, 5, 9], [0, 10, 14], [1, 0, 4], [1, 5, 9]] as const) await ingestOverTwoDays(harness, partition, from, to);
  return harness;
}

function sortedRows(readout: IcebergTableReadout): string[] {
  return readout.rows.map((row) => JSON.stringify(row)).sort();
}

function countingPuts(store: ObjectStore, locations: string[]): ObjectStore {
  return {
    ...store,
    async put(location, body, options) {
      locations.push(location);
      await store.put(location, body, options);
    },
  };
}

describe("merging small staged files before a commit", () => {
  it("appends one data file per table partition; pyiceberg reads each record once, as an unmerged commit gives it", async () => {
    const merged = await harnessWithSmallFiles();
    const unmerged = await harnessWithSmallFiles();
    expect(await merged.context.stateStore.stagedFiles(merged.table)).toHaveLength(10);

    const outcome = await merged.commit({ targetFileSizeBytes });
    expect(outcome.tables[0]).toMatchObject({ status: "committed", filesCommitted: 10, recordsCommitted: 25 });
    await unmerged.commit({ targetFileSizeBytes: undefined });

    const table = await merged.readTable();
    expect(table["data-files"]).toHaveLength(2);
    expect(table["data-files"].map((file) => file.partition).sort()).toEqual([[20781], [20782]]);
    expect(table["data-files"].every((file) => mergedFile.test(file.path))).toBe(true);
    expect(table["data-files"].map((file) => file["record-count"]).sort()).toEqual([12, 13]);
    expect(table.snapshots[0]?.summary).toMatchObject({ "added-data-files": "2", "total-data-files": "2", "added-records": "25", "total-records": "25" });
    expect(JSON.parse(table.snapshots[0]?.summary[committedOffsetsProperty] ?? "{}")).toEqual({ [merged.topic]: { "0": "14", "1": "9" } });
    expect(await merged.context.stateStore.stagedFiles(merged.table)).toEqual([]);
    expect(await merged.context.stateStore.committedOffset(merged.topic, 0)).toBe(14n);
    expect(await merged.context.stateStore.committedOffset(merged.topic, 1)).toBe(9n);

    expect(orderIds(table)).toEqual(expectedOrderIds([0, 14], [0, 9]));
    const reference = await unmerged.readTable();
    expect(reference["data-files"]).toHaveLength(10);
    expect(sortedRows(table)).toEqual(sortedRows(reference));
  });

  it("merges only what is newly staged in later commits", async () => {
    const harness = await harnessWithSmallFiles();
    await harness.commit({ targetFileSizeBytes });
    await ingestOverTwoDays(harness, 0, 15, 19);
    await ingestOverTwoDays(harness, 0, 20, 24);
    expect((await harness.commit({ targetFileSizeBytes })).tables[0]).toMatchObject({ status: "committed", filesCommitted: 4, recordsCommitted: 10 });

    const table = await harness.readTable();
    expect(table["data-files"]).toHaveLength(4);
    expect(table.snapshots[1]?.summary).toMatchObject({ "added-data-files": "2", "total-data-files": "4", "total-records": "35" });
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 24], [0, 9]));
  });

  it("after a crash between writing a merged file and the catalog update, the next run commits every record once", async () => {
    const harness = await harnessWithSmallFiles();
    const store = harness.commitContext().objectStore;
    let crashedAfter: string | undefined;
    const crashing: ObjectStore = {
      ...store,
      async put(location, body, options) {
        await store.put(location, body, options);
        if (crashedAfter === undefined && mergedFile.test(location)) {
          crashedAfter = location;
          throw new UnavailableError("STORAGE_UNAVAILABLE", `injected crash after writing ${location}`);
        }
      },
    };
    const failed = await harness.commit({ targetFileSizeBytes, objectStore: crashing });
    expect(failed.failures).toHaveLength(1);
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toHaveLength(10);
    expect((await harness.readTable()).snapshots).toHaveLength(0);

    expect((await harness.commit({ targetFileSizeBytes })).tables[0]).toMatchObject({ status: "committed", filesCommitted: 10 });
    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 14], [0, 9]));
    expect(table["data-files"]).toHaveLength(2);
    expect(table["data-files"].map((file) => file.path)).toContain(crashedAfter);
  });

  it("after the catalog update, before the bookkeeping: the next run finishes the bookkeeping and appends nothing", async () => {
    const harness = await harnessWithSmallFiles();
    const forgetful: StateStore = {
      ...harness.commitContext().stateStore,
      markCommitted: () => Promise.reject(new UnavailableError("STORAGE_UNAVAILABLE", "injected crash before the DynamoDB update")),
    };
    expect((await harness.commit({ targetFileSizeBytes, stateStore: forgetful })).failures).toHaveLength(1);

    expect((await harness.commit({ targetFileSizeBytes })).tables[0]).toMatchObject({ status: "nothing-staged", filesReconciled: 10 });
    const table = await harness.readTable();
    expect(table.snapshots).toHaveLength(1);
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 14], [0, 9]));
  });

  it("retried after a conflict, appends the files merged by the first attempt on the new base", async () => {
    const harness = await harnessWithSmallFiles();
    const context = harness.commitContext();
    const puts: string[] = [];
    const racingCatalog = landingFirst(context.catalog, {
      1: async () => {
        await appendRowsWithPyiceberg(harness.glueTable, [{ val: { id: "other-writer-1" }, timestamp: "2026-11-24T13:00:00+00:00" }]);
      },
    });
    const outcome = await harness.commit({ targetFileSizeBytes, catalog: racingCatalog, objectStore: countingPuts(context.objectStore, puts) });
    expect(outcome.failures).toEqual([]);
    expect(outcome.tables[0]).toMatchObject({ status: "committed", conflictsRetried: 1, recordsCommitted: 25 });
    expect(puts.filter((location) => mergedFile.test(location))).toHaveLength(2);

    const table = await harness.readTable();
    expect(orderIds(table)).toEqual([...expectedOrderIds([0, 14], [0, 9]), "other-writer-1"].sort());
    expect(table.snapshots.at(-1)?.summary).toMatchObject({ "added-data-files": "2", "total-records": "26" });
  });
});
