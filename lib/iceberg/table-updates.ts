// A commit as data: the updates it makes to the table metadata it read, and the
// requirements that metadata must still meet (the updates and requirements of the Iceberg
// REST commit protocol, by the same names). One pure function applies them; it is the only
// place new table metadata is derived from old.
import { ExportError, CommitConflictError } from "../core/errors.js";
import { highestFieldId } from "./field-ids.js";
import type { PartitionSpec } from "./partitioning.js";
import { previousVersionsMax } from "./table-properties.js";
import { checkTableRequirements, type TableRequirement } from "./table-requirements.js";
import type { Snapshot, SnapshotRef, TableMetadata } from "./table-metadata.js";
import type { IcebergSchema } from "./types.js";

export type { TableRequirement } from "./table-requirements.js";

export type TableUpdate =
  | { action: "add-schema"; schema: IcebergSchema }
  /** -1: the schema added last by the same commit. */
  | { action: "set-current-schema"; "schema-id": number }
  | { action: "add-spec"; spec: PartitionSpec }
  | { action: "add-snapshot"; snapshot: Snapshot }
  | ({ action: "set-snapshot-ref"; "ref-name": string } & SnapshotRef)
  | { action: "set-properties"; updates: Record<string, string> }
  | { action: "remove-properties"; removals: string[] }
  | { action: "remove-snapshots"; "snapshot-ids": bigint[] }
  | { action: "remove-snapshot-ref"; "ref-name": string };

export interface ApplyOptions {
  nowMs: number;
  /** The metadata file `base` was read from; recorded in the metadata log. Undefined for a table's first metadata. */
  metadataLocationOfBase: string | undefined;
}

interface Draft {
  metadata: TableMetadata;
  lastUpdatedMs: number;
  lastAddedSchemaId?: number;
  addedSnapshots: Map<bigint, Snapshot>;
}

/**
 * The metadata after the commit: CommitConflictError when `base` no longer meets a
 * requirement, ExportError when an update is invalid on it. `base` is not modified.
 */
export function applyTableUpdates(base: TableMetadata, updates: readonly TableUpdate[], requirements: readonly TableRequirement[], options: ApplyOptions): TableMetadata {
  checkTableRequirements(base, requirements);
  // Never before the base: engines reject metadata whose times go backwards (clocks differ).
  const draft: Draft = { metadata: structuredClone(base), lastUpdatedMs: Math.max(options.nowMs, base["last-updated-ms"]), addedSnapshots: new Map() };
  for (const update of updates) applyUpdate(draft, update);
  const metadata = draft.metadata;
  metadata["last-updated-ms"] = draft.lastUpdatedMs;
  if (options.metadataLocationOfBase !== undefined) {
    metadata["metadata-log"] = [...metadata["metadata-log"], { "timestamp-ms": base["last-updated-ms"], "metadata-file": options.metadataLocationOfBase }].slice(-previousVersionsMax(metadata.properties));
  }
  return metadata;
}

function applyUpdate(draft: Draft, update: TableUpdate): void {
  const metadata = draft.metadata;
  switch (update.action) {
    case "add-schema":
      if (addUnlessPresent(metadata.schemas, update.schema, (schema) => schema["schema-id"], "schema")) {
        metadata["last-column-id"] = Math.max(metadata["last-column-id"], highestFieldId(update.schema));
      }
      draft.lastAddedSchemaId = update.schema["schema-id"];
      return;
    case "set-current-schema": {
      const schemaId = update["schema-id"] === -1 ? draft.lastAddedSchemaId : update["schema-id"];
      if (schemaId === undefined || !metadata.schemas.some((schema) => schema["schema-id"] === schemaId)) {
        throw new ExportError("INTERNAL", `set-current-schema: the table has no schema ${update["schema-id"]}`);
      }
      metadata["current-schema-id"] = schemaId;
      return;
    }
    case "add-spec":
      if (addUnlessPresent(metadata["partition-specs"], update.spec, (spec) => spec["spec-id"], "partition spec")) {
        metadata["last-partition-id"] = Math.max(metadata["last-partition-id"], ...update.spec.fields.map((field) => field["field-id"]));
      }
      return;
    case "add-snapshot":
      addSnapshot(draft, update.snapshot);
      return;
    case "set-snapshot-ref":
      setSnapshotRef(draft, update);
      return;
    case "set-properties":
      metadata.properties = { ...metadata.properties, ...update.updates };
      return;
    case "remove-properties":
      metadata.properties = Object.fromEntries(Object.entries(metadata.properties).filter(([key]) => !update.removals.includes(key)));
      return;
    case "remove-snapshots":
      removeSnapshots(metadata, new Set(update["snapshot-ids"]));
      return;
    case "remove-snapshot-ref":
      removeSnapshotRef(metadata, update["ref-name"]);
      return;
  }
}

