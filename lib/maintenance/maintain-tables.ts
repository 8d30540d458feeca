// One maintenance pass over the exported tables (SPEC.md §8): each part can be switched off
// for catalogs that maintain tables themselves (S3 Tables, Glue's optimizers). A failing
// table does not keep the others from being maintained; the pass reports it.
import type { Catalog } from "../catalog/catalog.js";
import type { Logger } from "../core/logger.js";
import type { StateStore } from "../state/state-store.js";
import type { TableIdentifier } from "../catalog/table-identifier.js";
import type { ObjectStore } from "../storage/object-store.js";
import { ExportError } from "../core/errors.js";
import { compactTable, type CompactionOutcome, type CompactionSettings } from "./compact-table.js";
import { expireSnapshots, type ExpiryOutcome } from "./expire-snapshots.js";
import { removeOrphanFiles, type OrphanCleanupOutcome } from "./remove-orphan-files.js";
import type { ExpirySettings } from "../iceberg/table-properties.js";
import { deadLetterTableCommitted, deadLetterTableIdentifier } from "../dead-letters/dead-letter-table.js";

export interface MaintenanceParts {
  expireSnapshots: boolean;
  /** Off when absent. */
  compact?: boolean;
  removeOrphans: boolean;
}

export interface MaintenanceContext {
  stateStore: StateStore;
  catalog: Catalog;
  objectStore: ObjectStore;
  logger: Logger;
  now: () => number;
  parts: MaintenanceParts;
  /** Where a table sets no `history.expire.*` property. */
  expiryDefaults?: ExpirySettings;
  /** Required when `parts.compact` is on. */
  compaction?: CompactionSettings;
  /** Files younger than this are never orphans. */
  orphanMinAgeMs: number;
  /** The DEAD_LETTERS setting: the dead-letter tables of topics that do not choose are maintained too. */
  deadLettersByDefault?: boolean;
}

export interface TableMaintenanceOutcome {
  table: string;
  compaction?: CompactionOutcome;
  expiry?: ExpiryOutcome;
  orphans?: OrphanCleanupOutcome;
}

export interface MaintenancePassOutcome {
  tables: TableMaintenanceOutcome[];
  failures: { table: string; error: unknown }[];
}

/** Every table an export writes, or only `only`. */
export async function maintainTables(context: MaintenanceContext, only?: TableIdentifier): Promise<MaintenancePassOutcome> {
  const outcome: MaintenancePassOutcome = { tables: [], failures: [] };
  for (const identifier of only === undefined ? await exportedTables(context) : [only]) {
    const table = `${identifier.namespace}.${identifier.name}`;
    try {
      outcome.tables.push(await maintainTable(identifier, table, context));
    } catch (error) {
      context.logger.error("maintenance failed; the next pass retries it", { table, error });
      outcome.failures.push({ table, error });
    }
  }
  return outcome;
}

// Compaction, then expiry: the expiry keeps the snapshots from before a rewrite as long as the
// table's retention says, and deletes the replaced files once none reaches them. Expiry before
// the orphan scan: the files it makes unreachable are deleted by it at once, and the scan then
// sees only what no one will delete otherwise.
async function maintainTable(identifier: TableIdentifier, table: string, context: MaintenanceContext): Promise<TableMaintenanceOutcome> {
  const outcome: TableMaintenanceOutcome = { table };
  const { catalog, objectStore, logger, now } = context;
  const stagedLocations = async (): Promise<Set<string>> => new Set((await context.stateStore.stagedFiles(table)).map((file) => file.location));
  if (context.parts.compact === true) {
    if (context.compaction === undefined) throw new ExportError("INTERNAL", "compaction is switched on without its settings");
    outcome.compaction = await compactTable(identifier, { catalog, objectStore, logger, now, settings: context.compaction });
  }
  if (context.parts.expireSnapshots) {
    outcome.expiry = await expireSnapshots(identifier, {
      catalog,
      objectStore,
      logger,
      now,
      protectedLocations: await stagedLocations(),
      ...(context.expiryDefaults === undefined ? {} : { defaults: context.expiryDefaults }),
    });
  }
  if (context.parts.removeOrphans) {
    outcome.orphans = await removeOrphanFiles(identifier, { catalog, objectStore, logger, now, olderThanMs: context.orphanMinAgeMs, stagedLocations: await stagedLocations() });
  }
  return outcome;
}

// A topic's dead-letter table (lib/dead-letters/) is maintained like its table once it exists:
// it is committed to in every round that has dead letters.
async function exportedTables(context: Pick<MaintenanceContext, "stateStore" | "catalog" | "deadLettersByDefault">): Promise<TableIdentifier[]> {
  const tables = new Map<string, TableIdentifier>();
  for (const topicExport of await context.stateStore.topicExports()) {
    const { table } = topicExport;
    tables.set(`${table.namespace}.${table.name}`, table);
    if (!deadLetterTableCommitted(topicExport, context.deadLettersByDefault ?? false)) continue;
    const deadLetters = deadLetterTableIdentifier(table);
    if ((await context.catalog.loadTable(deadLetters)) !== undefined) tables.set(`${deadLetters.namespace}.${deadLetters.name}`, deadLetters);
  }
  return [...tables.values()];
}
