// What a table holds, as an operator wants to see it after an export: its snapshots, the
// row count, and the first rows of its data, read through its own metadata (manifest list →
// manifests → data files), the way any Iceberg reader finds them.
import type { LoadedTable } from "../catalog/catalog.js";
import { readDataFileRows } from "../commit/data-file-reader.js";
import { ExportError } from "../core/errors.js";
import type { TableMetadata } from "../iceberg/table-metadata.js";
import { readManifest } from "../iceberg/manifest-file.js";
import { readManifestList } from "../iceberg/manifest-list.js";
import type { IcebergSchema } from "../iceberg/types.js";
import type { TableRow } from "../schema/table-row.js";
import type { ObjectStore } from "../storage/object-store.js";

export interface SnapshotPreview {
  snapshotId: bigint;
  committedAt: string;
  addedRecords: number;
  totalRecords: number;
  addedDataFiles: number;
}

export interface TablePreview {
  metadataLocation: string;
  location: string;
  snapshots: SnapshotPreview[];
  totalRecords: number;
  dataFiles: string[];
  /** The current schema: how to read the rows' values (which bigints are timestamps, which bytes are binary). */
  schema: IcebergSchema;
  rows: TableRow[];
}

export async function previewTable(table: LoadedTable, objectStore: ObjectStore, options: { rows?: number } = {}): Promise<TablePreview> {
  const { metadata } = table;
  const wanted = options.rows ?? 5;
  const dataFiles = await currentDataFiles(metadata, objectStore);
  const rows: TableRow[] = [];
  const schema = currentSchema(metadata);
  for (const file of dataFiles) {
    if (rows.length >= wanted) break;
    rows.push(...readDataFileRows(schema, await objectStore.get(file)).slice(0, wanted - rows.length));
  }
  const snapshots = metadata.snapshots.map((snapshot) => ({
    snapshotId: snapshot["snapshot-id"],
    committedAt: new Date(snapshot["timestamp-ms"]).toISOString(),
    addedRecords: Number(snapshot.summary["added-records"] ?? 0),
    totalRecords: Number(snapshot.summary["total-records"] ?? 0),
    addedDataFiles: Number(snapshot.summary["added-data-files"] ?? 0),
  }));
  const current = snapshots.find((snapshot) => snapshot.snapshotId === metadata["current-snapshot-id"]);
  return { metadataLocation: table.metadataLocation, location: metadata.location, snapshots, totalRecords: current?.totalRecords ?? 0, dataFiles, schema, rows };
}

async function currentDataFiles(metadata: TableMetadata, objectStore: ObjectStore): Promise<string[]> {
  const current = metadata.snapshots.find((snapshot) => snapshot["snapshot-id"] === metadata["current-snapshot-id"]);
  if (current === undefined) return [];
  const manifests = await readManifestList(await objectStore.get(current["manifest-list"]), current["manifest-list"]);
  const files: string[] = [];
  for (const manifest of manifests) {
    const contents = await readManifest(await objectStore.get(manifest.manifestPath), manifest.manifestPath);
    for (const entry of contents.entries) if (entry.status !== "deleted") files.push(entry.dataFile.filePath);
  }
  return files.sort();
}

function currentSchema(metadata: TableMetadata): IcebergSchema {
  const schema = metadata.schemas.find((candidate) => candidate["schema-id"] === metadata["current-schema-id"]);
  if (schema === undefined) throw new ExportError("INTERNAL", `table metadata has no schema ${metadata["current-schema-id"]}`);
  return schema;
}
