// Where a table's current metadata file is registered: Glue in AWS, a local file catalog on
// the embedded default. A commit is a compare-and-swap of that pointer (SPEC.md §2 step 3):
// the new metadata file is written first, create-only, then the pointer moves iff the table
// is still at the version the commit was built on. In the local catalog the create-only
// write of the next numbered file is itself the swap.
import type { TableMetadata } from "../iceberg/table-metadata.js";
import type { TableIdentifier } from "./table-identifier.js";

export type { TableIdentifier };

export interface LoadedTable {
  identifier: TableIdentifier;
  metadataLocation: string;
  metadata: TableMetadata;
  /** The catalog's optimistic-concurrency token (Glue's VersionId; the local catalog's N of v<N>). */
  version: string;
}

export interface Catalog {
  /** undefined when the catalog has no table under this identifier. */
  loadTable(identifier: TableIdentifier): Promise<LoadedTable | undefined>;
  /**
   * Writes the first metadata file and registers the table, creating the namespace if
   * missing. File names are the catalog's: `00000-<uuid>.metadata.json` numbered up from 0
   * in Glue, as Iceberg-Java and pyiceberg name them; `v1.metadata.json` numbered up from 1
   * in the local file catalog, as Hadoop-catalog readers expect. A table that already
   * exists is an ExportError TABLE_EXISTS, so that the caller can load it instead.
   */
  createTable(identifier: TableIdentifier, metadata: TableMetadata): Promise<LoadedTable>;
  /**
   * Writes the next metadata file (create-only; its number one above the base's; the base's
   * file appended to `metadata-log` unless already there) and swaps the pointer iff the table
   * is still at `base`. A stale base is a CommitConflictError (reload and re-apply). A failure
   * after the swap may have been applied is a CommitStateUnknownError: reload and ask
   * checkCommitLanded before doing anything else.
   */
  commitTable(base: LoadedTable, metadata: TableMetadata): Promise<LoadedTable>;
}
