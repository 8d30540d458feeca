// Snapshot expiry of one table (SPEC.md §8), executed: the plan is committed as updates plus
// requirements through the catalog — replanned on a refreshed base when someone committed
// meanwhile — and only once that commit is durable are the files it made unreachable
// deleted. A crash in between leaves unreferenced files, which the orphan scan removes; it
// never leaves a table that points at a deleted file.
import type { Catalog, LoadedTable, TableIdentifier } from "../catalog/catalog.js";
import { commitTableChange, type LandedChange } from "../catalog/table-change.js";
import { committedOffsetsOf, committedOffsetsProperty, committedOffsetsPropertyUpdate, formatCommittedOffsets } from "../commit/committed-offsets.js";
import type { Logger } from "../core/logger.js";
import { readManifest } from "../iceberg/manifest-file.js";
import { readManifestList } from "../iceberg/manifest-list.js";
import type { TableUpdate } from "../iceberg/table-updates.js";
import type { ObjectStore } from "../storage/object-store.js";
import { planExpiredFiles, manifestsToDelete, type ExpiredFiles } from "./expired-files-plan.js";
import type { ExpirySettings } from "../iceberg/table-properties.js";
import { planSnapshotExpiry, type SnapshotExpiryPlan } from "./snapshot-expiry-plan.js";

export interface ExpireSnapshotsOptions {
  catalog: Catalog;
  objectStore: ObjectStore;
  logger: Logger;
  now: () => number;
  /** Where the table sets no `history.expire.*` property. */
  defaults?: ExpirySettings;
  /** Locations a staged entry names: never deleted, whatever the manifests say. */
  protectedLocations?: ReadonlySet<string>;
  maxAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
}

export interface ExpiryOutcome {
  table: string;
  snapshotsExpired: number;
  refsRemoved: number;
  deleted: ExpiredFiles;
  bytesDeleted: number;
}

export async function expireSnapshots(identifier: TableIdentifier, options: ExpireSnapshotsOptions): Promise<ExpiryOutcome> {
  const table = `${identifier.namespace}.${identifier.name}`;
  const outcome: ExpiryOutcome = { table, snapshotsExpired: 0, refsRemoved: 0, deleted: { manifestLists: [], manifests: [], dataFiles: [] }, bytesDeleted: 0 };
  const landed = await commitExpiry(identifier, table, options);
  if (landed === undefined) return outcome;
  const { plan, base } = landed;
  const { deleted, sizes } = await expiredFilesOf(plan, base, options);
  let bytesDeleted = 0;
  for (const location of [...deleted.dataFiles, ...deleted.manifests, ...deleted.manifestLists]) {
    await options.objectStore.delete(location);
    bytesDeleted += sizes.get(location) ?? 0;
  }
  options.logger.info("snapshots expired", { table, snapshots: plan.expired.length, refs: plan.removedRefs.length, dataFiles: deleted.dataFiles.length, manifests: deleted.manifests.length });
  return { ...outcome, snapshotsExpired: plan.expired.length, refsRemoved: plan.removedRefs.length, deleted, bytesDeleted };
}

async function commitExpiry(identifier: TableIdentifier, table: string, options: ExpireSnapshotsOptions): Promise<LandedChange<SnapshotExpiryPlan> | undefined> {
  return commitTableChange(
    identifier,
    (base, nowMs) => {
      const plan = planSnapshotExpiry(base.metadata, { nowMs, ...(options.defaults === undefined ? {} : { defaults: options.defaults }) });
      return plan.updates.length === 0 ? undefined : { updates: [...plan.updates, ...offsetsCarried(base)], requirements: plan.requirements, plan };
    },
    {
      catalog: options.catalog,
      logger: options.logger,
      now: options.now,
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      onConflict: (attempt) => options.logger.info("table moved during snapshot expiry; planning again", { table, attempt }),
    },
  );
}

/**
 * The committed offsets exactly-once relies on, moved into the table property before the
 * snapshots that carry them in their summaries can go (tables written before the property).
 */
function offsetsCarried(base: LoadedTable): TableUpdate[] {
  const offsets = committedOffsetsOf(base.metadata);
  if (offsets.size === 0 || base.metadata.properties[committedOffsetsProperty] === formatCommittedOffsets(offsets)) return [];
  return [committedOffsetsPropertyUpdate(offsets)];
}

/** The files to delete, and the sizes the manifests record for them (manifest lists have none). */
async function expiredFilesOf(plan: SnapshotExpiryPlan, base: LoadedTable, options: ExpireSnapshotsOptions): Promise<{ deleted: ExpiredFiles; sizes: Map<string, number> }> {
  const { objectStore } = options;
  const expiredManifestLists = plan.expired.map((snapshot) => snapshot["manifest-list"]);
  const retainedManifestLists = plan.retained.map((snapshot) => snapshot["manifest-list"]);
  const manifestsOf = new Map<string, string[]>();
  const sizes = new Map<string, number>();
  // Snapshots may share a manifest list (a rollback, a cherry-pick); each is read once.
  for (const list of new Set([...expiredManifestLists, ...retainedManifestLists])) {
    const manifests = await readManifestList(await objectStore.get(list), list);
    for (const manifest of manifests) sizes.set(manifest.manifestPath, manifest.manifestLength);
    manifestsOf.set(list, manifests.map((manifest) => manifest.manifestPath));
  }
  const { candidates, retained } = manifestsToDelete({ expiredManifestLists, retainedManifestLists, manifestsOf });
  const liveFilesOf = new Map<string, string[]>();
  // The retained manifests are read only when a deleted manifest may hold a file they keep.
  for (const manifest of candidates.length === 0 ? [] : [...candidates, ...retained]) {
    const contents = await readManifest(await objectStore.get(manifest), manifest);
    const live = contents.entries.filter((entry) => entry.status !== "deleted");
    for (const entry of live) sizes.set(entry.dataFile.filePath, entry.dataFile.fileSizeInBytes);
    liveFilesOf.set(manifest, live.map((entry) => entry.dataFile.filePath));
  }
  const protectedLocations = new Set([...(options.protectedLocations ?? []), base.metadataLocation]);
  return { deleted: planExpiredFiles({ expiredManifestLists, retainedManifestLists, manifestsOf, liveFilesOf, protectedLocations }), sizes };
}
