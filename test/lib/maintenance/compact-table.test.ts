// The compaction executor over the local file catalog on an in-memory store: the validation
// cases the integration tests cannot produce with pyiceberg (a delete file landing meanwhile).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createFileCatalog } from "../../../lib/adapters/local/file-catalog.js";
import type { Catalog, LoadedTable } from "../../../lib/catalog/catalog.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { produceFastAppend } from "../../../lib/iceberg/fast-append.js";
import { writeManifest } from "../../../lib/iceberg/manifest-file.js";
import { readManifestList, writeManifestList } from "../../../lib/iceberg/manifest-list.js";
import { newTableMetadata } from "../../../lib/iceberg/new-table-metadata.js";
import { compactTable, type CompactTableOptions } from "../../../lib/maintenance/compact-table.js";
import { readLiveFiles } from "../../../lib/maintenance/live-files.js";
import { writeDataFile } from "../../../lib/parquet/data-file-writer.js";
import { everythingTable } from "../commit/merge-fixtures.js";
import { memoryObjectStore } from "../iceberg/iceberg-fixtures.js";

const { schema, rows } = everythingTable();
const identifier = { namespace: "kafka", name: "orders" };
const unpartitioned = { "spec-id": 0, fields: [] };

async function tableOfSmallFiles(files: number) {
  const store = memoryObjectStore();
  const catalog = createFileCatalog({ warehouse: "/warehouse", objectStore: store });
  const location = "/warehouse/kafka/orders";
  let loaded = await catalog.createTable(identifier, newTableMetadata({ location, schema, partitionSpec: unpartitioned, tableUuid: randomUUID(), nowMs: 1 }));
  for (let index = 0; index < files; index++) {
    const written = writeDataFile(schema, rows);
    const path = `${location}/data/f${index}.parquet`;
    await store.put(path, written.bytes);
    const nowMs = 1000 + index;
    const append = await produceFastAppend(loaded.metadata, {
      dataFiles: [{ location: path, fileSizeBytes: written.bytes.length, recordCount: written.recordCount, partitionSpecId: 0, partitionValues: {}, metrics: written.metrics }],
      snapshotId: BigInt(index + 1),
      objectStore: store,
      manifestLocation: (name) => `${location}/metadata/${name}`,
      manifestListLocation: (name) => `${location}/metadata/${name}`,
      nowMs,
    });
    loaded = await catalog.commitTable(loaded, { updates: append.updates, requirements: append.requirements, nowMs });
  }
  return { store, catalog, location };
}

/** Another engine's position deletes for `dataFile`, committed as a snapshot of their own. */
async function commitPositionDelete(catalog: Catalog, store: ReturnType<typeof memoryObjectStore>, dataFile: string): Promise<void> {
  const base = (await catalog.loadTable(identifier)) as LoadedTable;
  const { metadata } = base;
  const parent = metadata.snapshots.find((snapshot) => snapshot["snapshot-id"] === metadata["current-snapshot-id"]);
  if (parent === undefined) throw new Error("no snapshot");
  const snapshotId = 777n;
  const manifestPath = `${metadata.location}/metadata/deletes-${randomUUID()}.avro`;
  const manifest = await writeManifest({
    location: manifestPath,
    schema,
    partitionSpec: unpartitioned,
    addedSnapshotId: snapshotId,
    entries: [
      {
        status: "added",
        snapshotId,
        sequenceNumber: null,
        fileSequenceNumber: null,
        dataFile: {
          content: "position-deletes",
          filePath: `${metadata.location}/data/deletes.parquet`,
          fileFormat: "PARQUET",
          partition: {},
          recordCount: 1,
          fileSizeInBytes: 100,
          metrics: { columnSizes: {}, valueCounts: {}, nullValueCounts: {}, nanValueCounts: {}, lowerBounds: {}, upperBounds: {} },
          keyMetadata: null,
          splitOffsets: null,
          equalityIds: null,
          sortOrderId: null,
          referencedDataFile: dataFile,
        },
      },
    ],
  });
  await store.put(manifestPath, manifest.bytes);
  const sequenceNumber = metadata["last-sequence-number"] + 1;
  const listPath = `${metadata.location}/metadata/snap-777.avro`;
  const carried = await readManifestList(await store.get(parent["manifest-list"]));
  await store.put(listPath, await writeManifestList({ snapshotId, parentSnapshotId: parent["snapshot-id"], sequenceNumber, manifests: [manifest.manifest, ...carried] }));
  const snapshot = { "snapshot-id": snapshotId, "parent-snapshot-id": parent["snapshot-id"], "sequence-number": sequenceNumber, "timestamp-ms": 5000, "manifest-list": listPath, summary: { operation: "delete" as const } };
  const updates = [
    { action: "add-snapshot" as const, snapshot },
    { action: "set-snapshot-ref" as const, "ref-name": "main", "snapshot-id": snapshotId, type: "branch" as const },
  ];
  await catalog.commitTable(base, { updates, requirements: [], nowMs: 5000 });
}

