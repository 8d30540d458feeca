import { describe, expect, it } from "vitest";
import { produceFastAppend, type AppendedDataFile } from "../../../lib/iceberg/fast-append.js";
import { readManifest, withInheritedValues } from "../../../lib/iceberg/manifest-file.js";
import { readManifestList } from "../../../lib/iceberg/manifest-list.js";
import { newTableMetadata } from "../../../lib/iceberg/new-table-metadata.js";
import { produceReplaceFiles, type ReplaceFilesOptions, type ReplacementDataFile } from "../../../lib/iceberg/replace-files.js";
import type { TableMetadata } from "../../../lib/iceberg/table-metadata.js";
import { applyTableUpdates } from "../../../lib/iceberg/table-updates.js";
import { daySpec, exportSchema, memoryObjectStore, metricsOf, stagedFile, type MemoryObjectStore } from "./iceberg-fixtures.js";

const location = "s3://warehouse/db/orders";
const t0 = 1_764_000_000_000;
const locations = { manifestLocation: (name: string) => `${location}/metadata/${name}`, manifestListLocation: (name: string) => `${location}/metadata/${name}` };

async function append(store: MemoryObjectStore, base: TableMetadata, files: AppendedDataFile[], snapshotId: bigint): Promise<TableMetadata> {
  const nowMs = t0 + Number(snapshotId);
  const produced = await produceFastAppend(base, { dataFiles: files, snapshotId, objectStore: store, nowMs, ...locations, summaryProperties: { "kafka-iceberg-export.offsets": `{"orders":{"0":"${snapshotId}"}}` } });
  return applyTableUpdates(base, produced.updates, produced.requirements, { nowMs, metadataLocationOfBase: `${location}/metadata/v${snapshotId}.json` });
}

/** a, b (snapshot 1), c (2) on 2026-11-24; d (3) on 2026-11-25. */
async function tableOfFourFiles(store: MemoryObjectStore): Promise<TableMetadata> {
  let table = newTableMetadata({ location, schema: exportSchema, partitionSpec: daySpec, tableUuid: "uuid-1", nowMs: t0 });
  table = await append(store, table, [stagedFile("a", 10, "2026-11-24T10:00:00Z"), stagedFile("b", 20, "2026-11-24T11:00:00Z")], 1n);
  table = await append(store, table, [stagedFile("c", 30, "2026-11-24T12:00:00Z")], 2n);
  return append(store, table, [stagedFile("d", 40, "2026-11-25T12:00:00Z")], 3n);
}

function compacted(records: number): ReplacementDataFile {
  const a = stagedFile("compacted-x", records, "2026-11-24T10:00:00Z");
  return { location: a.location, fileSizeBytes: 5000, recordCount: records, partitionSpecId: 0, partition: a.partitionValues, metrics: metricsOf(records, 1000n, "2026-11-24T10:00:00Z") };
}

function replaceOptions(store: MemoryObjectStore, extra: Partial<ReplaceFilesOptions> = {}): ReplaceFilesOptions {
  return {
    replaced: [
      { path: `${location}/data/a.parquet`, partitionSpecId: 0 },
      { path: `${location}/data/c.parquet`, partitionSpecId: 0 },
    ],
    added: [compacted(40)],
    snapshotId: 9n,
    objectStore: store,
    nowMs: t0 + 100,
    ...locations,
    ...extra,
  };
}

type EntryView = [string, string, bigint | null, number | null, number | null];

