// What a table's metadata names against what is on storage, for tests that end with "no
// unreferenced file" or "no file referenced but missing". Read through our own manifest
// readers: the files they list are checked against the storage listing and against
// pyiceberg's and Iceberg-Java's reads of the same table.
import type { TableIdentifier } from "../../../lib/catalog/table-identifier.js";
import { readManifest } from "../../../lib/iceberg/manifest-file.js";
import { readManifestList } from "../../../lib/iceberg/manifest-list.js";
import type { CommitHarness } from "../commit/commit-harness.js";

export function tableIdentifierOf(harness: CommitHarness): TableIdentifier {
  return { namespace: harness.glueTable.database, name: harness.glueTable.table };
}

/**
 * What the table needs: the current metadata file and those its metadata log lists, every
 * snapshot's manifest list, its manifests and the data files live in them (not those only a
 * DELETED entry names: expiry deletes a file once no kept snapshot reads it), and the staged files.
 */
export async function referencedFiles(harness: CommitHarness): Promise<Set<string>> {
  const { catalog, objectStore, stateStore } = harness.commitContext();
  const loaded = await catalog.loadTable(tableIdentifierOf(harness));
  if (loaded === undefined) throw new Error(`${harness.table} is not in the catalog`);
  const referenced = new Set<string>([loaded.metadataLocation, ...loaded.metadata["metadata-log"].map((entry) => entry["metadata-file"])]);
  for (const file of await stateStore.stagedFiles(harness.table)) referenced.add(file.location);
  const manifests = new Set<string>();
  for (const snapshot of loaded.metadata.snapshots) {
    referenced.add(snapshot["manifest-list"]);
    for (const manifest of await readManifestList(await objectStore.get(snapshot["manifest-list"]))) manifests.add(manifest.manifestPath);
  }
  for (const manifest of manifests) {
    referenced.add(manifest);
    for (const entry of (await readManifest(await objectStore.get(manifest))).entries) if (entry.status !== "deleted") referenced.add(entry.dataFile.filePath);
  }
  return referenced;
}

/**
 * Every object under the table location the table does not need: what expiry made
 * unreachable must have been deleted by it, or by the orphan scan after a crash.
 */
export async function unreferencedFiles(harness: CommitHarness): Promise<string[]> {
  const referenced = await referencedFiles(harness);
  const listed = await harness.commitContext().objectStore.list(`${harness.tableLocation}/`);
  // The local catalog's pointer to the current metadata file is the catalog's, not the table's.
  return listed.filter((location) => !referenced.has(location) && !location.endsWith("/metadata/version-hint.text"));
}

/** What the table needs that is not on storage (a manifest list or manifest missing fails `referencedFiles` itself). */
export async function missingFiles(harness: CommitHarness): Promise<string[]> {
  const listed = new Set(await harness.commitContext().objectStore.list(`${harness.tableLocation}/`));
  const staged = new Set((await harness.commitContext().stateStore.stagedFiles(harness.table)).map((file) => file.location));
  return [...(await referencedFiles(harness))].filter((location) => !listed.has(location) && !staged.has(location));
}
