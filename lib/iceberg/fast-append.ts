// The snapshot producer of an append (spec, "Snapshots": a fast append adds a manifest
// instead of rewriting one). It writes one manifest per partition spec for the new data
// files, carries over the parent snapshot's manifests (merging them past a threshold),
// writes the manifest list, and returns the commit as updates and requirements for
// applyTableUpdates. The new manifests leave sequence numbers to inherit, so a retry on
// a newer base reuses them and rewrites only the manifest list and the metadata.
import { addedEntryOf, specOf } from "./added-entries.js";
import { randomUUID } from "node:crypto";
import { ExportError } from "../core/errors.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { DataFileMetrics } from "./metrics.js";
import { writeManifest } from "./manifest-file.js";
import { readManifestList, writeManifestList } from "./manifest-list.js";
import { mergeManifests } from "./manifest-merge.js";
import type { CommittedManifestFile, ManifestFile } from "./manifest-types.js";
import { appendSummary } from "./snapshot-summary.js";
import type { Snapshot, SnapshotSummary, TableMetadata } from "./table-metadata.js";
import { refSnapshotId, type TableRequirement } from "./table-requirements.js";
import type { TableUpdate } from "./table-updates.js";
import type { IcebergSchema } from "./types.js";

/** A data file to append: what ingest staged (StagedFile) without its Kafka bookkeeping. */
export interface AppendedDataFile {
  location: string;
  fileSizeBytes: number;
  recordCount: number;
  /** The partition spec the file was written under, and its partition tuple by field name. */
  partitionSpecId: number;
  partitionValues: Record<string, number | null>;
  metrics: DataFileMetrics;
}

export interface FastAppendOptions {
  dataFiles: readonly AppendedDataFile[];
  snapshotId: bigint;
  /** This system's summary properties (commit id, offsets), added to the standard ones. */
  summaryProperties?: Readonly<Record<string, string>>;
  /** The schema the files were written with; the base's current schema by default. A schema added by the same commit must be in `base`. */
  schemaId?: number;
  objectStore: ObjectStore;
  manifestLocation: (name: string) => string;
  manifestListLocation: (name: string) => string;
  nowMs: number;
  /** The new manifests of an earlier attempt of this append (same snapshot id), to reuse. */
  reusedManifests?: readonly ManifestFile[];
  /** Merge carried-over manifests when the snapshot would list more than this. */
  manifestMergeThreshold?: number;
  manifestTargetSizeBytes?: number;
}

export interface FastAppend {
  updates: TableUpdate[];
  requirements: TableRequirement[];
  /** The manifests written for the data files: pass them as `reusedManifests` on a retry. */
  newManifests: ManifestFile[];
  snapshot: Snapshot;
  summary: SnapshotSummary;
}

const defaultMergeThreshold = 100;
const defaultTargetSizeBytes = 8 * 1024 * 1024;

