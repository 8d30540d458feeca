import { describe, expect, it } from "vitest";
import { CommitConflictError, ExportError } from "../../../lib/core/errors.js";
import { newTableMetadata } from "../../../lib/iceberg/new-table-metadata.js";
import type { Snapshot, TableMetadata } from "../../../lib/iceberg/table-metadata.js";
import { applyTableUpdates, type TableRequirement, type TableUpdate } from "../../../lib/iceberg/table-updates.js";
import type { IcebergSchema } from "../../../lib/iceberg/types.js";
import { daySpec, exportSchema } from "./iceberg-fixtures.js";

const t0 = 1_764_000_000_000;
const base = newTableMetadata({ location: "s3://warehouse/db/orders", schema: exportSchema, partitionSpec: daySpec, tableUuid: "uuid-1", nowMs: t0 });
const firstId = 5_881_230_409_882_511_213n;
const secondId = 8_012_345_678_901_234_567n;

function snapshot(id: bigint, sequenceNumber: number, timestampMs: number, parent?: bigint): Snapshot {
  return {
    "snapshot-id": id,
    ...(parent === undefined ? {} : { "parent-snapshot-id": parent }),
    "sequence-number": sequenceNumber,
    "timestamp-ms": timestampMs,
    "manifest-list": `s3://warehouse/db/orders/metadata/snap-${id}.avro`,
    summary: { operation: "append", "added-records": "3" },
    "schema-id": 0,
  };
}

function append(id: bigint, sequenceNumber: number, timestampMs: number, parent?: bigint): TableUpdate[] {
  return [
    { action: "add-snapshot", snapshot: snapshot(id, sequenceNumber, timestampMs, parent) },
    { action: "set-snapshot-ref", "ref-name": "main", "snapshot-id": id, type: "branch" },
  ];
}

