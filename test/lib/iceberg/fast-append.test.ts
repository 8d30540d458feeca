import { describe, expect, it } from "vitest";
import { ExportError } from "../../../lib/core/errors.js";
import { produceFastAppend, type AppendedDataFile, type FastAppendOptions } from "../../../lib/iceberg/fast-append.js";
import { readManifest, withInheritedValues } from "../../../lib/iceberg/manifest-file.js";
import { readManifestList } from "../../../lib/iceberg/manifest-list.js";
import { newTableMetadata } from "../../../lib/iceberg/new-table-metadata.js";
import type { TableMetadata } from "../../../lib/iceberg/table-metadata.js";
import { applyTableUpdates } from "../../../lib/iceberg/table-updates.js";
import { daySpec, exportSchema, memoryObjectStore, stagedFile, unpartitionedSpec, type MemoryObjectStore } from "./iceberg-fixtures.js";
import { heavyTestTimeoutMs } from "../../heavy-test-timeout.js";

const location = "s3://warehouse/db/orders";
const t0 = 1_764_000_000_000;

function emptyTable(): TableMetadata {
  const table = newTableMetadata({ location, schema: exportSchema, partitionSpec: daySpec, tableUuid: "uuid-1", nowMs: t0 });
  return { ...table, "partition-specs": [daySpec, unpartitionedSpec] };
}

function appendOptions(store: MemoryObjectStore, dataFiles: AppendedDataFile[], snapshotId: bigint, extra: Partial<FastAppendOptions> = {}): FastAppendOptions {
  return {
    dataFiles,
    snapshotId,
    objectStore: store,
    manifestLocation: (name) => `${location}/metadata/${name}`,
    manifestListLocation: (name) => `${location}/metadata/${name}`,
    nowMs: t0 + Number(snapshotId % 1000n),
    ...extra,
  };
}

async function commitAppend(base: TableMetadata, options: FastAppendOptions): Promise<TableMetadata> {
  const append = await produceFastAppend(base, options);
  return applyTableUpdates(base, append.updates, append.requirements, { nowMs: options.nowMs, metadataLocationOfBase: `${location}/metadata/v.json` });
}

