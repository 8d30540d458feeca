// The snapshot producer of a rewrite (spec, "Snapshots": operation `replace` — data files
// added and removed without changing the table's data, i.e. a compaction). Each manifest
// that holds a replaced file is rewritten: the replaced files as DELETED entries of the new
// snapshot, its other live entries as EXISTING with their own snapshot ids and sequence
// numbers; the replacing files go in a manifest of ADDED entries; every other manifest is
// carried over. As Iceberg-Java's RewriteFiles does, a replaced file that is not live in
// the base fails the produce: the caller validates its inputs against the base first, and
// a file someone else removed meanwhile must never come back.
import { addedEntryOf, specOf } from "./added-entries.js";
import { randomUUID } from "node:crypto";
import { ExportError } from "../core/errors.js";
import type { ObjectStore } from "../storage/object-store.js";
import { readManifest, withInheritedValues, writeManifest } from "./manifest-file.js";
import { readManifestList, writeManifestList } from "./manifest-list.js";
import { mergeManifests } from "./manifest-merge.js";
import type { CommittedManifestFile, ManifestEntry, ManifestFile, PartitionTuple } from "./manifest-types.js";
import type { DataFileMetrics } from "./metrics.js";
import { partitionKeyOf } from "./partition-key.js";
import type { PartitionSpec } from "./partitioning.js";
import { replaceSummary, type ReplacedFileSummary } from "./snapshot-summary.js";
import type { Snapshot, SnapshotSummary, TableMetadata } from "./table-metadata.js";
import { refSnapshotId, type TableRequirement } from "./table-requirements.js";
import type { TableUpdate } from "./table-updates.js";
import type { IcebergSchema } from "./types.js";

/** A data file that replaces others, in a partition of one of the table's specs. */
export interface ReplacementDataFile {
  location: string;
  fileSizeBytes: number;
  recordCount: number;
  partitionSpecId: number;
  partition: PartitionTuple;
  metrics: DataFileMetrics;
}

/** A live data file the snapshot removes. */
export interface ReplacedDataFile {
  path: string;
  /** Only manifests of this spec are read for it. */
  partitionSpecId: number;
}

export interface ReplaceFilesOptions {
  replaced: readonly ReplacedDataFile[];
  added: readonly ReplacementDataFile[];
  snapshotId: bigint;
  summaryProperties?: Readonly<Record<string, string>>;
  objectStore: ObjectStore;
  manifestLocation: (name: string) => string;
  manifestListLocation: (name: string) => string;
  nowMs: number;
  manifestMergeThreshold?: number;
  manifestTargetSizeBytes?: number;
}

export interface ReplaceFiles {
  updates: TableUpdate[];
  requirements: TableRequirement[];
  snapshot: Snapshot;
  summary: SnapshotSummary;
  /** Every manifest and the manifest list this attempt wrote: unreferenced if it does not land. */
  writtenFiles: string[];
}

const defaultMergeThreshold = 100;
const defaultTargetSizeBytes = 8 * 1024 * 1024;

export async function produceReplaceFiles(base: TableMetadata, options: ReplaceFilesOptions): Promise<ReplaceFiles> {
  const { replaced, added, snapshotId, objectStore, nowMs } = options;
  if (replaced.length === 0) throw new ExportError("INTERNAL", "a replace needs at least one replaced file");
  if (base.snapshots.some((snapshot) => snapshot["snapshot-id"] === snapshotId)) throw new ExportError("INTERNAL", `the table already has a snapshot ${snapshotId}`);
  const parentId = refSnapshotId(base, "main");
  const parent = parentId === undefined ? undefined : base.snapshots.find((snapshot) => snapshot["snapshot-id"] === parentId);
  if (parentId === undefined || parent === undefined) throw new ExportError("INTERNAL", "a replace needs a current snapshot whose files it replaces");
  const schema = currentSchema(base);
  const sequenceNumber = base["last-sequence-number"] + 1;
  const writtenFiles: string[] = [];
  const context = { base, schema, snapshotId, objectStore, manifestLocation: options.manifestLocation, writtenFiles };

  const carried = await readManifestList(await objectStore.get(parent["manifest-list"]), parent["manifest-list"]);
  const filtered = await filterManifests(carried, replaced, context);
  const newManifests = await writeAddedManifests(added, context);
  const untouched = await mergeManifests(filtered.untouched, {
    base,
    objectStore,
    manifestLocation: (name) => written(context, options.manifestLocation(name)),
    snapshotId,
    schema,
    newManifestCount: newManifests.length + filtered.rewritten.length,
    threshold: options.manifestMergeThreshold ?? defaultMergeThreshold,
    targetSizeBytes: options.manifestTargetSizeBytes ?? defaultTargetSizeBytes,
  });
  const manifestList = written(context, options.manifestListLocation(`snap-${snapshotId}-${randomUUID()}.avro`));
  await objectStore.put(manifestList, await writeManifestList({ snapshotId, parentSnapshotId: parentId, sequenceNumber, manifests: [...newManifests, ...filtered.rewritten, ...untouched] }));

  const summaryOf = (file: { fileSizeBytes: number; recordCount: number; partitionSpecId: number; partition: PartitionTuple }): ReplacedFileSummary => ({
    fileSizeBytes: file.fileSizeBytes,
    recordCount: file.recordCount,
    partitionKey: partitionKeyOf(file.partitionSpecId, file.partition),
  });
  const summary = replaceSummary(parent.summary, added.map(summaryOf), filtered.removed.map(summaryOf), options.summaryProperties);
  const snapshot: Snapshot = {
    "snapshot-id": snapshotId,
    "parent-snapshot-id": parentId,
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
      { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": parentId },
    ],
    snapshot,
    summary,
    writtenFiles,
  };
}

