// Orphan cleanup on real tables (SPEC.md §8): the staged files a merge replaced go once their
// commit is durable; a scan removes what nothing references, never a staged file, a file
// younger than the safety age, or anything a snapshot still reaches. Read back by pyiceberg.
import { utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../../lib/core/logger.js";
import { removeOrphanFiles } from "../../../lib/maintenance/remove-orphan-files.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "../commit/commit-harness.js";

const hour = 3_600_000;

async function dataFilesOnStorage(harness: CommitHarness): Promise<string[]> {
  return (await harness.context.objectStore.list(`${harness.tableLocation}/data/`)).filter((location) => location.endsWith(".parquet"));
}

function identifierOf(harness: CommitHarness) {
  return { namespace: harness.glueTable.database, name: harness.glueTable.table };
}

describe("orphan cleanup", () => {
  it("on the local catalog: merged-away staged files are deleted by their commit; the scan takes only old unreferenced files", async () => {
    const harness = await createCommitHarness({ storage: "local" });
    for (let batch = 0; batch < 3; batch++) await harness.ingestOrders(0, batch * 5, batch * 5 + 4);
    expect((await harness.commit({ targetFileSizeBytes: 1024 * 1024 })).tables[0]).toMatchObject({ status: "committed", filesCommitted: 3 });
    const afterMerge = await harness.readTable();
    expect(afterMerge["data-files"]).toHaveLength(1);
    expect(await dataFilesOnStorage(harness)).toEqual(afterMerge["data-files"].map((file) => file.path));

    const folder = afterMerge["data-files"][0]?.path.slice(0, afterMerge["data-files"][0].path.lastIndexOf("/")) ?? "";
    const oldStray = join(folder, "stray-old.parquet");
    const youngStray = join(folder, "stray-young.parquet");
    writeFileSync(oldStray, "left by a crashed writer");
    writeFileSync(youngStray, "being written right now");
    const twoHoursAgo = new Date(Date.now() - 2 * hour);
    utimesSync(oldStray, twoHoursAgo, twoHoursAgo);
    await harness.ingestOrders(0, 15, 19);
    const staged = await harness.context.stateStore.stagedFiles(harness.table);
    for (const file of staged) utimesSync(file.location, twoHoursAgo, twoHoursAgo);

    const context = harness.commitContext();
    const outcome = await removeOrphanFiles(identifierOf(harness), {
      catalog: context.catalog,
      objectStore: context.objectStore,
      logger: silentLogger,
      now: Date.now,
      olderThanMs: hour,
      stagedLocations: new Set(staged.map((file) => file.location)),
    });
    expect(outcome.removed.map((object) => object.location)).toEqual([oldStray]);

    expect((await harness.commit()).tables[0]).toMatchObject({ status: "committed", recordsCommitted: 5 });
    expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([0, 19]));
  });

  it("on S3 and Glue: removes an unreferenced object, keeps the staged file, every snapshot's files and the metadata", async () => {
    const harness = await createCommitHarness();
    await harness.ingestOrders(0, 0, 4);
    await harness.commit();
    await harness.ingestOrders(0, 5, 9);
    await harness.commit();
    const stray = `${harness.tableLocation}/data/stray.parquet`;
    await harness.context.objectStore.put(stray, new TextEncoder().encode("not part of any snapshot"));
    await harness.ingestOrders(1, 0, 4);
    const staged = await harness.context.stateStore.stagedFiles(harness.table);

    const context = harness.commitContext();
    const options = { catalog: context.catalog, objectStore: context.objectStore, logger: silentLogger, olderThanMs: 0, stagedLocations: new Set(staged.map((file) => file.location)) };
    // A clock a minute ahead: every object is old enough, so only references protect them.
    const outcome = await removeOrphanFiles(identifierOf(harness), { ...options, now: () => Date.now() + 60_000 });
    expect(outcome.removed.map((object) => object.location)).toEqual([stray]);
    for (const file of staged) expect(await harness.context.objectStore.exists(file.location)).toBe(true);

    expect((await harness.commit()).tables[0]).toMatchObject({ status: "committed", recordsCommitted: 5 });
    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 9], [0, 4]));
    expect(table.snapshots).toHaveLength(3);
    // Nothing more to remove: every object left is referenced.
    expect((await removeOrphanFiles(identifierOf(harness), { ...options, stagedLocations: new Set(), now: () => Date.now() + 60_000 })).removed).toEqual([]);
  });
});
