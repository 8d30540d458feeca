// Every change to a table's metadata is committed the one way: updates plus requirements
// planned on the base just loaded and handed to the catalog, which applies them (Glue, local:
// applyTableUpdates) or has its server apply them (REST); on a conflict the change is planned
// again on the refreshed base. A lost answer is resolved by reloading and asking whether the
// commit landed (commit-outcome.ts), or, for a plan that itself leaves out what the table
// already holds (an append deduplicated by the committed offsets), by planning again.
import { CommitConflictError, ExportError } from "../core/errors.js";
import type { TableRequirement, TableUpdate } from "../iceberg/table-updates.js";
import type { Catalog, LoadedTable, TableIdentifier } from "./catalog.js";
import type { Logger } from "../core/logger.js";
import { CommitStateUnknownError, commitLanded } from "./commit-outcome.js";

export interface TableChange<T> {
  updates: TableUpdate[];
  requirements: TableRequirement[];
  /** What the caller needs of the plan that landed. */
  plan: T;
}

export interface TableChangeOptions {
  catalog: Catalog;
  logger: Logger;
  now: () => number;
  maxAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
  /** Before each new attempt after a failed one. */
  onConflict?: (attempt: number, error: CommitConflictError | CommitStateUnknownError) => void;
  /** The table as the caller just loaded it, planned on first instead of loading it again. */
  base?: LoadedTable;
  /**
   * After a lost answer, plan again on the reloaded table instead of asking whether the
   * commit landed: for plans that leave out what the table already holds.
   */
  replanOnUnknownOutcome?: boolean;
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
  let known = options.base;
  for (let attempt = 1; ; attempt++) {
    const base = known ?? (await loadExisting(catalog, identifier));
    known = undefined;
    const nowMs = options.now();
    const change = await planChange(base, nowMs);
    if (change === undefined) return undefined;
    try {
      await catalog.commitTable(base, { updates: change.updates, requirements: change.requirements, nowMs });
      return { plan: change.plan, base };
    } catch (error) {
      if (!(error instanceof CommitConflictError || error instanceof CommitStateUnknownError) || attempt >= maxAttempts) throw error;
      if (error instanceof CommitStateUnknownError) {
        known = await loadExisting(catalog, identifier);
        const landed = options.replanOnUnknownOutcome === true ? undefined : commitLanded(known, error, change);
        options.logger.warn("commit outcome unknown; reloaded the table", { table: describe(identifier), landed: landed ?? "unknown", error: error.message });
        if (landed === true) return { plan: change.plan, base };
      }
      options.onConflict?.(attempt, error);
      await options.backoff?.(attempt);
    }
  }
}

async function loadExisting(catalog: Catalog, identifier: TableIdentifier): Promise<LoadedTable> {
  const loaded = await catalog.loadTable(identifier);
  if (loaded === undefined) throw new ExportError("NOT_FOUND", `${describe(identifier)}: no such table in the catalog`);
  return loaded;
}

function describe(identifier: TableIdentifier): string {
  return `${identifier.namespace}.${identifier.name}`;
}