/** Every entry of the current snapshot, as a reader sees it after inheritance. */
async function currentEntries(store: MemoryObjectStore, table: TableMetadata): Promise<[string, string, bigint | null, number | null, number | null][]> {
  const current = table.snapshots.find((snapshot) => snapshot["snapshot-id"] === table["current-snapshot-id"]);
  const manifests = await readManifestList(await store.get(current?.["manifest-list"] ?? ""));
  const entries = [];
  for (const manifest of manifests) {
    const { entries: read } = await readManifest(await store.get(manifest.manifestPath));
    entries.push(...withInheritedValues(read, manifest));
  }
  return entries
    .map((entry): [string, string, bigint | null, number | null, number | null] => [entry.dataFile.filePath.replace(/^.*\//, ""), entry.status, entry.snapshotId, entry.sequenceNumber, entry.fileSequenceNumber])
    .sort((left, right) => left[0].localeCompare(right[0]));
}

describe("fast append", () => {
  it("appends to an empty table: one manifest, a manifest list, a snapshot with sequence number 1 and its summary", async () => {
    const store = memoryObjectStore();
    const files = [stagedFile("a", 10, "2026-11-24T10:00:00Z"), stagedFile("b", 4, "2026-11-23T10:00:00Z")];
    const append = await produceFastAppend(emptyTable(), appendOptions(store, files, 101n, { summaryProperties: { "kafka-iceberg-export.commit-id": "c1" } }));

    expect(store.puts).toHaveLength(2);
    expect(append.requirements).toEqual([
      { type: "assert-table-uuid", uuid: "uuid-1" },
      { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": null },
    ]);
    expect(append.updates).toEqual([
      { action: "add-snapshot", snapshot: append.snapshot },
      { action: "set-snapshot-ref", "ref-name": "main", "snapshot-id": 101n, type: "branch" },
    ]);
    expect(append.snapshot).toMatchObject({ "snapshot-id": 101n, "sequence-number": 1, "timestamp-ms": t0 + 101, "schema-id": 0 });
    expect(append.snapshot).not.toHaveProperty("parent-snapshot-id");
    expect(append.summary).toMatchObject({ operation: "append", "added-data-files": "2", "added-records": "14", "changed-partition-count": "2", "total-records": "14", "kafka-iceberg-export.commit-id": "c1" });
    expect(append.newManifests).toHaveLength(1);
    expect(append.newManifests[0]).toMatchObject({ sequenceNumber: null, addedSnapshotId: 101n, addedFilesCount: 2, addedRowsCount: 14 });

    const table = applyTableUpdates(emptyTable(), append.updates, append.requirements, { nowMs: t0 + 101, metadataLocationOfBase: undefined });
    expect(await currentEntries(store, table)).toEqual([
      ["a.parquet", "added", 101n, 1, 1],
      ["b.parquet", "added", 101n, 1, 1],
    ]);
    const [listed] = await readManifestList(await store.get(append.snapshot["manifest-list"]));
    expect(listed).toMatchObject({ sequenceNumber: 1, minSequenceNumber: 1, addedSnapshotId: 101n });
  });

  it("carries the parent's manifests over and adds to its totals", async () => {
    const store = memoryObjectStore();
    const first = await commitAppend(emptyTable(), appendOptions(store, [stagedFile("a", 10, "2026-11-24T10:00:00Z")], 101n));
    const append = await produceFastAppend(first, appendOptions(store, [stagedFile("b", 5, "2026-11-24T11:00:00Z")], 202n));
    expect(append.snapshot).toMatchObject({ "parent-snapshot-id": 101n, "sequence-number": 2 });
    expect(append.summary).toMatchObject({ "added-records": "5", "total-records": "15", "total-data-files": "2" });
    expect(append.requirements[1]).toEqual({ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": 101n });
    const second = applyTableUpdates(first, append.updates, append.requirements, { nowMs: t0, metadataLocationOfBase: "v1.json" });
    expect(await currentEntries(store, second)).toEqual([
      ["a.parquet", "added", 101n, 1, 1],
      ["b.parquet", "added", 202n, 2, 2],
    ]);
  });

  it("writes one manifest per partition spec", async () => {
    const store = memoryObjectStore();
    const files = [stagedFile("a", 1, "2026-11-24T10:00:00Z"), stagedFile("u", 2, null, { spec: unpartitionedSpec })];
    const append = await produceFastAppend(emptyTable(), appendOptions(store, files, 7n));
    expect(append.newManifests.map((manifest) => [manifest.partitionSpecId, manifest.addedFilesCount])).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });

  it("merges carried manifests past the threshold into EXISTING entries that keep their sequence numbers", { timeout: heavyTestTimeoutMs }, async () => {
    const store = memoryObjectStore();
    let table = emptyTable();
    for (let index = 1; index <= 7; index++) {
      table = await commitAppend(table, appendOptions(store, [stagedFile(`f${index}`, index, "2026-11-24T10:00:00Z")], BigInt(index * 100), { manifestMergeThreshold: 3 }));
      const current = table.snapshots.at(-1);
      expect((await readManifestList(await store.get(current?.["manifest-list"] ?? ""))).length).toBeLessThanOrEqual(3);
    }
    const entries = await currentEntries(store, table);
    expect(entries).toHaveLength(7);
    expect(entries.map(([name, , snapshotId, sequenceNumber, fileSequenceNumber]) => [name, snapshotId, sequenceNumber, fileSequenceNumber])).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((index) => [`f${index}.parquet`, BigInt(index * 100), index, index]),
    );
    expect(entries.filter(([, status]) => status === "existing").length).toBeGreaterThan(0);
    expect(entries.find(([name]) => name === "f7.parquet")?.[1]).toBe("added");
    expect(table.snapshots.at(-1)?.summary["total-records"]).toBe(String(1 + 2 + 3 + 4 + 5 + 6 + 7));
  });

  it("reuses the manifests of an earlier attempt on a newer base: only a new manifest list is written", async () => {
    const store = memoryObjectStore();
    const base = await commitAppend(emptyTable(), appendOptions(store, [stagedFile("a", 10, "2026-11-24T10:00:00Z")], 101n));
    const files = [stagedFile("mine", 3, "2026-11-24T12:00:00Z")];
    const attempt = await produceFastAppend(base, appendOptions(store, files, 303n));
    // Another writer commits first; the attempt's requirement no longer holds.
    const moved = await commitAppend(base, appendOptions(store, [stagedFile("theirs", 2, "2026-11-24T13:00:00Z")], 202n));
    expect(() => applyTableUpdates(moved, attempt.updates, attempt.requirements, { nowMs: t0, metadataLocationOfBase: "v2.json" })).toThrow(/assert-ref-snapshot-id/);

    const putsBefore = store.puts.length;
    const retry = await produceFastAppend(moved, appendOptions(store, files, 303n, { reusedManifests: attempt.newManifests }));
    expect(store.puts.slice(putsBefore)).toEqual([retry.snapshot["manifest-list"]]);
    expect(retry.newManifests).toEqual(attempt.newManifests);
    expect(retry.snapshot).toMatchObject({ "parent-snapshot-id": 202n, "sequence-number": 3 });
    const committed = applyTableUpdates(moved, retry.updates, retry.requirements, { nowMs: t0, metadataLocationOfBase: "v2.json" });
    expect(await currentEntries(store, committed)).toEqual([
      ["a.parquet", "added", 101n, 1, 1],
      ["mine.parquet", "added", 303n, 3, 3],
      ["theirs.parquet", "added", 202n, 2, 2],
    ]);
  });

  it("refuses files of a partition spec the table does not have, an empty append and foreign manifests to reuse", async () => {
    const store = memoryObjectStore();
    const unknownSpec = { ...stagedFile("a", 1, "2026-11-24T10:00:00Z"), partitionSpecId: 9 };
    await expect(produceFastAppend(emptyTable(), appendOptions(store, [unknownSpec], 1n))).rejects.toThrow(new ExportError("INTERNAL", "partition spec 9 is not one of the table's (0, 1)"));
    await expect(produceFastAppend(emptyTable(), appendOptions(store, [], 1n))).rejects.toThrow("a fast append needs at least one data file");
    const wrongValues = { ...stagedFile("a", 1, "2026-11-24T10:00:00Z"), partitionValues: { timestamp_hour: 5 } };
    await expect(produceFastAppend(emptyTable(), appendOptions(store, [wrongValues], 1n))).rejects.toThrow(/partition values for timestamp_hour do not match partition spec 0/);
    const files = [stagedFile("a", 1, "2026-11-24T10:00:00Z")];
    const attempt = await produceFastAppend(emptyTable(), appendOptions(store, files, 1n));
    await expect(produceFastAppend(emptyTable(), appendOptions(store, files, 2n, { reusedManifests: attempt.newManifests }))).rejects.toThrow(/cannot be reused/);
  });
});
