// Appends to a real table in a local folder — Parquet data files from our writer, manifests,
// manifest lists and metadata files from lib/iceberg — and reads it back with pyiceberg.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { produceFastAppend, type AppendedDataFile, type FastAppend } from "../../../lib/iceberg/fast-append.js";
import { serializeTableMetadata } from "../../../lib/iceberg/metadata-json.js";
import { nameMappingOf, nameMappingProperty } from "../../../lib/iceberg/name-mapping.js";
import { newTableMetadata } from "../../../lib/iceberg/new-table-metadata.js";
import { applyTimeTransform, partitionPath } from "../../../lib/iceberg/partitioning.js";
import type { TableMetadata } from "../../../lib/iceberg/table-metadata.js";
import { applyTableUpdates } from "../../../lib/iceberg/table-updates.js";
import { writeDataFile } from "../../../lib/parquet/data-file-writer.js";
import type { TableRow } from "../../../lib/schema/table-row.js";
import { createFolderObjectStore } from "../../../lib/adapters/local/folder-object-store.js";
import type { ObjectStore } from "../../../lib/storage/object-store.js";
import { daySpec, exportSchema } from "../../lib/iceberg/iceberg-fixtures.js";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { readManifestsWithPyiceberg } from "./pyiceberg-manifests.js";

const schema = exportSchema;

function orderRow(orderId: number, iso: string): TableRow {
  return {
    key: { __raw__: Uint8Array.of(orderId % 256, 7) },
    val: { order_id: BigInt(orderId), amount: orderId / 4, note: orderId % 3 === 0 ? null : `order-${orderId}` },
    headers: [{ key: "source", value: Uint8Array.of(1, 2) }],
    timestamp: BigInt(Date.parse(iso)) * 1000n,
  };
}

/** Random positive 63-bit snapshot ids, most of them beyond 2^53, as Iceberg writers pick them. */
function newSnapshotId(): bigint {
  return randomBytes(8).readBigUInt64BE() >> 1n;
}

interface LocalTable {
  directory: string;
  store: ObjectStore;
  metadata: TableMetadata;
  metadataLocation: string | undefined;
  version: number;
}

async function createTable(directory: string): Promise<LocalTable> {
  const metadata = newTableMetadata({ location: directory, schema, partitionSpec: daySpec, properties: { [nameMappingProperty]: nameMappingOf(schema) }, tableUuid: randomUUID(), nowMs: Date.now() });
  const table: LocalTable = { directory, store: createFolderObjectStore(), metadata, metadataLocation: undefined, version: 0 };
  await writeMetadata(table, metadata);
  return table;
}

async function writeMetadata(table: LocalTable, metadata: TableMetadata): Promise<void> {
  const location = join(table.directory, "metadata", `${String(table.version).padStart(5, "0")}-${randomUUID()}.metadata.json`);
  await table.store.put(location, Buffer.from(serializeTableMetadata(metadata)), { ifAbsent: true });
  Object.assign(table, { metadata, metadataLocation: location, version: table.version + 1 });
}

/** Writes the rows as one Parquet file per day, as ingest stages them. */
async function stageRows(table: LocalTable, name: string, rows: TableRow[]): Promise<AppendedDataFile[]> {
  const byDay = new Map<number, TableRow[]>();
  for (const row of rows) {
    const day = applyTimeTransform("day", row.timestamp ?? 0n);
    byDay.set(day, [...(byDay.get(day) ?? []), row]);
  }
  const files: AppendedDataFile[] = [];
  for (const [day, dayRows] of byDay) {
    const partitionValues = { timestamp_day: day };
    const content = writeDataFile(schema, dayRows);
    const location = join(table.directory, "data", partitionPath(daySpec, partitionValues), `${name}-${day}.parquet`);
    await table.store.put(location, content.bytes);
    files.push({ location, fileSizeBytes: content.bytes.length, recordCount: content.recordCount, partitionSpecId: 0, partitionValues, metrics: content.metrics });
  }
  return files;
}