interface ProduceContext {
  base: TableMetadata;
  schema: IcebergSchema;
  snapshotId: bigint;
  objectStore: ObjectStore;
  manifestLocation: (name: string) => string;
  writtenFiles: string[];
}

interface FilteredManifests {
  rewritten: ManifestFile[];
  untouched: CommittedManifestFile[];
  /** The replaced files as the base's manifests record them. */
  removed: { fileSizeBytes: number; recordCount: number; partitionSpecId: number; partition: PartitionTuple }[];
}

async function filterManifests(carried: readonly CommittedManifestFile[], replaced: readonly ReplacedDataFile[], context: ProduceContext): Promise<FilteredManifests> {
  const wanted = new Map(replaced.map((file) => [file.path, file]));
  if (wanted.size !== replaced.length) throw new ExportError("INTERNAL", "a replace names a replaced file twice");
  const specs = new Set(replaced.map((file) => file.partitionSpecId));
  const result: FilteredManifests = { rewritten: [], untouched: [], removed: [] };
  for (const manifest of carried) {
    if (manifest.content !== "data" || !specs.has(manifest.partitionSpecId) || manifest.addedFilesCount + manifest.existingFilesCount === 0) {
      result.untouched.push(manifest);
      continue;
    }
    const entries = withInheritedValues((await readManifest(await context.objectStore.get(manifest.manifestPath), manifest.manifestPath)).entries, manifest);
    const live = entries.filter((entry) => entry.status !== "deleted");
    const hits = live.filter((entry) => wanted.has(entry.dataFile.filePath));
    if (hits.length === 0) {
      result.untouched.push(manifest);
      continue;
    }
    for (const entry of hits) {
      wanted.delete(entry.dataFile.filePath);
      result.removed.push({ fileSizeBytes: entry.dataFile.fileSizeInBytes, recordCount: entry.dataFile.recordCount, partitionSpecId: manifest.partitionSpecId, partition: entry.dataFile.partition });
    }
    const hitPaths = new Set(hits.map((entry) => entry.dataFile.filePath));
    // Entries deleted by earlier snapshots only mattered to them, and are dropped.
    const rewrittenEntries = live.map((entry): ManifestEntry => (hitPaths.has(entry.dataFile.filePath) ? { ...entry, status: "deleted", snapshotId: context.snapshotId } : { ...entry, status: "existing" }));
    result.rewritten.push(await writeEntries(rewrittenEntries, specOf(context.base, manifest.partitionSpecId), context));
  }
  if (wanted.size > 0) throw new ExportError("INTERNAL", `files to replace are not live in the table: ${[...wanted.keys()].join(", ")}`);
  return result;
}

async function writeAddedManifests(added: readonly ReplacementDataFile[], context: ProduceContext): Promise<ManifestFile[]> {
  const bySpec = new Map<number, ReplacementDataFile[]>();
  for (const file of added) bySpec.set(file.partitionSpecId, [...(bySpec.get(file.partitionSpecId) ?? []), file]);
  const manifests: ManifestFile[] = [];
  for (const [specId, files] of bySpec) {
    const spec = specOf(context.base, specId);
    manifests.push(await writeEntries(files.map((file) => addedEntryOf(file, file.partition, spec, context.snapshotId)), spec, context));
  }
  return manifests;
}

async function writeEntries(entries: readonly ManifestEntry[], partitionSpec: PartitionSpec, context: ProduceContext): Promise<ManifestFile> {
  const location = written(context, context.manifestLocation(`${randomUUID()}-m0.avro`));
  const manifest = await writeManifest({ location, schema: context.schema, schemas: context.base.schemas, partitionSpec, addedSnapshotId: context.snapshotId, entries });
  await context.objectStore.put(location, manifest.bytes);
  return manifest.manifest;
}

function written(context: ProduceContext, location: string): string {
  context.writtenFiles.push(location);
  return location;
}

function currentSchema(base: TableMetadata): IcebergSchema {
  const schema = base.schemas.find((candidate) => candidate["schema-id"] === base["current-schema-id"]);
  if (schema === undefined) throw new ExportError("INTERNAL", `the table's current schema ${base["current-schema-id"]} is not one of its schemas`);
  return schema;
}
