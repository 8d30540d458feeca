// A staged file deleted before its commit (another engine's orphan removal, a lifecycle rule)
// never reaches a manifest (SPEC.md §2.5): the table's commit fails loudly, naming the file and
// its records; the operator drops the entry, and the loss is recorded in the table itself.
import { describe, expect, it } from "vitest";
import { commitMetrics } from "../../../lib/commit/commit-metrics.js";
import { dropMissingStagedFiles, lostRangesProperty } from "../../../lib/commit/drop-missing-staged.js";
import { MissingStagedFilesError } from "../../../lib/commit/missing-staged-files.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { order } from "../ingest/ingest-harness.js";
import { createCommitHarness, expectedOrderIds, orderIds } from "./commit-harness.js";

describe.each(["local", "aws"] as const)("a missing staged file (%s)", (storage) => {
  it("fails the table's commit without touching the table; once dropped, the rest commits and the lost range is in the table", async () => {
    const harness = await createCommitHarness({ storage });
    await harness.ingestOrders(0, 0, 9);
    expect((await harness.commit()).tables[0]?.status).toBe("committed");

    // One Kafka batch over two days: two data files staged together; one of them goes missing.
    const day = 86_400_000;
    await harness.ingestRecords(
      0,
      Array.from({ length: 10 }, (_, index) => ({ offset: 10 + index, value: order(10 + index), timestampMs: Date.UTC(2026, 10, 24) + (index < 5 ? 0 : day) })),
    );
    await harness.ingestOrders(1, 0, 4);
    const staged = await harness.context.stateStore.stagedFiles(harness.table);
    const ofBatch = staged.filter((file) => file.partition === 0);
    expect(ofBatch).toHaveLength(2);
    const lost = ofBatch.find((file) => file.recordCount === 5 && file.location.includes("2026-11-24"));
    if (lost === undefined) throw new Error(`no file of 2026-11-24 among ${ofBatch.map((file) => file.location).join(", ")}`);
    await harness.context.objectStore.delete(lost.location);

    const failed = await harness.commit();
    expect(failed.tables).toEqual([]);
    const error = failed.failures[0]?.error;
    expect(error).toBeInstanceOf(MissingStagedFilesError);
    expect((error as Error).message).toContain(`${harness.topic}-0 offsets 10-19 (5 records) in ${lost.location}`);
    expect((error as Error).message).toContain("drop-missing-staged");
    expect(commitMetrics(failed, 1).find((point) => point.name === "MissingStagedFiles")?.value).toBe(1);
    // The table still has its one snapshot, and every reader can read it.
    const untouched = await harness.readTable();
    expect(untouched.snapshots).toHaveLength(1);
    expect(orderIds(untouched)).toEqual(expectedOrderIds([0, 9]));

    const context = harness.commitContext();
    const identifier = { namespace: harness.glueTable.database, name: harness.glueTable.table };
    const dropped = await dropMissingStagedFiles(identifier, { ...context, logger: silentLogger, now: Date.now });
    expect(dropped.dropped).toMatchObject([{ topic: harness.topic, partition: 0, "first-offset": "10", "last-offset": "19", records: 5, file: lost.location }]);
    // Run again: nothing more is missing, nothing recorded twice.
    expect((await dropMissingStagedFiles(identifier, { ...context, logger: silentLogger, now: Date.now })).dropped).toEqual([]);

    // The batch's other file and partition 1's commit; the lost file never reaches a manifest.
    expect((await harness.commit()).tables[0]).toMatchObject({ status: "committed", filesCommitted: 2, recordsCommitted: 10 });
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toEqual([]);
    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 9], [15, 19], [0, 4]));
    const recorded = JSON.parse(table.properties[lostRangesProperty] ?? "[]") as { file: string }[];
    expect(recorded.map((range) => range.file)).toEqual([lost.location]);
    for (const file of table["data-files"]) expect(file.path).not.toBe(lost.location);
  });
});
