// The Catalog on a local folder (SPEC.md §6, embedded default), in the layout of Iceberg's
// Hadoop catalog so that DuckDB (iceberg_scan), Spark's HadoopCatalog and pyiceberg
// (StaticTable) read the tables without us:
//
//   <warehouse>/<namespace>/<name>/metadata/v<N>.metadata.json   N = 1, 2, ...
//   <warehouse>/<namespace>/<name>/metadata/version-hint.text    "N", the current version
//
// The compare-and-swap is the create-only write of v<N+1>: of two commits built on v<N>,
// exactly one creates the file, the other finds it there (CommitConflictError). The hint is
// only a hint, rewritten after each commit: a crash between the two leaves it behind, so
// loads probe past it for higher versions, as Iceberg-Java's HadoopTableOperations does.
import type { Catalog, LoadedTable, TableCommit, TableIdentifier } from "../../catalog/catalog.js";
import { readMetadataFile, writeMetadataFile } from "../../catalog/metadata-files.js";
import { deleteMetadataFilesDroppedBy } from "../../catalog/metadata-log.js";
import { tableLocationFor } from "../../catalog/table-location.js";
import { CommitConflictError, ConditionFailedError, ExportError } from "../../core/errors.js";
import { silentLogger, type Logger } from "../../core/logger.js";
import type { TableMetadata } from "../../iceberg/table-metadata.js";
import { applyTableUpdates } from "../../iceberg/table-updates.js";
import type { ObjectStore } from "../../storage/object-store.js";
import { createFolderObjectStore } from "./folder-object-store.js";

export interface FileCatalogOptions {
  /** The absolute folder that holds one folder per namespace. */
  warehouse: string;
  /** Where metadata files are read and written; a folder object store when absent. */
  objectStore?: ObjectStore;
  /** Told when a metadata file the log dropped could not be deleted. */
  logger?: Logger;
}

export const versionHintFileName = "version-hint.text";
const versionFileName = /\/v(\d+)\.metadata\.json$/;
const maxHintRounds = 20;

