// The Catalog on the AWS Glue Data Catalog (SPEC.md §2 step 3, §4). A commit relies on Glue's
// own optimistic concurrency: UpdateTable guarded by the VersionId the base was loaded at,
// with SkipArchive so that Glue's limit on archived table versions is never reached.
import { CreateDatabaseCommand, CreateTableCommand, GetDatabaseCommand, GetTableCommand, UpdateTableCommand, type GlueClient, type Table } from "@aws-sdk/client-glue";
import type { Catalog, LoadedTable, TableCommit, TableIdentifier } from "../../catalog/catalog.js";
import { metadataFileLocation, nextMetadataFileLocation, readMetadataFile, writeMetadataFile } from "../../catalog/metadata-files.js";
import { deleteMetadataFilesDroppedBy } from "../../catalog/metadata-log.js";
import { CommitConflictError, ExportError } from "../../core/errors.js";
import { silentLogger, type Logger } from "../../core/logger.js";
import type { TableMetadata } from "../../iceberg/table-metadata.js";
import { applyTableUpdates } from "../../iceberg/table-updates.js";
import type { ObjectStore } from "../../storage/object-store.js";
import { awsErrorName, awsFailure } from "./aws-errors.js";
import { updateTableFailure } from "./glue-commit-failure.js";
import { glueTableInput, icebergTableType, metadataLocationParameter, tableTypeParameter } from "./glue-table-input.js";

export interface GlueCatalogOptions {
  client: GlueClient;
  /** Where the metadata files are written and read. */
  objectStore: ObjectStore;
  /** The AWS account whose Data Catalog holds the tables; the caller's own when absent. */
  catalogId?: string;
  /** Told when a metadata file the log dropped could not be deleted. */
  logger?: Logger;
}

/**
 * The version of a table whose create or commit landed but whose new VersionId could not be
 * read back. Glue never uses it, so a commit from such a table conflicts and sends the
 * caller to reload, which is all it needs.
 */
const unknownVersion = "unknown";

interface IcebergPointer {
  metadataLocation: string;
  version: string;
}