async function produce(table: LocalTable, dataFiles: AppendedDataFile[], snapshotId: bigint, extra: { threshold?: number; reuse?: FastAppend } = {}): Promise<FastAppend> {
  return produceFastAppend(table.metadata, {
    dataFiles,
    snapshotId,
    summaryProperties: { "kafka-iceberg-export.commit-id": `commit-${snapshotId}` },
    objectStore: table.store,
    manifestLocation: (name) => join(table.directory, "metadata", name),
    manifestListLocation: (name) => join(table.directory, "metadata", name),
    nowMs: Date.now(),
    reusedManifests: extra.reuse?.newManifests,
    manifestMergeThreshold: extra.threshold,
  });
}

async function commit(table: LocalTable, append: FastAppend): Promise<void> {
  await writeMetadata(table, applyTableUpdates(table.metadata, append.updates, append.requirements, { nowMs: Date.now(), metadataLocationOfBase: table.metadataLocation }));
}

async function appendRows(table: LocalTable, name: string, rows: TableRow[], threshold?: number): Promise<bigint> {
  const snapshotId = newSnapshotId();
  await commit(table, await produce(table, await stageRows(table, name, rows), snapshotId, { threshold }));
  return snapshotId;
}

function orderIds(rows: Record<string, unknown>[]): number[] {
  return rows.map((row) => Number((row["val"] as { order_id: unknown }).order_id)).sort((left, right) => left - right);
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => from + index);
}

