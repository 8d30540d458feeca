import { describe, expect, it } from "vitest";
import type { LoadedTable } from "../../../lib/catalog/catalog.js";
import { CommitStateUnknownError, commitLanded } from "../../../lib/catalog/commit-outcome.js";
import type { Snapshot } from "../../../lib/iceberg/table-metadata.js";
import type { TableUpdate } from "../../../lib/iceberg/table-updates.js";
import { sampleTableMetadata } from "../../contracts/catalog-contract.js";

const snapshot = (id: bigint): Snapshot => ({ "snapshot-id": id, "sequence-number": 1, "timestamp-ms": 1, "manifest-list": "/t/metadata/snap.avro", summary: { operation: "append" }, "schema-id": 0 });

function tableWith(snapshots: Snapshot[], metadataLocation = "/t/metadata/00002-b.metadata.json", logged: string[] = []): LoadedTable {
  const metadata = { ...sampleTableMetadata("/t"), snapshots, "metadata-log": logged.map((file) => ({ "timestamp-ms": 1, "metadata-file": file })) };
  return { identifier: { namespace: "n", name: "t" }, metadataLocation, metadata, version: metadataLocation };
}

describe("commitLanded", () => {
  const append: { updates: TableUpdate[] } = { updates: [{ action: "add-snapshot", snapshot: snapshot(2n ** 62n + 1n) }] };

  it("judges by the attempted metadata file where the catalog named it", () => {
    const error = new CommitStateUnknownError("/t/metadata/00001-a.metadata.json", "lost");
    expect(commitLanded(tableWith([], "/t/metadata/00001-a.metadata.json"), error, append)).toBe(true);
    expect(commitLanded(tableWith([], "/t/metadata/00002-b.metadata.json", ["/t/metadata/00001-a.metadata.json"]), error, append)).toBe(true);
    expect(commitLanded(tableWith([snapshot(2n ** 62n + 1n)]), error, append)).toBe(false);
  });

  it("judges by the snapshot the commit added where the catalog names the files itself (REST)", () => {
    const error = new CommitStateUnknownError(undefined, "lost");
    expect(commitLanded(tableWith([snapshot(2n ** 62n + 1n)]), error, append)).toBe(true);
    expect(commitLanded(tableWith([snapshot(7n)]), error, append)).toBe(false);
    expect(commitLanded(undefined, error, append)).toBe(false);
  });

  it("cannot tell for a change that adds no snapshot and whose file it does not know", () => {
    const error = new CommitStateUnknownError(undefined, "lost");
    expect(commitLanded(tableWith([]), error, { updates: [{ action: "set-properties", updates: { a: "b" } }] })).toBeUndefined();
  });
});