export async function produceFastAppend(base: TableMetadata, options: FastAppendOptions): Promise<FastAppend> {
  const { dataFiles, snapshotId, objectStore, nowMs, manifestMergeThreshold = defaultMergeThreshold, manifestTargetSizeBytes = defaultTargetSizeBytes } = options;
  if (dataFiles.length === 0) throw new ExportError("INTERNAL", "a fast append needs at least one data file");
  if (base.snapshots.some((snapshot) => snapshot["snapshot-id"] === snapshotId)) throw new ExportError("INTERNAL", `the table already has a snapshot ${snapshotId}`);
  const schema = schemaOf(base, options.schemaId);
  for (const file of dataFiles) specOf(base, file.partitionSpecId);
  const parentId = refSnapshotId(base, "main");
  const parent = parentId === undefined ? undefined : base.snapshots.find((snapshot) => snapshot["snapshot-id"] === parentId);
  if (parentId !== undefined && parent === undefined) throw new ExportError("INTERNAL", `the table's main branch points at snapshot ${parentId}, which it does not have`);
  const sequenceNumber = base["last-sequence-number"] + 1;

  const newManifests = options.reusedManifests ? checkedReuse(base, options.reusedManifests, options) : await writeNewManifests(base, schema, options);
  const carried: CommittedManifestFile[] = parent === undefined ? [] : await readManifestList(await objectStore.get(parent["manifest-list"]), parent["manifest-list"]);
  const kept = await mergeManifests(carried, {
    base,
    objectStore,
    manifestLocation: options.manifestLocation,
    snapshotId,
    schema,
    newManifestCount: newManifests.length,
    threshold: manifestMergeThreshold,
    targetSizeBytes: manifestTargetSizeBytes,
  });
  const manifestList = options.manifestListLocation(`snap-${snapshotId}-${randomUUID()}.avro`);
  await objectStore.put(manifestList, await writeManifestList({ snapshotId, parentSnapshotId: parentId, sequenceNumber, manifests: [...newManifests, ...kept] }));

  const summary = appendSummary(parent?.summary, dataFiles, options.summaryProperties);
  const snapshot: Snapshot = {
    "snapshot-id": snapshotId,
    ...(parentId === undefined ? {} : { "parent-snapshot-id": parentId }),
    "sequence-number": sequenceNumber,
    // Never before the base: engines reject metadata whose times go backwards (clocks differ).
    "timestamp-ms": Math.max(nowMs, base["last-updated-ms"]),
    "manifest-list": manifestList,
    summary,
    "schema-id": schema["schema-id"],
  };
  return {
    updates: [
      { action: "add-snapshot", snapshot },
      { action: "set-snapshot-ref", "ref-name": "main", "snapshot-id": snapshotId, type: "branch" },
    ],
    requirements: [
      { type: "assert-table-uuid", uuid: base["table-uuid"] },
      { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": parentId ?? null },
    ],
    newManifests,
    snapshot,
    summary,
  };
}

async function writeNewManifests(base: TableMetadata, schema: IcebergSchema, options: FastAppendOptions): Promise<ManifestFile[]> {
  const manifests: ManifestFile[] = [];
  const manifestName = randomUUID();
  for (const [specId, files] of groupBySpec(options.dataFiles)) {
    const partitionSpec = specOf(base, specId);
    const location = options.manifestLocation(`${manifestName}-m${manifests.length}.avro`);
    const entries = files.map((file) => addedEntryOf(file, file.partitionValues, partitionSpec, options.snapshotId));
    const written = await writeManifest({ location, schema, schemas: base.schemas, partitionSpec, addedSnapshotId: options.snapshotId, entries });
    await options.objectStore.put(location, written.bytes);
    manifests.push(written.manifest);
  }
  return manifests;
}

function checkedReuse(base: TableMetadata, manifests: readonly ManifestFile[], options: FastAppendOptions): ManifestFile[] {
  for (const manifest of manifests) {
    specOf(base, manifest.partitionSpecId);
    if (manifest.addedSnapshotId !== options.snapshotId || manifest.sequenceNumber !== null) {
      throw new ExportError("INTERNAL", `manifest ${manifest.manifestPath} was not written for an uncommitted snapshot ${options.snapshotId}; it cannot be reused`);
    }
  }
  const files = manifests.reduce((sum, manifest) => sum + manifest.addedFilesCount, 0);
  if (files !== options.dataFiles.length) throw new ExportError("INTERNAL", `the reused manifests add ${files} files, the append ${options.dataFiles.length}`);
  return [...manifests];
}

function groupBySpec(files: readonly AppendedDataFile[]): Map<number, AppendedDataFile[]> {
  const groups = new Map<number, AppendedDataFile[]>();
  for (const file of files) {
    const group = groups.get(file.partitionSpecId);
    if (group === undefined) groups.set(file.partitionSpecId, [file]);
    else group.push(file);
  }
  return groups;
}

function schemaOf(base: TableMetadata, schemaId = base["current-schema-id"]): IcebergSchema {
  const schema = base.schemas.find((candidate) => candidate["schema-id"] === schemaId);
  if (schema === undefined) throw new ExportError("INTERNAL", `schema ${schemaId} is not one of the table's`);
  return schema;
}
