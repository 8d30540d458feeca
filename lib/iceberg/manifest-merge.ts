// Merging manifests, so that a commit's cost does not grow with the table's history
// (SPEC.md §4): once a snapshot would list more manifests than a threshold, the data
// manifests it carries over are bin-packed by size, per partition spec, and each bin of
// several is rewritten as one. Live entries keep their snapshot id and their original
// sequence numbers, written out as EXISTING entries (spec, "Sequence Number Inheritance");
// deleted entries only mattered to the snapshot that deleted them and are dropped.
import { randomUUID } from "node:crypto";
import { ExportError } from "../core/errors.js";
import type { ObjectStore } from "../storage/object-store.js";
import { readManifest, withInheritedValues, writeManifest } from "./manifest-file.js";
import type { CommittedManifestFile, ManifestEntry, ManifestFile } from "./manifest-types.js";
import type { TableMetadata } from "./table-metadata.js";
import type { IcebergSchema } from "./types.js";

export interface ManifestMergeOptions {
  base: TableMetadata;
  objectStore: ObjectStore;
  manifestLocation: (name: string) => string;
  /** The snapshot being produced: it adds the merged manifests. */
  snapshotId: bigint;
  /** The table schema the snapshot is written with: merged manifests record it. */
  schema: IcebergSchema;
  /** Manifests the snapshot adds besides the carried ones. */
  newManifestCount: number;
  /** Merge when the snapshot would list more manifests than this. */
  threshold: number;
  /** The size a merged manifest may reach, from the sizes of the manifests merged into it. */
  targetSizeBytes: number;
}

/** The carried-over manifests after merging: unchanged when under the threshold. */
export async function mergeManifests(carried: readonly CommittedManifestFile[], options: ManifestMergeOptions): Promise<ManifestFile[]> {
  if (carried.length + options.newManifestCount <= options.threshold) return [...carried];
  const result: ManifestFile[] = [];
  for (const bin of binsOf(carried, options.targetSizeBytes)) {
    const [first] = bin;
    if (bin.length === 1 && first !== undefined) result.push(first);
    else result.push(await mergedManifest(bin, options));
  }
  return result;
}

/** Consecutive data manifests of one spec, up to the target size; delete manifests alone. */
function binsOf(manifests: readonly CommittedManifestFile[], targetSizeBytes: number): CommittedManifestFile[][] {
  const open = new Map<number, { manifests: CommittedManifestFile[]; bytes: number }>();
  const bins: CommittedManifestFile[][] = [];
  for (const manifest of manifests) {
    if (manifest.content === "deletes") {
      bins.push([manifest]);
      continue;
    }
    let bin = open.get(manifest.partitionSpecId);
    if (bin === undefined || bin.bytes + manifest.manifestLength > targetSizeBytes) {
      bin = { manifests: [], bytes: 0 };
      open.set(manifest.partitionSpecId, bin);
      bins.push(bin.manifests);
    }
    bin.manifests.push(manifest);
    bin.bytes += manifest.manifestLength;
  }
  return bins;
}

async function mergedManifest(bin: readonly CommittedManifestFile[], options: ManifestMergeOptions): Promise<ManifestFile> {
  const { base, objectStore, snapshotId, schema } = options;
  const entries: ManifestEntry[] = [];
  for (const manifest of bin) {
    const contents = await readManifest(await objectStore.get(manifest.manifestPath), manifest.manifestPath);
    for (const entry of withInheritedValues(contents.entries, manifest)) {
      if (entry.status !== "deleted") entries.push({ ...entry, status: "existing" });
    }
  }
  const specId = (bin[0] as CommittedManifestFile).partitionSpecId;
  const partitionSpec = base["partition-specs"].find((spec) => spec["spec-id"] === specId);
  if (partitionSpec === undefined) throw new ExportError("INTERNAL", `manifest ${(bin[0] as CommittedManifestFile).manifestPath} has partition spec ${specId}, unknown to the table`);
  const location = options.manifestLocation(`${randomUUID()}-m0.avro`);
  const written = await writeManifest({ location, schema, schemas: base.schemas, partitionSpec, addedSnapshotId: snapshotId, entries });
  await objectStore.put(location, written.bytes);
  return written.manifest;
}