export function createFileCatalog(options: FileCatalogOptions): Catalog {
  const { warehouse } = options;
  const objectStore = options.objectStore ?? createFolderObjectStore();
  const logger = options.logger ?? silentLogger;

  function metadataFolder(identifier: TableIdentifier): string {
    return `${tableLocationFor(warehouse, identifier)}/metadata`;
  }

  function versionLocation(identifier: TableIdentifier, version: number): string {
    return `${metadataFolder(identifier)}/v${version}.metadata.json`;
  }

  /** The highest version whose metadata file exists; undefined when the table has none. */
  async function currentVersion(identifier: TableIdentifier): Promise<number | undefined> {
    const hinted = await versionHint(identifier);
    const known = hinted !== undefined && (await objectStore.exists(versionLocation(identifier, hinted))) ? hinted : await highestListedVersion(identifier);
    return known === undefined ? undefined : await highestVersionFrom(identifier, known);
  }

  async function versionHint(identifier: TableIdentifier): Promise<number | undefined> {
    let text: string;
    try {
      text = new TextDecoder().decode(await objectStore.get(`${metadataFolder(identifier)}/${versionHintFileName}`)).trim();
    } catch (error) {
      if (error instanceof ExportError && error.code === "NOT_FOUND") return undefined;
      throw error;
    }
    // Unreadable (written by hand, or by a tool that names files otherwise): list instead.
    return /^\d+$/.test(text) && Number(text) >= 1 ? Number(text) : undefined;
  }

  async function highestListedVersion(identifier: TableIdentifier): Promise<number | undefined> {
    const versions = (await objectStore.list(`${metadataFolder(identifier)}/v`)).map((location) => versionFileName.exec(location)?.[1]).filter((digits) => digits !== undefined);
    return versions.length === 0 ? undefined : Math.max(...versions.map(Number));
  }

  async function highestVersionFrom(identifier: TableIdentifier, version: number): Promise<number> {
    let highest = version;
    while (await objectStore.exists(versionLocation(identifier, highest + 1))) highest += 1;
    return highest;
  }

  async function loadTable(identifier: TableIdentifier): Promise<LoadedTable | undefined> {
    const version = await currentVersion(identifier);
    if (version === undefined) return undefined;
    const metadataLocation = versionLocation(identifier, version);
    return { identifier, metadataLocation, metadata: await readMetadataFile(objectStore, metadataLocation), version: String(version) };
  }

  async function createTable(identifier: TableIdentifier, metadata: TableMetadata): Promise<LoadedTable> {
    checkLocation(identifier, metadata);
    // Checked first so that the usual "already there" writes nothing.
    if ((await currentVersion(identifier)) !== undefined) throw tableExists(identifier);
    const metadataLocation = versionLocation(identifier, 1);
    try {
      await writeMetadataFile(objectStore, metadataLocation, metadata);
    } catch (error) {
      if (error instanceof ConditionFailedError) throw tableExists(identifier, error);
      throw error;
    }
    await publishVersionHint(identifier, 1);
    return { identifier, metadataLocation, metadata, version: "1" };
  }

  async function commitTable(base: LoadedTable, commit: TableCommit): Promise<LoadedTable> {
    const { identifier } = base;
    const table = describeTable(identifier);
    const version = Number(base.version);
    if (!Number.isSafeInteger(version) || version < 1 || base.metadataLocation !== versionLocation(identifier, version)) {
      throw new ExportError("INTERNAL", `commit to ${table}: the base (${base.metadataLocation}, version ${base.version}) was not loaded from this file catalog`);
    }
    const next = applyTableUpdates(base.metadata, commit.updates, commit.requirements, { nowMs: commit.nowMs, metadataLocationOfBase: base.metadataLocation });
    checkLocation(identifier, next);
    const metadataLocation = versionLocation(identifier, version + 1);
    try {
      await writeMetadataFile(objectStore, metadataLocation, next);
    } catch (error) {
      if (error instanceof ConditionFailedError) {
        throw new CommitConflictError(`commit to ${table}: version ${version + 1} was committed by another writer since version ${version} was loaded; reload and re-apply`, error);
      }
      throw error;
    }
    await publishVersionHint(identifier, version + 1);
    const committed = { identifier, metadataLocation, metadata: next, version: String(version + 1) };
    await deleteMetadataFilesDroppedBy(base, committed, { objectStore, logger });
    return committed;
  }

  // Two committers that follow each other may write their hints in the opposite order, so
  // each probes again after writing and rewrites the hint until no higher version exists:
  // the last hint written is then never below the last version created. Best effort: the
  // commit has landed, and our own loads probe past a stale hint; a failure here only
  // delays what other engines see until the next commit.
  async function publishVersionHint(identifier: TableIdentifier, version: number): Promise<void> {
    try {
      let published = version;
      // Bounded: under a stream of commits by others, each of them publishes its own hint.
      for (let round = 0; round < maxHintRounds; round += 1) {
        await objectStore.put(`${metadataFolder(identifier)}/${versionHintFileName}`, new TextEncoder().encode(String(published)));
        const highest = await highestVersionFrom(identifier, published);
        if (highest === published) return;
        published = highest;
      }
    } catch {
      return;
    }
  }

  function checkLocation(identifier: TableIdentifier, metadata: TableMetadata): void {
    const folder = tableLocationFor(warehouse, identifier);
    if (metadata.location.replace(/\/+$/, "") !== folder) {
      throw new ExportError("INTERNAL", `table ${describeTable(identifier)} of the local catalog must be located at ${folder}, not ${metadata.location}`);
    }
  }

  return { loadTable, createTable, commitTable };
}

function tableExists(identifier: TableIdentifier, cause?: unknown): ExportError {
  return new ExportError("TABLE_EXISTS", `table ${describeTable(identifier)} already exists in the local catalog; load it instead`, { cause });
}

function describeTable(identifier: TableIdentifier): string {
  return `${identifier.namespace}.${identifier.name}`;
}
