import { describe, expect, it } from "vitest";
import {
  commitIdProperty,
  committedOffsetsOf,
  committedOffsetsProperty,
  committedOffsetsPropertyUpdate,
  formatCommittedOffsets,
  isCommitted,
  snapshotOfCommit,
  withFilesCommitted,
} from "../../../lib/commit/committed-offsets.js";
import type { Snapshot, TableMetadata } from "../../../lib/iceberg/table-metadata.js";
import { stagedFile } from "../../contracts/state-store-contract.js";

function snapshot(id: bigint, parent: bigint | undefined, summary: Record<string, string>): Snapshot {
  return {
    "snapshot-id": id,
    ...(parent === undefined ? {} : { "parent-snapshot-id": parent }),
    "sequence-number": Number(id % 1000n),
    "timestamp-ms": 0,
    "manifest-list": `s3://w/t/metadata/snap-${id}.avro`,
    summary: { operation: "append", ...summary },
  };
}

function tableWith(snapshots: Snapshot[], current: bigint | undefined): TableMetadata {
  return {
    "format-version": 2,
    "table-uuid": "u",
    location: "s3://w/t",
    "last-sequence-number": snapshots.length,
    "last-updated-ms": 0,
    "last-column-id": 4,
    schemas: [],
    "current-schema-id": 0,
    "partition-specs": [],
    "default-spec-id": 0,
    "last-partition-id": 999,
    properties: {},
    ...(current === undefined ? {} : { "current-snapshot-id": current }),
    snapshots,
    "snapshot-log": [],
    "metadata-log": [],
    "sort-orders": [],
    "default-sort-order-id": 0,
    refs: current === undefined ? {} : { main: { "snapshot-id": current, type: "branch" } },
  };
}

const big = 9_223_372_036_854_775_000n;

describe("committed offsets in snapshot summaries", () => {
  const ours = snapshot(big + 1n, undefined, { [commitIdProperty]: "c1", [committedOffsetsProperty]: '{"orders":{"0":"9","1":"4"}}' });
  const compaction = snapshot(big + 2n, big + 1n, { operation: "replace" });
  const abandoned = snapshot(big + 3n, big + 1n, { [commitIdProperty]: "c-lost", [committedOffsetsProperty]: '{"orders":{"0":"99"}}' });

  it("come from the latest of our snapshots in the current ancestry, past other writers' snapshots", () => {
    const table = tableWith([ours, compaction, abandoned], big + 2n);
    expect(committedOffsetsOf(table)).toEqual(new Map([["orders", new Map([[0, 9n], [1, 4n]])]]));
    expect(snapshotOfCommit(table, "c1")?.["snapshot-id"]).toBe(big + 1n);
    expect(snapshotOfCommit(table, "c-lost")).toBeUndefined();
  });

  it("are empty for a table with no snapshot of ours", () => {
    expect(committedOffsetsOf(tableWith([], undefined))).toEqual(new Map());
    expect(committedOffsetsOf(tableWith([compaction], big + 2n))).toEqual(new Map());
  });

  it("tell which staged files a table already holds", () => {
    const offsets = committedOffsetsOf(tableWith([ours], big + 1n));
    expect(isCommitted(stagedFile({ firstOffset: 0n, lastOffset: 9n }), offsets)).toBe(true);
    expect(isCommitted(stagedFile({ firstOffset: 10n, lastOffset: 19n }), offsets)).toBe(false);
    expect(isCommitted(stagedFile({ partition: 2, firstOffset: 0n, lastOffset: 1n }), offsets)).toBe(false);
  });

  it("accumulate across commits and print in a stable order, exact beyond 2^53", () => {
    const before = committedOffsetsOf(tableWith([ours], big + 1n));
    const after = withFilesCommitted(before, [
      stagedFile({ partition: 1, firstOffset: 5n, lastOffset: 2n ** 60n }),
      stagedFile({ topic: "a-topic", partition: 3, firstOffset: 0n, lastOffset: 7n }),
      stagedFile({ partition: 0, firstOffset: 0n, lastOffset: 3n }),
    ]);
    expect(formatCommittedOffsets(after)).toBe('{"a-topic":{"3":"7"},"orders":{"0":"9","1":"1152921504606846976"}}');
    expect(formatCommittedOffsets(before)).toBe('{"orders":{"0":"9","1":"4"}}');
  });

  it("survive the expiry of every snapshot of ours: the table property carries them, the higher of the two wins", () => {
    const expired = { ...tableWith([compaction], big + 2n), properties: { [committedOffsetsProperty]: '{"orders":{"0":"9","1":"4"}}' } };
    expect(committedOffsetsOf(expired)).toEqual(new Map([["orders", new Map([[0, 9n], [1, 4n]])]]));
    const behind = { ...tableWith([ours, compaction], big + 2n), properties: { [committedOffsetsProperty]: '{"orders":{"0":"5","2":"8"}}' } };
    expect(committedOffsetsOf(behind)).toEqual(new Map([["orders", new Map([[0, 9n], [2, 8n], [1, 4n]])]]));
    expect(committedOffsetsPropertyUpdate(committedOffsetsOf(behind))).toEqual({ action: "set-properties", updates: { [committedOffsetsProperty]: '{"orders":{"0":"9","1":"4","2":"8"}}' } });
  });
});
