// Where a table's current metadata file is registered: Glue in AWS, a local file catalog on
// the embedded default, or an Iceberg REST catalog. A commit is updates plus requirements
// (the REST protocol's, lib/iceberg/table-updates.ts) on the version the commit was built on,
// and lands as a compare-and-swap of that pointer (SPEC.md §2 step 3). Glue and the local
// catalog apply the updates themselves (applyTableUpdates) and write the new metadata file
// first, create-only, then move the pointer iff the table is still at the base; in the local
// catalog the create-only write of the next numbered file is itself the swap. A REST catalog
// is sent the updates and requirements, and writes the metadata file itself.
import type { TableMetadata } from "../iceberg/table-metadata.js";
import type { TableRequirement, TableUpdate } from "../iceberg/table-updates.js";
import type { TableIdentifier } from "./table-identifier.js";

export type { TableIdentifier };

export interface LoadedTable {
  identifier: TableIdentifier;
  metadataLocation: string;
  metadata: TableMetadata;
  /** The catalog's optimistic-concurrency token (Glue's VersionId; the local catalog's N of v<N>; a REST catalog's metadata location). */
  version: string;
}

export interface TableCommit {
  updates: readonly TableUpdate[];
  requirements: readonly TableRequirement[];
  /** The committer's clock: a catalog that writes the metadata itself (Glue, local) dates it so. */
  nowMs: number;
}

export interface Catalog {
  /** undefined when the catalog has no table under this identifier. */
  loadTable(identifier: TableIdentifier): Promise<LoadedTable | undefined>;
  /**
   * Writes the first metadata file and registers the table, creating the namespace if
   * missing. File names are the catalog's: `00000-<uuid>.metadata.json` numbered up from 0
   * in Glue, as Iceberg-Java and pyiceberg name them; `v1.metadata.json` numbered up from 1
   * in the local file catalog, as Hadoop-catalog readers expect; the server's in a REST
   * catalog, which may also choose the table's location (S3 Tables does): the answer's
   * metadata is the truth. A table that already exists is an ExportError TABLE_EXISTS, so
   * that the caller can load it instead.
   */
  createTable(identifier: TableIdentifier, metadata: TableMetadata): Promise<LoadedTable>;
  /**
   * Applies the commit to `base` iff the table is still at `base` and meets the requirements,
   * writing the next metadata file (create-only; its number one above the base's; the base's
   * file appended to `metadata-log`) and deleting the metadata files the log then drops, as
   * the table's properties ask. A stale base or an unmet requirement is a CommitConflictError
   * (reload and re-apply). A failure after which the commit may have been applied is a
   * CommitStateUnknownError: reload and check whether it landed before anything else.
   */
  commitTable(base: LoadedTable, commit: TableCommit): Promise<LoadedTable>;
}