function onMain(id: bigint | null): TableRequirement[] {
  return [
    { type: "assert-table-uuid", uuid: "uuid-1" },
    { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": id },
  ];
}

describe("applying table updates", () => {
  const first = applyTableUpdates(base, append(firstId, 1, t0 + 10), onMain(null), { nowMs: t0 + 20, metadataLocationOfBase: "s3://warehouse/db/orders/metadata/00000-a.metadata.json" });

  it("adds a snapshot and moves main to it: current snapshot, snapshot log, sequence number, times, metadata log", () => {
    expect(first.snapshots).toEqual([snapshot(firstId, 1, t0 + 10)]);
    expect(first["current-snapshot-id"]).toBe(firstId);
    expect(first.refs).toEqual({ main: { "snapshot-id": firstId, type: "branch" } });
    expect(first["snapshot-log"]).toEqual([{ "timestamp-ms": t0 + 10, "snapshot-id": firstId }]);
    expect(first["last-sequence-number"]).toBe(1);
    expect(first["last-updated-ms"]).toBe(t0 + 20);
    expect(first["metadata-log"]).toEqual([{ "timestamp-ms": t0, "metadata-file": "s3://warehouse/db/orders/metadata/00000-a.metadata.json" }]);
  });

  it("leaves the base as it was", () => {
    expect(base.snapshots).toEqual([]);
    expect(base.refs).toEqual({});
    expect(base["metadata-log"]).toEqual([]);
  });

  it("chains a second append onto the first", () => {
    const second = applyTableUpdates(first, append(secondId, 2, t0 + 30, firstId), onMain(firstId), { nowMs: t0 + 30, metadataLocationOfBase: "m1.json" });
    expect(second.snapshots.map((one) => [one["snapshot-id"], one["parent-snapshot-id"], one["sequence-number"]])).toEqual([
      [firstId, undefined, 1],
      [secondId, firstId, 2],
    ]);
    expect(second["snapshot-log"].map((entry) => entry["snapshot-id"])).toEqual([firstId, secondId]);
    expect(second["metadata-log"].map((entry) => entry["metadata-file"])).toEqual(["s3://warehouse/db/orders/metadata/00000-a.metadata.json", "m1.json"]);
  });

  it("fails with a CommitConflictError naming the requirement when the table moved", () => {
    const stale = (): TableMetadata => applyTableUpdates(first, append(secondId, 2, t0 + 30, firstId), onMain(null), { nowMs: t0, metadataLocationOfBase: "m1.json" });
    expect(stale).toThrow(CommitConflictError);
    expect(stale).toThrow(`requirement assert-ref-snapshot-id failed: ref main is at ${firstId}, expected no snapshot`);
    expect(() => applyTableUpdates(first, [], [{ type: "assert-table-uuid", uuid: "other" }], { nowMs: t0, metadataLocationOfBase: undefined })).toThrow(
      "requirement assert-table-uuid failed: table uuid is uuid-1, expected other",
    );
    expect(() => applyTableUpdates(first, [], [{ type: "assert-current-schema-id", "current-schema-id": 1 }], { nowMs: t0, metadataLocationOfBase: undefined })).toThrow(
      "requirement assert-current-schema-id failed",
    );
    expect(() => applyTableUpdates(first, [], [{ type: "assert-last-assigned-field-id", "last-assigned-field-id": 12 }], { nowMs: t0, metadataLocationOfBase: undefined })).toThrow(
      "requirement assert-last-assigned-field-id failed: last column id is 11, expected 12",
    );
  });

  it("refuses a sequence number that is not above the table's last one as a conflict", () => {
    expect(() => applyTableUpdates(first, append(secondId, 1, t0, firstId), [], { nowMs: t0, metadataLocationOfBase: undefined })).toThrow(CommitConflictError);
  });

  it("refuses a ref to a snapshot the table does not have, and a snapshot id twice", () => {
    const dangling: TableUpdate = { action: "set-snapshot-ref", "ref-name": "main", "snapshot-id": 42n, type: "branch" };
    expect(() => applyTableUpdates(first, [dangling], [], { nowMs: t0, metadataLocationOfBase: undefined })).toThrow(ExportError);
    expect(() => applyTableUpdates(first, append(firstId, 2, t0), [], { nowMs: t0, metadataLocationOfBase: undefined })).toThrow(`the table already has a snapshot ${firstId}`);
  });

  it("adds a schema, makes the last added one current, and raises last-column-id", () => {
    const evolved: IcebergSchema = { ...exportSchema, "schema-id": 1, fields: [...exportSchema.fields, { id: 12, name: "region", required: false, type: "string" }] };
    const updated = applyTableUpdates(
      first,
      [
        { action: "add-schema", schema: evolved },
        { action: "set-current-schema", "schema-id": -1 },
      ],
      [{ type: "assert-current-schema-id", "current-schema-id": 0 }, { type: "assert-last-assigned-field-id", "last-assigned-field-id": 11 }],
      { nowMs: t0, metadataLocationOfBase: undefined },
    );
    expect(updated.schemas.map((schema) => schema["schema-id"])).toEqual([0, 1]);
    expect(updated["current-schema-id"]).toBe(1);
    expect(updated["last-column-id"]).toBe(12);
  });

  it("adds a partition spec and raises last-partition-id", () => {
    const hourly = { "spec-id": 1, fields: [{ "source-id": 4, "field-id": 1001, name: "timestamp_hour", transform: "hour" }] };
    const updated = applyTableUpdates(first, [{ action: "add-spec", spec: hourly }], [], { nowMs: t0, metadataLocationOfBase: undefined });
    expect(updated["partition-specs"]).toEqual([daySpec, hourly]);
    expect(updated["last-partition-id"]).toBe(1001);
    expect(updated["default-spec-id"]).toBe(0);
  });

  it("sets and removes properties", () => {
    const set = applyTableUpdates(first, [{ action: "set-properties", updates: { a: "1", b: "2" } }], [], { nowMs: t0, metadataLocationOfBase: undefined });
    const removed = applyTableUpdates(set, [{ action: "remove-properties", removals: ["a", "missing"] }], [], { nowMs: t0, metadataLocationOfBase: undefined });
    expect(set.properties).toEqual({ a: "1", b: "2" });
    expect(removed.properties).toEqual({ b: "2" });
  });

  it("never moves last-updated-ms backwards, and bounds the metadata log", () => {
    const bounded = applyTableUpdates(first, [{ action: "set-properties", updates: { "write.metadata.previous-versions-max": "1" } }], [], { nowMs: t0, metadataLocationOfBase: "m1.json" });
    expect(bounded["last-updated-ms"]).toBe(t0 + 20);
    expect(bounded["metadata-log"]).toEqual([{ "timestamp-ms": t0 + 20, "metadata-file": "m1.json" }]);
  });
});
