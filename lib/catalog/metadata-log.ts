// The table spec's `metadata-log`: the files a table was at before, oldest first. Iceberg-Java
// and pyiceberg append the base's file on every commit and keep the newest
// `write.metadata.previous-versions-max` entries; the catalog does the same, as it is what
// knows which file a commit replaces.
import type { TableMetadata } from "../iceberg/table-metadata.js";
import type { LoadedTable } from "./catalog.js";

const previousVersionsMaxProperty = "write.metadata.previous-versions-max";
const defaultPreviousVersionsMax = 100;

/** `metadata` with the base's file logged; unchanged when the caller already logged it. */
export function withBaseMetadataLogged(metadata: TableMetadata, base: LoadedTable): TableMetadata {
  const log = metadata["metadata-log"];
  if (log.some((entry) => entry["metadata-file"] === base.metadataLocation)) return metadata;
  const entry = { "timestamp-ms": base.metadata["last-updated-ms"], "metadata-file": base.metadataLocation };
  return { ...metadata, "metadata-log": [...log, entry].slice(-previousVersionsMax(metadata)) };
}

function previousVersionsMax(metadata: TableMetadata): number {
  const configured = Number(metadata.properties[previousVersionsMaxProperty]);
  return Number.isInteger(configured) && configured >= 1 ? configured : defaultPreviousVersionsMax;
}