function options(catalog: Catalog, store: ReturnType<typeof memoryObjectStore>): CompactTableOptions {
  return { catalog, objectStore: store, logger: silentLogger, now: () => 10 * 3_600_000, settings: { targetFileSizeBytes: 64 * 1024 * 1024, quietPeriodMs: 3_600_000, minOpenPartitionFiles: 10, maxInputBytes: 1e12 } };
}

describe("compacting a table", () => {
  it("compacts the small files of an unpartitioned table into one, as a replace snapshot", async () => {
    const { store, catalog } = await tableOfSmallFiles(3);
    const outcome = await compactTable(identifier, options(catalog, store));
    expect(outcome).toMatchObject({ groupsCommitted: 1, filesReplaced: 3, filesWritten: 1, filesPerPartition: { partitions: 1, dataFiles: 1, maxFilesPerPartition: 1 } });
    const loaded = (await catalog.loadTable(identifier)) as LoadedTable;
    expect(loaded.metadata.snapshots.at(-1)?.summary).toMatchObject({ operation: "replace", "deleted-data-files": "3", "added-data-files": "1", "total-records": String(rows.length * 3) });
    const live = await readLiveFiles(loaded.metadata, store);
    expect(live.dataFiles.map((file) => file.recordCount)).toEqual([rows.length * 3]);
  });

  it("drops a group when a delete file lands in its partition meanwhile: its rows would otherwise lose the deletes; the output is deleted", async () => {
    const { store, catalog, location } = await tableOfSmallFiles(3);
    let raced = false;
    const racing: Catalog = {
      loadTable: (id) => catalog.loadTable(id),
      createTable: (id, metadata) => catalog.createTable(id, metadata),
      async commitTable(base, metadata) {
        if (!raced) {
          raced = true;
          await commitPositionDelete(catalog, store, `${location}/data/f0.parquet`);
        }
        return catalog.commitTable(base, metadata);
      },
    };
    const outcome = await compactTable(identifier, options(racing, store));
    expect(outcome).toMatchObject({ groupsPlanned: 1, groupsCommitted: 0, groupsDropped: 1, filesReplaced: 0, conflictsRetried: 1, filesPerPartition: { partitions: 1, dataFiles: 3, maxFilesPerPartition: 3 } });
    const loaded = (await catalog.loadTable(identifier)) as LoadedTable;
    expect(loaded.metadata.snapshots.at(-1)?.summary.operation).toBe("delete");
    expect((await readLiveFiles(loaded.metadata, store)).dataFiles).toHaveLength(3);
    expect([...store.objects.keys()].filter((key) => key.includes("compacted-"))).toEqual([]);
    // Nor is a table holding delete files planned again.
    expect(await compactTable(identifier, options(catalog, store))).toMatchObject({ groupsPlanned: 0 });
  });
});