// A snapshot a ref still points at cannot go: expiry removes the ref first, in the same commit.
function removeSnapshots(metadata: TableMetadata, removed: ReadonlySet<bigint>): void {
  for (const [name, ref] of Object.entries(metadata.refs)) {
    if (removed.has(ref["snapshot-id"])) throw new ExportError("INTERNAL", `remove-snapshots: ref ${name} still points at snapshot ${ref["snapshot-id"]}`);
  }
  if (metadata["current-snapshot-id"] !== undefined && removed.has(metadata["current-snapshot-id"])) {
    throw new ExportError("INTERNAL", `remove-snapshots: snapshot ${metadata["current-snapshot-id"]} is the current snapshot`);
  }
  metadata.snapshots = metadata.snapshots.filter((snapshot) => !removed.has(snapshot["snapshot-id"]));
  // As the reference implementation does: the log keeps only the entries after the last one
  // whose snapshot is gone, so that it stays an unbroken history of snapshots that exist.
  const log = metadata["snapshot-log"];
  metadata["snapshot-log"] = log.slice(log.findLastIndex((entry) => removed.has(entry["snapshot-id"])) + 1);
}

function removeSnapshotRef(metadata: TableMetadata, name: string): void {
  if (!(name in metadata.refs)) return;
  metadata.refs = Object.fromEntries(Object.entries(metadata.refs).filter(([refName]) => refName !== name));
  if (name === "main") delete metadata["current-snapshot-id"];
}

function addSnapshot(draft: Draft, snapshot: Snapshot): void {
  const metadata = draft.metadata;
  const id = snapshot["snapshot-id"];
  if (metadata.snapshots.some((existing) => existing["snapshot-id"] === id)) throw new ExportError("INTERNAL", `add-snapshot: the table already has a snapshot ${id}`);
  // Spec, "Sequence Numbers": a new snapshot's sequence number is above every earlier one.
  if (snapshot["sequence-number"] <= metadata["last-sequence-number"]) {
    throw new CommitConflictError(`add-snapshot: sequence number ${snapshot["sequence-number"]} of snapshot ${id} is not above the table's last sequence number ${metadata["last-sequence-number"]}`);
  }
  metadata.snapshots = [...metadata.snapshots, snapshot];
  metadata["last-sequence-number"] = snapshot["sequence-number"];
  draft.lastUpdatedMs = Math.max(draft.lastUpdatedMs, snapshot["timestamp-ms"]);
  draft.addedSnapshots.set(id, snapshot);
}

function setSnapshotRef(draft: Draft, update: Extract<TableUpdate, { action: "set-snapshot-ref" }>): void {
  const name = update["ref-name"];
  const id = update["snapshot-id"];
  const ref: SnapshotRef = { "snapshot-id": id, type: update.type };
  for (const retention of ["max-ref-age-ms", "max-snapshot-age-ms", "min-snapshots-to-keep"] as const) {
    if (update[retention] !== undefined) ref[retention] = update[retention];
  }
  const metadata = draft.metadata;
  if (!metadata.snapshots.some((snapshot) => snapshot["snapshot-id"] === id)) throw new ExportError("INTERNAL", `set-snapshot-ref ${name}: the table has no snapshot ${id}`);
  metadata.refs = { ...metadata.refs, [name]: ref };
  if (name !== "main") return;
  metadata["current-snapshot-id"] = id;
  const timestampMs = draft.addedSnapshots.get(id)?.["timestamp-ms"] ?? draft.lastUpdatedMs;
  metadata["snapshot-log"] = [...metadata["snapshot-log"], { "timestamp-ms": timestampMs, "snapshot-id": id }];
}

/** Adds `item` unless one with its id is there; the same id with other content is an error. Whether it was added. */
function addUnlessPresent<T>(items: T[], item: T, idOf: (item: T) => number, what: string): boolean {
  const existing = items.find((candidate) => idOf(candidate) === idOf(item));
  if (existing === undefined) {
    items.push(item);
    return true;
  }
  if (JSON.stringify(existing) !== JSON.stringify(item)) throw new ExportError("INTERNAL", `the table already has a different ${what} ${idOf(item)}`);
  return false;
}