describe("fast appends to a local table, read back by pyiceberg", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "fast-append-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("shows every row, the snapshot chain with its sequence numbers and summaries, and the partitions", async () => {
    const table = await createTable(join(root, "orders"));
    const ids = [
      await appendRows(table, "batch-1", [orderRow(1, "2026-11-23T10:00:00Z"), orderRow(2, "2026-11-24T09:30:00Z"), orderRow(3, "2026-11-24T23:59:59Z")]),
      await appendRows(table, "batch-2", [orderRow(4, "2026-11-24T12:00:00Z")]),
      await appendRows(table, "batch-3", [orderRow(5, "2026-11-25T00:00:00Z"), orderRow(6, "2026-11-25T01:00:00Z")]),
    ];

    const readout = await readIcebergTable({ catalog: "metadata-file", metadataLocation: table.metadataLocation ?? "" });
    expect(readout["format-version"]).toBe(2);
    expect(readout.properties[nameMappingProperty]).toBe(nameMappingOf(schema));
    expect(readout["partition-spec"]).toEqual([{ "source-id": 4, "field-id": 1000, name: "timestamp_day", transform: "day" }]);
    expect(String(readout["current-snapshot-id"])).toBe(String(ids[2]));
    expect(readout.snapshots.map((snapshot) => [String(snapshot["snapshot-id"]), String(snapshot["parent-snapshot-id"]), snapshot["sequence-number"]])).toEqual([
      [String(ids[0]), "null", 1],
      [String(ids[1]), String(ids[0]), 2],
      [String(ids[2]), String(ids[1]), 3],
    ]);
    expect(readout.snapshots.map((snapshot) => [snapshot.summary["added-records"], snapshot.summary["total-records"], snapshot.summary["total-data-files"], snapshot.summary["changed-partition-count"]])).toEqual([
      ["3", "3", "2", "2"],
      ["1", "4", "3", "1"],
      ["2", "6", "4", "1"],
    ]);
    expect(readout.snapshots[2]?.summary).toMatchObject({ operation: "append", "kafka-iceberg-export.commit-id": `commit-${ids[2]}` });

    const dayOf = (iso: string): number => Date.parse(iso) / 86_400_000;
    expect(readout["data-files"].map((file) => [file.path.replace(/^.*\//, ""), file["record-count"], file.partition]).sort()).toEqual(
      [
        [`batch-1-${dayOf("2026-11-23")}.parquet`, 1, [dayOf("2026-11-23")]],
        [`batch-1-${dayOf("2026-11-24")}.parquet`, 2, [dayOf("2026-11-24")]],
        [`batch-2-${dayOf("2026-11-24")}.parquet`, 1, [dayOf("2026-11-24")]],
        [`batch-3-${dayOf("2026-11-25")}.parquet`, 2, [dayOf("2026-11-25")]],
      ].sort(),
    );

    expect(orderIds(readout.rows)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readout.rows.find((row) => (row["val"] as { order_id: number }).order_id === 2)).toEqual({
      key: { __raw__: Buffer.from([2, 7]).toString("base64") },
      val: { order_id: 2, amount: 0.5, note: "order-2" },
      headers: [{ key: "source", value: Buffer.from([1, 2]).toString("base64") }],
      timestamp: "2026-11-24T09:30:00.000000+00:00",
    });

    const { manifests } = await readManifestsWithPyiceberg(table.metadataLocation ?? "");
    expect(manifests.map((manifest) => [manifest["sequence-number"], manifest["added-files-count"], manifest.entries.map((entry) => [entry.status, entry["sequence-number"], entry["file-sequence-number"]])])).toEqual([
      [3, 1, [["ADDED", 3, 3]]],
      [2, 1, [["ADDED", 2, 2]]],
      [1, 2, [["ADDED", 1, 1], ["ADDED", 1, 1]]],
    ]);
  });

  it("merges manifests past the threshold: the manifest list stays short, sequence numbers stay, every row stays", async () => {
    const table = await createTable(join(root, "merged"));
    const threshold = 3;
    for (let index = 1; index <= 8; index++) {
      await appendRows(table, `batch-${index}`, [orderRow(index * 10, "2026-11-24T10:00:00Z"), orderRow(index * 10 + 1, "2026-11-24T11:00:00Z")], threshold);
      const { manifests } = await readManifestsWithPyiceberg(table.metadataLocation ?? "");
      expect(manifests.length).toBeLessThanOrEqual(threshold);
    }
    const { manifests } = await readManifestsWithPyiceberg(table.metadataLocation ?? "");
    const entries = manifests.flatMap((manifest) => manifest.entries);
    expect(entries.map((entry) => [entry["file-path"].replace(/^.*\/(batch-\d+)-.*$/, "$1"), entry["sequence-number"], entry["file-sequence-number"]]).sort()).toEqual(
      range(1, 8).map((index) => [`batch-${index}`, index, index]).sort(),
    );
    expect(entries.some((entry) => entry.status === "EXISTING")).toBe(true);

    const readout = await readIcebergTable({ catalog: "metadata-file", metadataLocation: table.metadataLocation ?? "" });
    expect(orderIds(readout.rows)).toEqual(range(1, 8).flatMap((index) => [index * 10, index * 10 + 1]));
    expect(readout.snapshots.at(-1)?.summary["total-records"]).toBe("16");
  });

  it("retries an append on a newer base with the manifest of its first attempt", async () => {
    const table = await createTable(join(root, "retried"));
    await appendRows(table, "first", [orderRow(1, "2026-11-24T10:00:00Z")]);
    const mine = await stageRows(table, "mine", [orderRow(2, "2026-11-24T11:00:00Z")]);
    const snapshotId = newSnapshotId();
    const attempt = await produce(table, mine, snapshotId);
    await appendRows(table, "theirs", [orderRow(3, "2026-11-24T12:00:00Z")]);
    expect(() => applyTableUpdates(table.metadata, attempt.updates, attempt.requirements, { nowMs: Date.now(), metadataLocationOfBase: table.metadataLocation })).toThrow(/assert-ref-snapshot-id/);

    await commit(table, await produce(table, mine, snapshotId, { reuse: attempt }));
    const { manifests } = await readManifestsWithPyiceberg(table.metadataLocation ?? "");
    const reused = manifests.find((manifest) => manifest.path === attempt.newManifests[0]?.manifestPath);
    expect(reused).toMatchObject({ "sequence-number": 3, "added-snapshot-id": expect.anything() as unknown });
    expect(reused?.entries.map((entry) => [entry["sequence-number"], String(entry["snapshot-id"])])).toEqual([[3, String(snapshotId)]]);
    expect(orderIds((await readIcebergTable({ catalog: "metadata-file", metadataLocation: table.metadataLocation ?? "" })).rows)).toEqual([1, 2, 3]);
  });
});
