// Compaction of committed small files on real tables (SPEC.md §8): the local file catalog and
// Glue on moto, read back by pyiceberg. A compaction is a `replace` snapshot that leaves every
// record exactly once; it rebases on an append that landed meanwhile, drops a group whose
// input someone else removed (never bringing that file back), and leaves the replaced files
// to snapshot expiry.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { landingFirst } from "../landing-first.js";
import { commitTableChange } from "../../../lib/catalog/table-change.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { readManifestList } from "../../../lib/iceberg/manifest-list.js";
import { expiryProperties } from "../../../lib/iceberg/table-properties.js";
import { compactTable, type CompactionSettings, type CompactTableOptions } from "../../../lib/maintenance/compact-table.js";
import { expireSnapshots } from "../../../lib/maintenance/expire-snapshots.js";
import type { StateStore } from "../../../lib/state/state-store.js";
import type { TableIdentifier } from "../../../lib/catalog/table-identifier.js";
import { appendRowsWithPyiceberg, type IcebergTableReadout } from "../../env/iceberg-reader.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "../commit/commit-harness.js";
import { readManifestsWithPyiceberg } from "../iceberg/pyiceberg-manifests.js";
import { order } from "../ingest/ingest-harness.js";

const hourMs = 3_600_000;
const day1 = Date.UTC(2026, 10, 24, 12);
const day2 = Date.UTC(2026, 10, 25, 12);
const settings: CompactionSettings = { targetFileSizeBytes: 4 * 1024 * 1024, quietPeriodMs: hourMs, minOpenPartitionFiles: 100, maxInputBytes: 1024 * 1024 * 1024 };

function identifierOf(harness: CommitHarness): TableIdentifier {
  return harness.config.catalog.type === "local" ? { namespace: "kafka", name: harness.table.split(".")[1] ?? "" } : { namespace: harness.glueTable.database, name: harness.glueTable.table };
}

/** Compaction as a pass two hours from now runs it: every partition written so far is closed. */
function compactionOptions(harness: CommitHarness, overrides: Partial<CompactTableOptions> = {}): CompactTableOptions {
  const context = harness.commitContext();
  return { catalog: context.catalog, objectStore: context.objectStore, logger: silentLogger, now: () => Date.now() + 2 * hourMs, settings, backoff: () => Promise.resolve(), ...overrides };
}

/** Small commits of 5 orders each, alternating between the two days (and the two Kafka partitions). */
async function smallCommits(harness: CommitHarness, commits: number, firstOffset = 0): Promise<void> {
  for (let commit = 0; commit < commits; commit++) {
    const from = firstOffset + commit * 5;
    const timestampMs = commit % 2 === 0 ? day1 : day2;
    await harness.ingestRecords(commit % 2, Array.from({ length: 5 }, (_, index) => ({ offset: from + index, value: order(from + index), timestampMs })));
    expect((await harness.commit()).tables[0]?.status).toBe("committed");
  }
}

function filesPerPartition(table: IcebergTableReadout): number[] {
  const counts = new Map<string, number>();
  for (const file of table["data-files"]) counts.set(JSON.stringify(file.partition), (counts.get(JSON.stringify(file.partition)) ?? 0) + 1);
  return [...counts.values()];
}

/** Every row as pyiceberg reads it, every column: a compaction must not change one value. */
function sortedRows(table: IcebergTableReadout): string[] {
  return table.rows.map((row) => JSON.stringify(row)).sort();
}

/** The Parquet files under the table's data folder, through the object store: S3 or the local folder. */
async function parquetFilesOf(harness: CommitHarness): Promise<string[]> {
  const listed = await harness.commitContext().objectStore.list(`${harness.tableLocation}/data/`);
  return listed.filter((location) => location.endsWith(".parquet")).sort();
}

/** Avro files under metadata/ that no snapshot's manifest list is or lists. */
async function unreferencedMetadataFiles(harness: CommitHarness): Promise<string[]> {
  const { catalog, objectStore } = harness.commitContext();
  const loaded = await catalog.loadTable(identifierOf(harness));
  const referenced = new Set<string>();
  for (const snapshot of loaded?.metadata.snapshots ?? []) {
    referenced.add(snapshot["manifest-list"]);
    for (const manifest of await readManifestList(await objectStore.get(snapshot["manifest-list"]))) referenced.add(manifest.manifestPath);
  }
  const listed = await objectStore.list(`${harness.tableLocation}/metadata/`);
  return listed.filter((location) => location.endsWith(".avro") && !referenced.has(location));
}

async function keepOnlyNewestSnapshot(harness: CommitHarness): Promise<void> {
  const context = harness.commitContext();
  const updates = { [expiryProperties.maxSnapshotAgeMs]: "1", [expiryProperties.minSnapshotsToKeep]: "1" };
  await commitTableChange(identifierOf(harness), () => ({ updates: [{ action: "set-properties", updates }], requirements: [], plan: undefined }), {
    catalog: context.catalog,
    logger: silentLogger,
    now: Date.now,
  });
}

