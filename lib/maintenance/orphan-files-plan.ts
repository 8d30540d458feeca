// Which files under a table's location no one needs (SPEC.md §8, orphan cleanup), decided
// as Iceberg-Java's DeleteOrphanFiles decides it: a file is an orphan when no snapshot of the
// table reaches it (manifest lists, manifests, data files), it is not a metadata file the
// table is at or logs, no staged entry names it — and it is older than the safety age, so
// that a file being written right now (by ingest, a commit, another engine) is never taken.
import type { StoredObject } from "../storage/object-store.js";

export interface OrphanFilesInput {
  /** Everything under the table location. */
  objects: readonly StoredObject[];
  /** Every location the table's metadata reaches, and every staged file. */
  referenced: ReadonlySet<string>;
  /** Only files last modified before this are orphans. */
  olderThanMs: number;
}

/** Files the catalog itself keeps beside the metadata (the Hadoop layout's pointer). */
const catalogFileNames = new Set(["version-hint.text"]);

export function planOrphanFiles(input: OrphanFilesInput): StoredObject[] {
  const referenced = new Set([...input.referenced].map(comparableLocation));
  return input.objects.filter((object) => {
    if (referenced.has(comparableLocation(object.location)) || object.lastModifiedMs >= input.olderThanMs) return false;
    return !catalogFileNames.has(object.location.slice(object.location.lastIndexOf("/") + 1));
  });
}

/**
 * One spelling per object: engines write `s3a://` or `s3n://` for what a listing calls
 * `s3://`, and `file:///x` for the path `/x`. Taking one spelling for another would delete a
 * file the table needs.
 */
export function comparableLocation(location: string): string {
  const s3 = /^s3[an]?:\/\//.exec(location);
  if (s3 !== null) return `s3://${location.slice(s3[0].length)}`;
  if (location.startsWith("file://")) return decodeURIComponent(new URL(location).pathname);
  return location;
}
