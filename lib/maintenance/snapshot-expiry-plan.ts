// Which snapshots and refs an expiry removes (SPEC.md §8), decided from the table metadata
// alone, as Iceberg-Java's RemoveSnapshots decides it: a ref older than its max age goes
// (never `main`); every branch keeps the ancestors that are younger than the max snapshot
// age, and at least its minimum count; a tag keeps its snapshot; a snapshot no ref reaches
// stays while it is younger than the max age. Table properties `history.expire.*` win over
// the deployment's defaults, and a ref's own retention settings win over both.
import { expirySettingsOf, type ExpirySettings } from "../iceberg/table-properties.js";
import type { TableRequirement } from "../iceberg/table-requirements.js";
import type { Snapshot, SnapshotRef, TableMetadata } from "../iceberg/table-metadata.js";
import type { TableUpdate } from "../iceberg/table-updates.js";

export interface SnapshotExpiryPlan {
  /** Snapshots removed, oldest first. */
  expired: Snapshot[];
  retained: Snapshot[];
  removedRefs: string[];
  /** Empty when nothing expires. */
  updates: TableUpdate[];
  /** The refs as read: a ref that moved meanwhile makes the plan stale. */
  requirements: TableRequirement[];
}

export interface ExpiryPlanOptions {
  nowMs: number;
  /** Used where the table sets no `history.expire.*` property. */
  defaults?: ExpirySettings;
}

export function planSnapshotExpiry(metadata: TableMetadata, options: ExpiryPlanOptions): SnapshotExpiryPlan {
  const settings = expirySettingsOf(metadata.properties, options.defaults);
  const byId = new Map(metadata.snapshots.map((snapshot) => [snapshot["snapshot-id"], snapshot]));
  const refs = refsOf(metadata);

  const removedRefs: string[] = [];
  const keptRefs: [string, SnapshotRef][] = [];
  for (const [name, ref] of refs) {
    const snapshot = byId.get(ref["snapshot-id"]);
    const maxRefAgeMs = ref["max-ref-age-ms"] ?? settings.maxRefAgeMs;
    if (name !== "main" && (snapshot === undefined || options.nowMs - snapshot["timestamp-ms"] > maxRefAgeMs)) removedRefs.push(name);
    else keptRefs.push([name, ref]);
  }

  const retainedIds = new Set<bigint>();
  const reachedIds = new Set<bigint>();
  for (const [, ref] of keptRefs) {
    if (ref.type === "tag") {
      retainedIds.add(ref["snapshot-id"]);
      reachedIds.add(ref["snapshot-id"]);
      continue;
    }
    const olderThanMs = options.nowMs - (ref["max-snapshot-age-ms"] ?? settings.maxSnapshotAgeMs);
    const minToKeep = ref["min-snapshots-to-keep"] ?? settings.minSnapshotsToKeep;
    let kept = 0;
    let keeping = true;
    for (const ancestor of ancestorsOf(ref["snapshot-id"], byId)) {
      reachedIds.add(ancestor["snapshot-id"]);
      keeping &&= kept < minToKeep || ancestor["timestamp-ms"] >= olderThanMs;
      if (!keeping) continue;
      retainedIds.add(ancestor["snapshot-id"]);
      kept++;
    }
  }
  const unreferencedOlderThanMs = options.nowMs - settings.maxSnapshotAgeMs;
  for (const snapshot of metadata.snapshots) {
    if (!reachedIds.has(snapshot["snapshot-id"]) && snapshot["timestamp-ms"] >= unreferencedOlderThanMs) retainedIds.add(snapshot["snapshot-id"]);
  }

  const expired = metadata.snapshots.filter((snapshot) => !retainedIds.has(snapshot["snapshot-id"])).sort(byTimestamp);
  const retained = metadata.snapshots.filter((snapshot) => retainedIds.has(snapshot["snapshot-id"]));
  const updates: TableUpdate[] = [
    ...removedRefs.map((name): TableUpdate => ({ action: "remove-snapshot-ref", "ref-name": name })),
    ...(expired.length === 0 ? [] : [{ action: "remove-snapshots", "snapshot-ids": expired.map((snapshot) => snapshot["snapshot-id"]) } satisfies TableUpdate]),
  ];
  const requirements: TableRequirement[] = [
    { type: "assert-table-uuid", uuid: metadata["table-uuid"] },
    ...[...refs].map(([name, ref]): TableRequirement => ({ type: "assert-ref-snapshot-id", ref: name, "snapshot-id": ref["snapshot-id"] })),
  ];
  return { expired, retained, removedRefs, updates, requirements };
}

/** The refs, with `main` made explicit for metadata written with only a current snapshot id. */
function refsOf(metadata: TableMetadata): Map<string, SnapshotRef> {
  const refs = new Map(Object.entries(metadata.refs));
  const current = metadata["current-snapshot-id"];
  if (!refs.has("main") && current !== undefined && current >= 0n) refs.set("main", { "snapshot-id": current, type: "branch" });
  return refs;
}

function* ancestorsOf(snapshotId: bigint, byId: ReadonlyMap<bigint, Snapshot>): Generator<Snapshot> {
  const seen = new Set<bigint>();
  let id: bigint | undefined = snapshotId;
  while (id !== undefined && !seen.has(id)) {
    seen.add(id);
    const snapshot = byId.get(id);
    if (snapshot === undefined) return;
    yield snapshot;
    id = snapshot["parent-snapshot-id"];
  }
}

function byTimestamp(a: Snapshot, b: Snapshot): number {
  return a["timestamp-ms"] - b["timestamp-ms"];
}