describe("compaction", () => {
  it("on the local catalog: closed partitions end with one file each, as a replace snapshot; the replaced files stay until expiry deletes them; pyiceberg reads every record once", async () => {
    const harness = await createCommitHarness({ storage: "local" });
    const identifier = identifierOf(harness);
    await smallCommits(harness, 8);
    const before = await harness.readTable();
    expect(filesPerPartition(before).sort()).toEqual([4, 4]);

    // Both partitions were written a moment ago: open, and 4 files are fewer than the threshold.
    const open = await compactTable(identifier, compactionOptions(harness, { now: Date.now, settings: { ...settings, minOpenPartitionFiles: 5 } }));
    expect(open).toMatchObject({ groupsPlanned: 0, filesReplaced: 0 });
    // Two hours on, both partitions are closed.
    const outcome = await compactTable(identifier, compactionOptions(harness));
    expect(outcome).toMatchObject({ groupsPlanned: 2, groupsCommitted: 2, groupsDropped: 0, filesReplaced: 8, filesWritten: 2, conflictsRetried: 0 });
    expect(outcome.bytesWritten).toBeGreaterThan(0);

    const after = await harness.readTable();
    expect(filesPerPartition(after)).toEqual([1, 1]);
    expect(orderIds(after)).toEqual(expectedOrderIds([0, 39]));
    expect(sortedRows(after)).toEqual(sortedRows(before));
    const replace = after.snapshots.at(-1);
    expect(replace?.summary).toMatchObject({ operation: "replace", "added-data-files": "2", "deleted-data-files": "8", "added-records": "40", "deleted-records": "40", "total-records": "40", "total-data-files": "2" });
    expect(after.properties["kafka-iceberg-export.offsets"]).toBe(before.properties["kafka-iceberg-export.offsets"]);
    // pyiceberg sees the replaced files as DELETED entries and the compacted ones as ADDED.
    const manifests = await readManifestsWithPyiceberg(after["metadata-location"]);
    const statuses = manifests.manifests.flatMap((manifest) => manifest.entries.map((entry) => entry.status)).sort();
    expect(statuses).toEqual([...Array<string>(2).fill("ADDED"), ...Array<string>(8).fill("DELETED")]);
    // Time travel: the replaced files are still on disk for the snapshots before.
    for (const file of before["data-files"]) expect(existsSync(file.path)).toBe(true);

    // Commits go on on top of the replace snapshot, and nothing is committed twice.
    await smallCommits(harness, 2, 40);
    expect((await harness.commit()).tables[0]?.status).toBe("nothing-staged");
    expect(orderIds(await harness.readTable())).toEqual(expectedOrderIds([0, 49]));

    // Expiry after compaction deletes the replaced files: no retained snapshot reaches them.
    await keepOnlyNewestSnapshot(harness);
    const expiry = await expireSnapshots(identifier, { catalog: harness.commitContext().catalog, objectStore: harness.commitContext().objectStore, logger: silentLogger, now: () => Date.now() + 60_000 });
    expect(new Set(expiry.deleted.dataFiles)).toEqual(new Set(before["data-files"].map((file) => file.path)));
    for (const file of before["data-files"]) expect(existsSync(file.path)).toBe(false);
    const expired = await harness.readTable();
    expect(orderIds(expired)).toEqual(expectedOrderIds([0, 49]));
    expect(await parquetFilesOf(harness)).toEqual(expired["data-files"].map((file) => file.path).sort());
  });

  it("rebases on our append that lands between its load and its commit: both land, every record once", async () => {
    const harness = await createCommitHarness({ storage: "local" });
    await smallCommits(harness, 6);
    const context = harness.commitContext();
    const catalog = landingFirst(context.catalog, { 1: async () => {
      await harness.ingestRecords(0, [40, 41, 42].map((offset) => ({ offset, value: order(offset), timestampMs: day1 })));
      expect((await harness.commit()).tables[0]?.status).toBe("committed");
    } });
    const outcome = await compactTable(identifierOf(harness), compactionOptions(harness, { catalog }));
    expect(outcome).toMatchObject({ groupsCommitted: 2, groupsDropped: 0, filesReplaced: 6, conflictsRetried: 1 });

    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 29], [40, 42]));
    expect(table.snapshots.map((snapshot) => snapshot.summary["operation"])).toEqual([...Array<string>(7).fill("append"), "replace"]);
    // The raced append's file stays beside the compacted one in its partition.
    expect(filesPerPartition(table).sort()).toEqual([1, 2]);
    // The attempt that lost the race left no manifest or manifest list behind.
    expect(await unreferencedMetadataFiles(harness)).toEqual([]);
  });

  it.each(["local", "aws"] as const)("on %s: drops a group whose input another compaction replaced meanwhile, deletes its output, brings no removed file back; the other group lands", async (storage) => {
    const harness = await createCommitHarness({ storage });
    const identifier = identifierOf(harness);
    await smallCommits(harness, 6);
    const before = await harness.readTable();
    const context = harness.commitContext();
    let other: Awaited<ReturnType<typeof compactTable>> | undefined;
    // The other compactor takes only the first group (the pass's byte budget): day 1's files.
    const catalog = landingFirst(context.catalog, { 1: async () => {
      other = await compactTable(identifier, compactionOptions(harness, { settings: { ...settings, maxInputBytes: 1 } }));
    } });
    const outcome = await compactTable(identifier, compactionOptions(harness, { catalog }));
    expect(other).toMatchObject({ groupsCommitted: 1, filesReplaced: 3 });
    expect(outcome).toMatchObject({ groupsPlanned: 2, groupsCommitted: 1, groupsDropped: 1, filesReplaced: 3, conflictsRetried: 1 });

    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 29]));
    expect(filesPerPartition(table)).toEqual([1, 1]);
    expect(table.snapshots.map((snapshot) => snapshot.summary["operation"])).toEqual([...Array<string>(6).fill("append"), "replace", "replace"]);
    // No input file is live again; the dropped group's output is gone from disk: every Parquet
    // file on disk is either live or one of the replaced inputs kept for time travel.
    const live = new Set(table["data-files"].map((file) => file.path));
    for (const file of before["data-files"]) expect(live.has(file.path)).toBe(false);
    expect(await parquetFilesOf(harness)).toEqual([...live, ...before["data-files"].map((file) => file.path)].sort());
  });

  it("a commit that crashed before its bookkeeping, then a compaction: the next commit finishes the bookkeeping and appends nothing twice", async () => {
    const harness = await createCommitHarness({ storage: "local" });
    await smallCommits(harness, 4);
    await harness.ingestRecords(0, [40, 41].map((offset) => ({ offset, value: order(offset), timestampMs: day1 })));
    const { stateStore } = harness.commitContext();
    const crashing: StateStore = Object.assign(Object.create(stateStore) as StateStore, { markCommitted: () => Promise.reject(new Error("crashed before the bookkeeping")) });
    expect((await harness.commit({ stateStore: crashing })).failures).toHaveLength(1);

    // The compaction replaces the crashed commit's file too; its replace snapshot carries no offsets of ours.
    expect(await compactTable(identifierOf(harness), compactionOptions(harness))).toMatchObject({ groupsCommitted: 2, filesReplaced: 5 });
    const next = await harness.commit();
    expect(next.tables[0]).toMatchObject({ status: "nothing-staged", filesReconciled: 1 });
    const table = await harness.readTable();
    expect(orderIds(table)).toEqual(expectedOrderIds([0, 19], [40, 41]));
    expect(table.snapshots.map((snapshot) => snapshot.summary["operation"])).toEqual([...Array<string>(5).fill("append"), "replace"]);
  });

  it("on Glue: another engine's append lands between the load and the commit: rebased, every record once; a later pass compacts that engine's file too, rows unchanged", async () => {
    const harness = await createCommitHarness();
    const identifier = identifierOf(harness);
    await smallCommits(harness, 6);
    const context = harness.commitContext();
    const catalog = landingFirst(context.catalog, { 1: () => appendRowsWithPyiceberg(harness.glueTable, [{ val: { id: "other-writer-1" }, timestamp: "2026-11-24T13:00:00+00:00" }]) });
    const outcome = await compactTable(identifier, compactionOptions(harness, { catalog }));
    expect(outcome).toMatchObject({ groupsCommitted: 2, groupsDropped: 0, filesReplaced: 6, filesWritten: 2, conflictsRetried: 1 });

    const table = await harness.readTable();
    expect(orderIds(table).filter((id) => id.startsWith("order-"))).toEqual(expectedOrderIds([0, 29]));
    expect(orderIds(table)).toHaveLength(31);
    expect(table.snapshots.at(-1)?.summary).toMatchObject({ operation: "replace", "deleted-data-files": "6", "added-data-files": "2" });
    expect(filesPerPartition(table).sort()).toEqual([1, 2]);

    // A later pass compacts the other engine's file with ours: read back by field id, its row is the row pyiceberg wrote.
    // Later than the first pass's snapshot (two hours ahead), so the partitions are closed again.
    const second = await compactTable(identifier, compactionOptions(harness, { now: () => Date.now() + 5 * hourMs }));
    expect(second).toMatchObject({ groupsCommitted: 1, filesReplaced: 2, filesWritten: 1 });
    const again = await harness.readTable();
    expect(orderIds(again)).toHaveLength(31);
    expect(filesPerPartition(again)).toEqual([1, 1]);
    const otherRow = (readout: IcebergTableReadout) => readout.rows.find((row) => (row["val"] as { id?: string } | null)?.id === "other-writer-1");
    expect(otherRow(again)).toEqual(otherRow(table));
    expect(sortedRows(again)).toEqual(sortedRows(table));
    await smallCommits(harness, 2, 30);
    expect(orderIds(await harness.readTable()).filter((id) => id.startsWith("order-"))).toEqual(expectedOrderIds([0, 39]));
  });
});
