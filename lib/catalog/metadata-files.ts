// Metadata files as Iceberg-Java and pyiceberg name them (SPEC.md §4):
// `<location>/metadata/<NNNNN>-<uuid>.metadata.json`, NNNNN one above the file the table was
// at. The number orders the files for people and tools; the UUID keeps two writers racing
// from one base from ever choosing the same name.
import { randomUUID } from "node:crypto";
import { parseTableMetadata, serializeTableMetadata } from "../iceberg/metadata-json.js";
import type { TableMetadata } from "../iceberg/table-metadata.js";
import type { ObjectStore } from "../storage/object-store.js";

/** The table property that moves metadata files out of `<location>/metadata`. */
const metadataPathProperty = "write.metadata.path";

const versionPrefix = /^(\d+)-/;

export interface MetadataFileNaming {
  /** The version number of the new file. */
  version: number;
  /** Only for tests; a random UUID when absent. */
  uuid?: string;
}

export function metadataFileLocation(metadata: TableMetadata, naming: MetadataFileNaming): string {
  const { version, uuid = randomUUID() } = naming;
  const folder = metadata.properties[metadataPathProperty] ?? `${withoutTrailingSlash(metadata.location)}/metadata`;
  return `${withoutTrailingSlash(folder)}/${String(version).padStart(5, "0")}-${uuid}.metadata.json`;
}

/**
 * The number a metadata file's name starts with; -1 when it has none, as for the
 * `v<N>.metadata.json` files of Hadoop tables, so that the next file is 00000.
 */
export function metadataFileVersion(location: string): number {
  const name = location.slice(location.lastIndexOf("/") + 1);
  const digits = versionPrefix.exec(name)?.[1];
  return digits === undefined ? -1 : Number(digits);
}

/** The location for the metadata file that follows `previousLocation`. */
export function nextMetadataFileLocation(metadata: TableMetadata, previousLocation: string): string {
  return metadataFileLocation(metadata, { version: metadataFileVersion(previousLocation) + 1 });
}

/** Create-only: a file of that name already there is a ConditionFailedError, never replaced. */
export async function writeMetadataFile(store: ObjectStore, location: string, metadata: TableMetadata): Promise<void> {
  await store.put(location, new TextEncoder().encode(serializeTableMetadata(metadata)), { ifAbsent: true });
}

export async function readMetadataFile(store: ObjectStore, location: string): Promise<TableMetadata> {
  return parseTableMetadata(new TextDecoder().decode(await store.get(location)), location);
}

function withoutTrailingSlash(path: string): string {
  return path.endsWith("/") ? path.slice(0, -1) : path;
}
