// Table metadata, format version 2, in the JSON form of the table spec ("Table Metadata"
// and "Appendix C"). Snapshot ids are longs that exceed 2^53, so they are bigints here and
// metadata is never read with a plain JSON.parse. Keys this code does not know (written by
// other engines: statistics, encryption keys, ...) are kept as they were read.
import type { PartitionSpec } from "./partitioning.js";
import type { IcebergSchema } from "./types.js";

export type SnapshotOperation = "append" | "replace" | "overwrite" | "delete";

export interface SnapshotSummary {
  operation: SnapshotOperation;
  [key: string]: string;
}

export interface Snapshot {
  "snapshot-id": bigint;
  "parent-snapshot-id"?: bigint;
  "sequence-number": number;
  "timestamp-ms": number;
  "manifest-list": string;
  summary: SnapshotSummary;
  "schema-id"?: number;
  [key: string]: unknown;
}

export interface SnapshotRef {
  "snapshot-id": bigint;
  type: "branch" | "tag";
  "max-ref-age-ms"?: number;
  "max-snapshot-age-ms"?: number;
  "min-snapshots-to-keep"?: number;
}

export interface SortField {
  "source-id": number;
  transform: string;
  direction: "asc" | "desc";
  "null-order": "nulls-first" | "nulls-last";
}

export interface SortOrder {
  "order-id": number;
  fields: SortField[];
}

export interface TableMetadata {
  "format-version": 2;
  "table-uuid": string;
  location: string;
  "last-sequence-number": number;
  "last-updated-ms": number;
  "last-column-id": number;
  schemas: IcebergSchema[];
  "current-schema-id": number;
  "partition-specs": PartitionSpec[];
  "default-spec-id": number;
  "last-partition-id": number;
  properties: Record<string, string>;
  /** Absent (or -1 in files of some writers) when the table has no snapshot yet. */
  "current-snapshot-id"?: bigint;
  snapshots: Snapshot[];
  "snapshot-log": { "timestamp-ms": number; "snapshot-id": bigint }[];
  "metadata-log": { "timestamp-ms": number; "metadata-file": string }[];
  "sort-orders": SortOrder[];
  "default-sort-order-id": number;
  refs: Record<string, SnapshotRef>;
  [key: string]: unknown;
}