async function entriesOf(store: MemoryObjectStore, table: TableMetadata): Promise<{ manifests: { added: number; existing: number; deleted: number; sequenceNumber: number }[]; entries: EntryView[] }> {
  const current = table.snapshots.find((snapshot) => snapshot["snapshot-id"] === table["current-snapshot-id"]);
  const manifests = await readManifestList(await store.get(current?.["manifest-list"] ?? ""));
  const entries: EntryView[] = [];
  for (const manifest of manifests) {
    const { entries: read } = await readManifest(await store.get(manifest.manifestPath));
    for (const entry of withInheritedValues(read, manifest)) entries.push([entry.dataFile.filePath.replace(/^.*\//, ""), entry.status, entry.snapshotId, entry.sequenceNumber, entry.fileSequenceNumber]);
  }
  return {
    manifests: manifests.map((manifest) => ({ added: manifest.addedFilesCount, existing: manifest.existingFilesCount, deleted: manifest.deletedFilesCount, sequenceNumber: manifest.sequenceNumber })),
    entries: entries.sort((left, right) => left[0].localeCompare(right[0])),
  };
}

describe("replace snapshot producer", () => {
  it("marks replaced files DELETED by the new snapshot, keeps the rest of their manifests as EXISTING with their sequence numbers, adds the new files, carries untouched manifests", async () => {
    const store = memoryObjectStore();
    const base = await tableOfFourFiles(store);
    const replace = await produceReplaceFiles(base, replaceOptions(store));
    const table = applyTableUpdates(base, replace.updates, replace.requirements, { nowMs: t0 + 100, metadataLocationOfBase: `${location}/metadata/v4.json` });

    expect(replace.requirements).toEqual([
      { type: "assert-table-uuid", uuid: "uuid-1" },
      { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": 3n },
    ]);
    expect(table["current-snapshot-id"]).toBe(9n);
    expect(replace.snapshot).toMatchObject({ "parent-snapshot-id": 3n, "sequence-number": 4, "schema-id": 0 });
    const { manifests, entries } = await entriesOf(store, table);
    expect(entries).toEqual([
      ["a.parquet", "deleted", 9n, 1, 1],
      ["b.parquet", "existing", 1n, 1, 1],
      ["c.parquet", "deleted", 9n, 2, 2],
      ["compacted-x.parquet", "added", 9n, 4, 4],
      ["d.parquet", "added", 3n, 3, 3],
    ]);
    expect(manifests).toEqual([
      { added: 1, existing: 0, deleted: 0, sequenceNumber: 4 },
      // The manifest of snapshot 2 comes first: a fast append lists its new manifest first.
      { added: 0, existing: 0, deleted: 1, sequenceNumber: 4 },
      { added: 0, existing: 1, deleted: 1, sequenceNumber: 4 },
      { added: 1, existing: 0, deleted: 0, sequenceNumber: 3 },
    ]);
    // The manifests of the snapshots before are not touched: they still hold what they held.
    const before = await entriesOf(store, base);
    expect(before.entries.map((entry) => entry[1])).toEqual(["added", "added", "added", "added"]);
    expect(replace.writtenFiles).toHaveLength(4);
  });

  it("summarises the rewrite with the standard keys, totals carried from the parent, and no offsets of ours", async () => {
    const store = memoryObjectStore();
    const base = await tableOfFourFiles(store);
    const parent = base.snapshots.at(-1)?.summary ?? { operation: "append" };
    const { summary } = await produceReplaceFiles(base, replaceOptions(store));
    expect(summary).toEqual({
      operation: "replace",
      "added-data-files": "1",
      "deleted-data-files": "2",
      "added-records": "40",
      "deleted-records": "40",
      "added-files-size": "5000",
      "removed-files-size": String(4096 + 100 + 4096 + 300),
      "changed-partition-count": "1",
      "total-records": parent["total-records"],
      "total-files-size": String(Number(parent["total-files-size"]) + 5000 - (4096 + 100 + 4096 + 300)),
      "total-data-files": "3",
      "total-delete-files": "0",
      "total-position-deletes": "0",
      "total-equality-deletes": "0",
    });
  });

  it("refuses to replace a file that is not live in the base: a removed file never comes back", async () => {
    const store = memoryObjectStore();
    const base = await tableOfFourFiles(store);
    const first = await produceReplaceFiles(base, replaceOptions(store));
    const replaced = applyTableUpdates(base, first.updates, first.requirements, { nowMs: t0 + 100, metadataLocationOfBase: undefined });
    await expect(produceReplaceFiles(replaced, replaceOptions(store, { snapshotId: 10n }))).rejects.toThrow(/not live in the table: .*a\.parquet/);
    await expect(produceReplaceFiles(base, replaceOptions(store, { replaced: [{ path: `${location}/data/nope.parquet`, partitionSpecId: 0 }] }))).rejects.toThrow(/nope\.parquet/);
  });

  it("a rewrite on top of a rewrite drops the DELETED entries of the one before", async () => {
    const store = memoryObjectStore();
    const base = await tableOfFourFiles(store);
    const first = await produceReplaceFiles(base, replaceOptions(store));
    const once = applyTableUpdates(base, first.updates, first.requirements, { nowMs: t0 + 100, metadataLocationOfBase: undefined });
    const second = await produceReplaceFiles(once, replaceOptions(store, { snapshotId: 10n, replaced: [{ path: `${location}/data/b.parquet`, partitionSpecId: 0 }], added: [{ ...compacted(20), location: `${location}/data/compacted-y.parquet` }] }));
    const twice = applyTableUpdates(once, second.updates, second.requirements, { nowMs: t0 + 200, metadataLocationOfBase: undefined });
    expect((await entriesOf(store, twice)).entries).toEqual([
      ["b.parquet", "deleted", 10n, 1, 1],
      ["c.parquet", "deleted", 9n, 2, 2],
      ["compacted-x.parquet", "added", 9n, 4, 4],
      ["compacted-y.parquet", "added", 10n, 5, 5],
      ["d.parquet", "added", 3n, 3, 3],
    ]);
  });
});
