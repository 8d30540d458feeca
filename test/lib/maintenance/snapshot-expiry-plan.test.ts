import { describe, expect, it } from "vitest";
import { newTableMetadata } from "../../../lib/iceberg/new-table-metadata.js";
import type { Snapshot, SnapshotRef, TableMetadata } from "../../../lib/iceberg/table-metadata.js";
import { applyTableUpdates } from "../../../lib/iceberg/table-updates.js";
import { expirySettingsOf, icebergExpiryDefaults } from "../../../lib/iceberg/table-properties.js";
import { planSnapshotExpiry } from "../../../lib/maintenance/snapshot-expiry-plan.js";
import { daySpec, exportSchema } from "../iceberg/iceberg-fixtures.js";

const hour = 3_600_000;
const t0 = 1_764_000_000_000;

function snapshot(id: number, timestampMs: number, parent?: number): Snapshot {
  return {
    "snapshot-id": BigInt(id),
    ...(parent === undefined ? {} : { "parent-snapshot-id": BigInt(parent) }),
    "sequence-number": id,
    "timestamp-ms": timestampMs,
    "manifest-list": `s3://w/t/metadata/snap-${id}.avro`,
    summary: { operation: "append" },
  };
}

/** A main branch of `count` snapshots one hour apart, the last one current. */
function tableOf(count: number, options: { properties?: Record<string, string>; refs?: Record<string, SnapshotRef>; extra?: Snapshot[] } = {}): TableMetadata {
  const base = newTableMetadata({ location: "s3://w/t", schema: exportSchema, partitionSpec: daySpec, tableUuid: "u", nowMs: t0, properties: options.properties ?? {} });
  const snapshots = Array.from({ length: count }, (_, index) => snapshot(index + 1, t0 + index * hour, index === 0 ? undefined : index));
  const all = [...snapshots, ...(options.extra ?? [])];
  return {
    ...base,
    snapshots: all,
    "last-sequence-number": Math.max(0, ...all.map((s) => s["sequence-number"])),
    "current-snapshot-id": BigInt(count),
    refs: { main: { "snapshot-id": BigInt(count), type: "branch" }, ...options.refs },
    "snapshot-log": snapshots.map((s) => ({ "timestamp-ms": s["timestamp-ms"], "snapshot-id": s["snapshot-id"] })),
  };
}

const ids = (snapshots: readonly Snapshot[]): number[] => snapshots.map((s) => Number(s["snapshot-id"]));

describe("planning snapshot expiry", () => {
  it("expires main's ancestors older than the max age, keeping at least the minimum count", () => {
    const table = tableOf(10);
    const nowMs = t0 + 9 * hour;
    const plan = planSnapshotExpiry(table, { nowMs, defaults: { ...icebergExpiryDefaults, maxSnapshotAgeMs: 3 * hour, minSnapshotsToKeep: 1 } });
    expect(ids(plan.retained)).toEqual([7, 8, 9, 10]);
    expect(ids(plan.expired)).toEqual([1, 2, 3, 4, 5, 6]);
    const minimum = planSnapshotExpiry(table, { nowMs: t0 + 100 * hour, defaults: { ...icebergExpiryDefaults, maxSnapshotAgeMs: hour, minSnapshotsToKeep: 5 } });
    expect(ids(minimum.retained)).toEqual([6, 7, 8, 9, 10]);
  });

  it("honours the table's history.expire properties over the deployment's defaults", () => {
    const table = tableOf(10, { properties: { "history.expire.min-snapshots-to-keep": "3", "history.expire.max-snapshot-age-ms": "1" } });
    const plan = planSnapshotExpiry(table, { nowMs: t0 + 100 * hour, defaults: { ...icebergExpiryDefaults, minSnapshotsToKeep: 8 } });
    expect(ids(plan.retained)).toEqual([8, 9, 10]);
    expect(expirySettingsOf({ "history.expire.min-snapshots-to-keep": "not a number" }).minSnapshotsToKeep).toBe(1);
  });

  it("never expires the current snapshot, and expires nothing on a young table", () => {
    const table = tableOf(3);
    expect(ids(planSnapshotExpiry(table, { nowMs: t0 + 1000 * hour, defaults: { ...icebergExpiryDefaults, maxSnapshotAgeMs: 1, minSnapshotsToKeep: 1 } }).retained)).toEqual([3]);
    const young = planSnapshotExpiry(table, { nowMs: t0 + 3 * hour });
    expect(young.expired).toEqual([]);
    expect(young.updates).toEqual([]);
  });

  it("keeps a tag's snapshot and a branch's own retention; removes refs past their max age, never main", () => {
    const side = snapshot(50, t0 + 2 * hour, 2);
    const table = tableOf(10, {
      extra: [side],
      refs: {
        audit: { "snapshot-id": 3n, type: "tag" },
        old: { "snapshot-id": 2n, type: "tag", "max-ref-age-ms": hour },
        dev: { "snapshot-id": 50n, type: "branch", "min-snapshots-to-keep": 2 },
      },
    });
    const plan = planSnapshotExpiry(table, { nowMs: t0 + 100 * hour, defaults: { ...icebergExpiryDefaults, maxSnapshotAgeMs: hour, minSnapshotsToKeep: 1 } });
    expect(plan.removedRefs).toEqual(["old"]);
    expect(ids(plan.retained).sort((a, b) => a - b)).toEqual([2, 3, 10, 50]);
    expect(plan.updates[0]).toEqual({ action: "remove-snapshot-ref", "ref-name": "old" });
  });

  it("keeps young snapshots that no ref reaches, expires old ones", () => {
    const orphanOld = snapshot(60, t0);
    const orphanYoung = snapshot(61, t0 + 99 * hour);
    const table = tableOf(2, { extra: [orphanOld, orphanYoung] });
    const plan = planSnapshotExpiry(table, { nowMs: t0 + 100 * hour, defaults: { ...icebergExpiryDefaults, maxSnapshotAgeMs: 2 * hour } });
    expect(ids(plan.expired)).toEqual([1, 60]);
    expect(ids(plan.retained)).toEqual([2, 61]);
  });

  it("applies as an update with requirements on the refs it read: the snapshots, the snapshot log and refs follow", () => {
    const table = tableOf(10, { refs: { old: { "snapshot-id": 2n, type: "tag", "max-ref-age-ms": 1 } } });
    const plan = planSnapshotExpiry(table, { nowMs: t0 + 9 * hour, defaults: { ...icebergExpiryDefaults, maxSnapshotAgeMs: 3 * hour } });
    const after = applyTableUpdates(table, plan.updates, plan.requirements, { nowMs: t0 + 9 * hour, metadataLocationOfBase: "m.json" });
    expect(ids(after.snapshots)).toEqual([7, 8, 9, 10]);
    expect(after["snapshot-log"].map((entry) => Number(entry["snapshot-id"]))).toEqual([7, 8, 9, 10]);
    expect(Object.keys(after.refs)).toEqual(["main"]);
    expect(after["current-snapshot-id"]).toBe(10n);
    const moved = { ...table, refs: { ...table.refs, main: { "snapshot-id": 9n, type: "branch" as const } } };
    expect(() => applyTableUpdates(moved, plan.updates, plan.requirements, { nowMs: t0, metadataLocationOfBase: "m.json" })).toThrow(/ref main/);
  });
});
