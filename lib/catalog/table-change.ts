// A change to a table's metadata that is not an append (an expiry, a property), committed the
// one way every commit is: updates plus requirements applied to the base just loaded by the
// one pure function, and on a conflict planned again on the refreshed base. A lost answer is
// resolved by asking whether the attempted metadata file landed.
import { CommitConflictError, ExportError } from "../core/errors.js";
import { applyTableUpdates, type TableRequirement, type TableUpdate } from "../iceberg/table-updates.js";
import type { Catalog, LoadedTable, TableIdentifier } from "./catalog.js";
import type { Logger } from "../core/logger.js";
import type { ObjectStore } from "../storage/object-store.js";
import { CommitStateUnknownError, checkCommitLanded } from "./commit-outcome.js";
import { deleteMetadataFilesDroppedBy } from "./metadata-log.js";

export interface TableChange<T> {
  updates: TableUpdate[];
  requirements: TableRequirement[];
  /** What the caller needs of the plan that landed. */
  plan: T;
}

export interface TableChangeOptions {
  catalog: Catalog;
  objectStore: ObjectStore;
  logger: Logger;
  now: () => number;
  maxAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
  onConflict?: (attempt: number) => void;
}

export interface LandedChange<T> {
  plan: T;
  /** The table the landed change was planned on. */
  base: LoadedTable;
}

const defaultMaxAttempts = 10;

/**
 * undefined when `planChange` finds nothing to do on the current table. `planChange` may read
 * the base's files (a rewrite validates its inputs against the base it commits to).
 */
export async function commitTableChange<T>(identifier: TableIdentifier, planChange: (base: LoadedTable, nowMs: number) => TableChange<T> | undefined | Promise<TableChange<T> | undefined>, options: TableChangeOptions): Promise<LandedChange<T> | undefined> {
  const { catalog } = options;
  const maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
  for (let attempt = 1; ; attempt++) {
    const base = await catalog.loadTable(identifier);
    if (base === undefined) throw new ExportError("NOT_FOUND", `${identifier.namespace}.${identifier.name}: no such table in the catalog`);
    const nowMs = options.now();
    const change = await planChange(base, nowMs);
    if (change === undefined) return undefined;
    const metadata = applyTableUpdates(base.metadata, change.updates, change.requirements, { nowMs, metadataLocationOfBase: base.metadataLocation });
    try {
      const committed = await catalog.commitTable(base, metadata);
      await deleteMetadataFilesDroppedBy(base, committed, options);
      return { plan: change.plan, base };
    } catch (error) {
      if (!(error instanceof CommitConflictError || error instanceof CommitStateUnknownError) || attempt >= maxAttempts) throw error;
      if (error instanceof CommitStateUnknownError && checkCommitLanded(await catalog.loadTable(identifier), error.attemptedMetadataLocation)) return { plan: change.plan, base };
      options.onConflict?.(attempt);
      await options.backoff?.(attempt);
    }
  }
}
