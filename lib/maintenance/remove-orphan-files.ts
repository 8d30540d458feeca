// Orphan cleanup of one table (SPEC.md §8): lists the table location, collects every location
// the table's metadata reaches (all snapshots, not only the retained ones of an expiry: a
// snapshot is what a reader may still open) plus the staged files, and deletes what is left
// once it is older than the safety age. The listing comes first and the references second,
// so a file committed between the two is seen as referenced.
import type { Catalog, TableIdentifier } from "../catalog/catalog.js";
import { ExportError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { readManifest } from "../iceberg/manifest-file.js";
import { readManifestList } from "../iceberg/manifest-list.js";
import type { TableMetadata } from "../iceberg/table-metadata.js";
import type { ObjectStore, StoredObject } from "../storage/object-store.js";
import { planOrphanFiles } from "./orphan-files-plan.js";

export interface RemoveOrphanFilesOptions {
  catalog: Catalog;
  objectStore: ObjectStore;
  logger: Logger;
  now: () => number;
  /** Files younger than this are never removed. */
  olderThanMs: number;
  /** Locations a staged entry names. */
  stagedLocations: ReadonlySet<string>;
}

export interface OrphanCleanupOutcome {
  table: string;
  removed: StoredObject[];
  bytesRemoved: number;
}

export async function removeOrphanFiles(identifier: TableIdentifier, options: RemoveOrphanFilesOptions): Promise<OrphanCleanupOutcome> {
  const table = `${identifier.namespace}.${identifier.name}`;
  const first = await options.catalog.loadTable(identifier);
  if (first === undefined) throw new ExportError("NOT_FOUND", `${table}: no such table in the catalog`);
  const objects = await options.objectStore.listObjects(`${first.metadata.location.replace(/\/+$/, "")}/`);
  // Reloaded after the listing: whatever was committed while listing is referenced now.
  const loaded = (await options.catalog.loadTable(identifier)) ?? first;
  const referenced = await referencedLocations(loaded.metadata, options.objectStore);
  referenced.add(loaded.metadataLocation);
  for (const location of options.stagedLocations) referenced.add(location);
  const removed = planOrphanFiles({ objects, referenced, olderThanMs: options.now() - options.olderThanMs });
  for (const object of removed) await options.objectStore.delete(object.location);
  if (removed.length > 0) options.logger.info("orphan files removed", { table, files: removed.length });
  return { table, removed, bytesRemoved: removed.reduce((sum, object) => sum + object.sizeBytes, 0) };
}

/** Every file the metadata reaches: logged metadata files, manifest lists, manifests, live data and delete files. */
async function referencedLocations(metadata: TableMetadata, objectStore: ObjectStore): Promise<Set<string>> {
  const referenced = new Set<string>(metadata["metadata-log"].map((entry) => entry["metadata-file"]));
  const manifests = new Set<string>();
  for (const snapshot of metadata.snapshots) {
    referenced.add(snapshot["manifest-list"]);
    for (const manifest of await readManifestList(await objectStore.get(snapshot["manifest-list"]), snapshot["manifest-list"])) manifests.add(manifest.manifestPath);
  }
  for (const manifest of manifests) {
    referenced.add(manifest);
    // Live entries only, as Iceberg-Java's orphan removal reads them: a snapshot before the one
    // that removed a file holds it live in its own manifests while it is kept; once it is
    // expired no one reads the file, and a DELETED entry alone must not keep it forever (an
    // expiry that crashed between its commit and its deletions leaves exactly such files).
    for (const entry of (await readManifest(await objectStore.get(manifest), manifest)).entries) if (entry.status !== "deleted") referenced.add(entry.dataFile.filePath);
  }
  for (const key of ["statistics", "partition-statistics"]) {
    const files = metadata[key];
    if (Array.isArray(files)) for (const file of files as { "statistics-path"?: string }[]) if (typeof file["statistics-path"] === "string") referenced.add(file["statistics-path"]);
  }
  return referenced;
}