export function createGlueCatalog(options: GlueCatalogOptions): Catalog {
  const { client, objectStore, catalogId } = options;
  const logger = options.logger ?? silentLogger;

  async function getGlueTable(identifier: TableIdentifier): Promise<Table | undefined> {
    try {
      const { Table: entry } = await client.send(new GetTableCommand({ CatalogId: catalogId, DatabaseName: identifier.namespace, Name: identifier.name }));
      return entry;
    } catch (error) {
      if (awsErrorName(error) === "EntityNotFoundException") return undefined;
      throw awsFailure(`Glue GetTable ${describeTable(identifier)}`, error);
    }
  }

  async function loadTable(identifier: TableIdentifier): Promise<LoadedTable | undefined> {
    const entry = await getGlueTable(identifier);
    if (entry === undefined) return undefined;
    const { metadataLocation, version } = icebergPointer(entry, identifier);
    return { identifier, metadataLocation, metadata: await readMetadataFile(objectStore, metadataLocation), version };
  }

  async function ensureDatabase(namespace: string): Promise<void> {
    try {
      await client.send(new GetDatabaseCommand({ CatalogId: catalogId, Name: namespace }));
      return;
    } catch (error) {
      if (awsErrorName(error) !== "EntityNotFoundException") throw awsFailure(`Glue GetDatabase ${namespace}`, error);
    }
    try {
      await client.send(new CreateDatabaseCommand({ CatalogId: catalogId, DatabaseInput: { Name: namespace } }));
    } catch (error) {
      // Another creator won the race; the database is there, which is all that is needed.
      if (awsErrorName(error) !== "AlreadyExistsException") throw awsFailure(`Glue CreateDatabase ${namespace}`, error);
    }
  }

  async function createTable(identifier: TableIdentifier, metadata: TableMetadata): Promise<LoadedTable> {
    await ensureDatabase(identifier.namespace);
    // Checked first so that the usual "already there" writes no metadata file.
    if ((await getGlueTable(identifier)) !== undefined) throw tableExists(identifier);
    const metadataLocation = metadataFileLocation(metadata, { version: 0 });
    await writeMetadataFile(objectStore, metadataLocation, metadata);
    const input = glueTableInput({ name: identifier.name, metadata, metadataLocation });
    try {
      await client.send(new CreateTableCommand({ CatalogId: catalogId, DatabaseName: identifier.namespace, TableInput: input }));
    } catch (error) {
      // Created by someone else since the check; the file just written stays unreferenced.
      if (awsErrorName(error) === "AlreadyExistsException") throw tableExists(identifier, error);
      throw awsFailure(`Glue CreateTable ${describeTable(identifier)}`, error);
    }
    return { identifier, metadataLocation, metadata, version: await versionAt(identifier, metadataLocation) };
  }

  async function commitTable(base: LoadedTable, commit: TableCommit): Promise<LoadedTable> {
    const { identifier } = base;
    const table = describeTable(identifier);
    const next = applyTableUpdates(base.metadata, commit.updates, commit.requirements, { nowMs: commit.nowMs, metadataLocationOfBase: base.metadataLocation });
    // Read again, both to refuse a stale base before writing any file and to carry over what
    // others keep in the entry: UpdateTable replaces all of it.
    const entry = await getGlueTable(identifier);
    if (entry === undefined) throw new ExportError("NOT_FOUND", `commit to ${table}: the Glue table no longer exists`);
    const current = icebergPointer(entry, identifier);
    if (current.metadataLocation !== base.metadataLocation || current.version !== base.version) {
      throw new CommitConflictError(
        `commit to ${table}: the table moved to ${current.metadataLocation} (Glue version ${current.version}) since ${base.metadataLocation} (version ${base.version}) was loaded; reload and re-apply`,
      );
    }
    const metadataLocation = nextMetadataFileLocation(next, base.metadataLocation);
    await writeMetadataFile(objectStore, metadataLocation, next);
    const input = glueTableInput({ name: identifier.name, metadata: next, metadataLocation, previousMetadataLocation: base.metadataLocation, existing: entry });
    try {
      await client.send(new UpdateTableCommand({ CatalogId: catalogId, DatabaseName: identifier.namespace, TableInput: input, VersionId: base.version, SkipArchive: true }));
    } catch (error) {
      throw updateTableFailure(error, { table, version: base.version, attemptedMetadataLocation: metadataLocation });
    }
    const committed = { identifier, metadataLocation, metadata: next, version: await versionAt(identifier, metadataLocation) };
    await deleteMetadataFilesDroppedBy(base, committed, { objectStore, logger });
    return committed;
  }

  // CreateTable and UpdateTable do not answer with the new VersionId, so it is read back.
  // Failing to read it must not turn a landed commit into a failure (the caller would
  // append again); the unknown version only makes the next commit reload first.
  async function versionAt(identifier: TableIdentifier, metadataLocation: string): Promise<string> {
    try {
      const entry = await getGlueTable(identifier);
      const atOurFile = entry?.Parameters?.[metadataLocationParameter] === metadataLocation;
      return atOurFile && entry.VersionId !== undefined ? entry.VersionId : unknownVersion;
    } catch {
      return unknownVersion;
    }
  }

  return { loadTable, createTable, commitTable };
}

function icebergPointer(entry: Table, identifier: TableIdentifier): IcebergPointer {
  const table = describeTable(identifier);
  const tableType = entry.Parameters?.[tableTypeParameter];
  if (tableType?.toUpperCase() !== icebergTableType) {
    throw new ExportError("CONFIGURATION", `Glue table ${table} is not an Iceberg table (table_type ${tableType ?? "absent"}); choose another table name`);
  }
  const metadataLocation = entry.Parameters?.[metadataLocationParameter];
  if (metadataLocation === undefined || metadataLocation === "") throw new ExportError("INTERNAL", `Glue table ${table} is an Iceberg table without a metadata_location`);
  if (entry.VersionId === undefined) throw new ExportError("INTERNAL", `Glue table ${table} has no VersionId, so it cannot be committed to safely`);
  return { metadataLocation, version: entry.VersionId };
}

function tableExists(identifier: TableIdentifier, cause?: unknown): ExportError {
  return new ExportError("TABLE_EXISTS", `Glue table ${describeTable(identifier)} already exists; load it instead`, { cause });
}

function describeTable(identifier: TableIdentifier): string {
  return `${identifier.namespace}.${identifier.name}`;
}
