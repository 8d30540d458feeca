// Snapshot expiry on real tables (SPEC.md §8): the local file catalog and Glue on moto,
// read back by pyiceberg. What expiry removes must be unreachable, what it keeps readable,
// and the offsets exactly-once relies on must outlive every snapshot of ours.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { committedOffsetsOf } from "../../../lib/commit/committed-offsets.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { expireSnapshots } from "../../../lib/maintenance/expire-snapshots.js";
import { commitTableChange } from "../../../lib/catalog/table-change.js";
import { expiryProperties } from "../../../lib/iceberg/table-properties.js";
import type { StateStore } from "../../../lib/state/state-store.js";
import type { TableIdentifier } from "../../../lib/catalog/table-identifier.js";
import { appendRowsWithPyiceberg } from "../../env/iceberg-reader.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "../commit/commit-harness.js";

/**
 * Expiry options that keep only the newest `minSnapshotsToKeep` snapshots: the table's own
 * `history.expire.*` properties (which win over any default) are set as an operator would.
 */
async function expiryOptions(harness: CommitHarness, identifier: TableIdentifier, minSnapshotsToKeep: number) {
  const context = harness.commitContext();
  const options = { catalog: context.catalog, objectStore: context.objectStore, logger: silentLogger, now: () => Date.now() + 60_000 };
  await commitTableChange(
    identifier,
    () => ({
      updates: [{ action: "set-properties", updates: { [expiryProperties.maxSnapshotAgeMs]: "0", [expiryProperties.minSnapshotsToKeep]: String(minSnapshotsToKeep) } }],
      requirements: [],
      plan: undefined,
    }),
    options,
  );
  return options;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isFile());
}

describe("snapshot expiry", () => {
  it("on the local catalog keeps the newest snapshots, deletes only what they cannot reach; pyiceberg reads every record once", async () => {
    const harness = await createCommitHarness({ storage: "local" });
    for (let commit = 0; commit < 12; commit++) {
      await harness.ingestOrders(commit % 2, commit * 5, commit * 5 + 4);
      expect((await harness.commit()).tables[0]?.status).toBe("committed");
    }
    const before = await harness.readTable();
    expect(before.snapshots).toHaveLength(12);
    expect(before.properties).toMatchObject({ "history.expire.min-snapshots-to-keep": "10", "write.metadata.delete-after-commit.enabled": "true" });

    const identifier = { namespace: "kafka", name: harness.table.split(".")[1] ?? "" };
    const outcome = await expireSnapshots(identifier, await expiryOptions(harness, identifier, 4));
    expect(outcome.snapshotsExpired).toBe(8);
    expect(outcome.deleted.manifestLists).toHaveLength(8);

    const after = await harness.readTable();
    expect(after.snapshots.map((snapshot) => snapshot["snapshot-id"])).toEqual(before.snapshots.slice(-4).map((snapshot) => snapshot["snapshot-id"]));
    expect(orderIds(after)).toEqual(expectedOrderIds([0, 59]));
    // Every data file still in the table is on disk, and every deleted one is gone.
    const onDisk = new Set(filesUnder(harness.tableLocation));
    for (const file of after["data-files"]) expect(onDisk.has(file.path)).toBe(true);
    for (const deleted of [...outcome.deleted.dataFiles, ...outcome.deleted.manifests, ...outcome.deleted.manifestLists]) expect(onDisk.has(deleted)).toBe(false);

    // Commits go on on top of the expired table.
    await harness.ingestOrders(0, 60, 64);
    expect((await harness.commit()).tables[0]?.status).toBe("committed");
    expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([0, 64]));
    // Nothing left to expire twice.
    expect((await expireSnapshots(identifier, await expiryOptions(harness, identifier, 5))).snapshotsExpired).toBe(0);
  });

  it("keeps the metadata log and the metadata files bounded by write.metadata.previous-versions-max", async () => {
    const harness = await createCommitHarness({ storage: "local" });
    const identifier = { namespace: "kafka", name: harness.table.split(".")[1] ?? "" };
    await harness.ingestOrders(0, 0, 4);
    await harness.commit();
    const context = harness.commitContext();
    await commitTableChange(identifier, () => ({ updates: [{ action: "set-properties", updates: { "write.metadata.previous-versions-max": "3" } }], requirements: [], plan: undefined }), {
      catalog: context.catalog,
      logger: silentLogger,
      now: Date.now,
    });
    for (let commit = 1; commit <= 8; commit++) {
      await harness.ingestOrders(0, commit * 5, commit * 5 + 4);
      expect((await harness.commit()).tables[0]?.status).toBe("committed");
    }
    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 44]));
    const metadataFiles = readdirSync(join(harness.tableLocation, "metadata")).filter((name) => name.endsWith(".metadata.json"));
    expect(metadataFiles.sort()).toEqual(["v10.metadata.json", "v11.metadata.json", "v8.metadata.json", "v9.metadata.json"]);
  });

  it("on Glue: after a crash before the bookkeeping and another engine's snapshots, expiry of every snapshot of ours loses no offset; the next commit appends nothing twice", async () => {
    const harness = await createCommitHarness();
    const identifier = { namespace: harness.glueTable.database, name: harness.glueTable.table };
    await harness.ingestOrders(0, 0, 9);
    expect((await harness.commit()).tables[0]?.status).toBe("committed");

    // The commit lands in Glue, then the process dies before the DynamoDB bookkeeping.
    await harness.ingestOrders(0, 10, 19);
    const { stateStore } = harness.commitContext();
    const crashing: StateStore = Object.assign(Object.create(stateStore) as StateStore, {
      markCommitted: () => Promise.reject(new Error("crashed before the bookkeeping")),
    });
    const crashed = await harness.commit({ stateStore: crashing });
    expect(crashed.failures).toHaveLength(1);
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toHaveLength(1);

    // Another engine appends on top; then an expiry keeps only its snapshot.
    await appendRowsWithPyiceberg(harness.glueTable, [{ val: { id: "other-writer-1" }, timestamp: "2026-11-24T13:00:00+00:00" }]);
    const outcome = await expireSnapshots(identifier, await expiryOptions(harness, identifier, 1));
    expect(outcome.snapshotsExpired).toBe(2);
    const loaded = await harness.commitContext().catalog.loadTable(identifier);
    if (loaded === undefined) throw new Error("the table is gone");
    expect(loaded.metadata.snapshots).toHaveLength(1);
    expect(committedOffsetsOf(loaded.metadata).get(harness.topic)?.get(0)).toBe(19n);

    // The next round finishes the bookkeeping from the offsets the table still holds.
    const next = await harness.commit();
    expect(next.tables[0]).toMatchObject({ status: "nothing-staged", filesReconciled: 1 });
    const table = await harness.readTable();
    expect(orderIds(table).filter((id) => id.startsWith("order-"))).toEqual(expectedOrderIds([0, 19]));
    expect(orderIds(table)).toHaveLength(21);
  });
});
