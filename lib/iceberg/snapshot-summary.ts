// The summary of an append snapshot (spec, "Snapshots" and "Appendix F: Optional Snapshot
// Summary Fields"): what it added, the table's totals after it, and this system's own
// properties (commit id, offsets per topic-partition).
import { ExportError } from "../core/errors.js";
import type { SnapshotSummary } from "./table-metadata.js";

export interface SummarizedFile {
  fileSizeBytes: number;
  recordCount: number;
  partitionSpecId: number;
  partitionValues: Record<string, number | null>;
}

/** A total and what an append adds to it; appends add no delete files. */
const totals = {
  "total-records": (files: readonly SummarizedFile[]) => sum(files, (file) => file.recordCount),
  "total-files-size": (files: readonly SummarizedFile[]) => sum(files, (file) => file.fileSizeBytes),
  "total-data-files": (files: readonly SummarizedFile[]) => files.length,
  "total-delete-files": () => 0,
  "total-position-deletes": () => 0,
  "total-equality-deletes": () => 0,
} as const;

/**
 * The summary of appending `files` after a snapshot summarised by `previous` (undefined
 * when the table has no snapshot). A total the previous summary lacks stays unknown and
 * is left out, as the reference implementation does.
 */
export function appendSummary(previous: SnapshotSummary | undefined, files: readonly SummarizedFile[], properties: Readonly<Record<string, string>> = {}): SnapshotSummary {
  const summary: SnapshotSummary = {
    operation: "append",
    "added-data-files": String(files.length),
    "added-records": String(sum(files, (file) => file.recordCount)),
    "added-files-size": String(sum(files, (file) => file.fileSizeBytes)),
    "changed-partition-count": String(new Set(files.map(partitionKey)).size),
  };
  for (const [key, added] of Object.entries(totals)) {
    const before = previous === undefined ? 0 : Number(previous[key] ?? Number.NaN);
    if (Number.isSafeInteger(before)) summary[key] = String(before + added(files));
  }
  for (const [key, value] of Object.entries(properties)) {
    if (key in summary || key in totals) throw new ExportError("INTERNAL", `summary property ${key} is one of the standard keys`);
    summary[key] = value;
  }
  return summary;
}

/** A replaced or replacing file: only its counts and its partition (spec id and a key of its tuple). */
export interface ReplacedFileSummary {
  fileSizeBytes: number;
  recordCount: number;
  partitionKey: string;
}

/**
 * The summary of a `replace` snapshot (spec, "Snapshots": files added and removed without
 * changing the table's data, i.e. a compaction), with the keys Iceberg-Java's rewrite writes.
 */
export function replaceSummary(previous: SnapshotSummary | undefined, added: readonly ReplacedFileSummary[], removed: readonly ReplacedFileSummary[], properties: Readonly<Record<string, string>> = {}): SnapshotSummary {
  const summary: SnapshotSummary = {
    operation: "replace",
    "added-data-files": String(added.length),
    "deleted-data-files": String(removed.length),
    "added-records": String(sum(added, (file) => file.recordCount)),
    "deleted-records": String(sum(removed, (file) => file.recordCount)),
    "added-files-size": String(sum(added, (file) => file.fileSizeBytes)),
    "removed-files-size": String(sum(removed, (file) => file.fileSizeBytes)),
    "changed-partition-count": String(new Set([...added, ...removed].map((file) => file.partitionKey)).size),
  };
  const changes: Record<string, number> = {
    "total-records": sum(added, (file) => file.recordCount) - sum(removed, (file) => file.recordCount),
    "total-files-size": sum(added, (file) => file.fileSizeBytes) - sum(removed, (file) => file.fileSizeBytes),
    "total-data-files": added.length - removed.length,
    "total-delete-files": 0,
    "total-position-deletes": 0,
    "total-equality-deletes": 0,
  };
  for (const [key, change] of Object.entries(changes)) {
    const before = previous === undefined ? Number.NaN : Number(previous[key] ?? Number.NaN);
    if (Number.isSafeInteger(before)) summary[key] = String(before + change);
  }
  for (const [key, value] of Object.entries(properties)) {
    if (key in summary || key in changes) throw new ExportError("INTERNAL", `summary property ${key} is one of the standard keys`);
    summary[key] = value;
  }
  return summary;
}

function partitionKey(file: SummarizedFile): string {
  const values = Object.entries(file.partitionValues).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return JSON.stringify([file.partitionSpecId, values]);
}

function sum<T>(items: readonly T[], valueOf: (item: T) => number): number {
  return items.reduce((total, item) => total + valueOf(item), 0);
}
