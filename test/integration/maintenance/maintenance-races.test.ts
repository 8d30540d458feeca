// Maintenance beside commits (SPEC.md §8): an expiry and an append racing for the same table
// in both orders of landing, and a pass that crashes after each of its steps. Each ends with
// every record exactly once, read by pyiceberg, and no file the table needs deleted.
import { describe, expect, it } from "vitest";
import { landingFirst } from "../landing-first.js";
import { commitTableChange } from "../../../lib/catalog/table-change.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { expiryProperties } from "../../../lib/iceberg/table-properties.js";
import { expireSnapshots } from "../../../lib/maintenance/expire-snapshots.js";
import { maintainTables } from "../../../lib/maintenance/maintain-tables.js";
import type { ObjectStore } from "../../../lib/storage/object-store.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "../commit/commit-harness.js";

const identifierOf = (harness: CommitHarness) => ({ namespace: harness.glueTable.database, name: harness.glueTable.table });

/** A table with `commits` snapshots whose retention keeps only the newest two. */
async function tableWithHistory(harness: CommitHarness, commits: number): Promise<void> {
  for (let commit = 0; commit < commits; commit++) {
    await harness.ingestOrders(0, commit * 5, commit * 5 + 4);
    await harness.commit();
  }
  const context = harness.commitContext();
  await commitTableChange(
    identifierOf(harness),
    () => ({ updates: [{ action: "set-properties", updates: { [expiryProperties.maxSnapshotAgeMs]: "0", [expiryProperties.minSnapshotsToKeep]: "2" } }], requirements: [], plan: undefined }),
    { catalog: context.catalog, logger: silentLogger, now: Date.now },
  );
}

describe.each(["local", "aws"] as const)("maintenance beside commits (%s)", (storage) => {
  it("an append landing during an expiry: the expiry plans again, both land", async () => {
    const harness = await createCommitHarness({ storage });
    await tableWithHistory(harness, 5);
    await harness.ingestOrders(0, 25, 29);
    const context = harness.commitContext();
    const catalog = landingFirst(context.catalog, { 1: async () => {
      expect((await harness.commit()).tables[0]?.status).toBe("committed");
    } });
    const outcome = await expireSnapshots(identifierOf(harness), { catalog, objectStore: context.objectStore, logger: silentLogger, now: () => Date.now() + 60_000 });
    expect(outcome.snapshotsExpired).toBe(4);
    const table = await harness.readTable();
    expect(table.snapshots).toHaveLength(2);
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 29]));
  });

  it("an expiry landing during a commit: the commit retries on the expired table, nothing it needs is gone", async () => {
    const harness = await createCommitHarness({ storage });
    await tableWithHistory(harness, 5);
    await harness.ingestOrders(0, 25, 29);
    const context = harness.commitContext();
    const catalog = landingFirst(context.catalog, { 1: async () => {
      const expiry = await expireSnapshots(identifierOf(harness), { catalog: context.catalog, objectStore: context.objectStore, logger: silentLogger, now: () => Date.now() + 60_000 });
      expect(expiry.snapshotsExpired).toBe(3);
    } });
    expect((await harness.commit({ catalog })).tables[0]).toMatchObject({ status: "committed", conflictsRetried: 1 });
    const table = await harness.readTable();
    expect(table.snapshots).toHaveLength(3);
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 29]));
  });

  it("a pass that crashes while deleting leaves a readable table; the next pass finishes the cleanup", async () => {
    const harness = await createCommitHarness({ storage });
    await tableWithHistory(harness, 5);
    const context = harness.commitContext();
    let deletes = 0;
    const crashing: ObjectStore = {
      ...context.objectStore,
      delete: async (location) => {
        if (++deletes === 2) throw new Error("crashed while deleting");
        await context.objectStore.delete(location);
      },
    };
    const maintenance = { stateStore: context.stateStore, catalog: context.catalog, logger: silentLogger, now: () => Date.now() + 60_000, orphanMinAgeMs: 0 };
    const crashed = await maintainTables({ ...maintenance, objectStore: crashing, parts: { expireSnapshots: true, removeOrphans: true } });
    expect(crashed.failures).toHaveLength(1);
    expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([0, 24]));

    const next = await maintainTables({ ...maintenance, objectStore: context.objectStore, parts: { expireSnapshots: true, removeOrphans: true } });
    expect(next.failures).toEqual([]);
    expect(next.tables[0]?.expiry?.snapshotsExpired).toBe(0);
    // The manifest lists the crashed pass did not delete are orphans now.
    expect(next.tables[0]?.orphans?.removed.length).toBeGreaterThan(0);
    const table = await harness.readTable();
    expect(table.snapshots).toHaveLength(2);
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 24]));
    const listed = new Set(await context.objectStore.list(`${harness.tableLocation}/`));
    const loaded = await context.catalog.loadTable(identifierOf(harness));
    for (const snapshot of loaded?.metadata.snapshots ?? []) expect(listed.has(snapshot["manifest-list"])).toBe(true);
    for (const file of table["data-files"]) expect(listed.has(file.path)).toBe(true);
  });
});
