import { describe, expect, it } from "vitest";
import { readAvroContainer, writeAvroContainer } from "../../../lib/iceberg/avro-container.js";
import { readManifestList, writeManifestList } from "../../../lib/iceberg/manifest-list.js";
import { manifestFileSchema } from "../../../lib/iceberg/manifest-schema.js";
import type { ManifestFile } from "../../../lib/iceberg/manifest-types.js";

const snapshotId = 7365018112263431893n;
const parentSnapshotId = 3055729675574597004n;

function manifest(path: string, sequenceNumber: number | null, minSequenceNumber: number | null): ManifestFile {
  return {
    manifestPath: `s3://warehouse/db/orders/metadata/${path}.avro`,
    manifestLength: 6120,
    partitionSpecId: 0,
    content: "data",
    sequenceNumber,
    minSequenceNumber,
    addedSnapshotId: sequenceNumber === null ? snapshotId : parentSnapshotId,
    addedFilesCount: 2,
    existingFilesCount: 1,
    deletedFilesCount: 0,
    addedRowsCount: 300,
    existingRowsCount: 20,
    deletedRowsCount: 0,
    partitions: [{ containsNull: false, containsNan: false, lowerBound: Uint8Array.of(0x2d, 0x51, 0, 0), upperBound: Uint8Array.of(0x2e, 0x51, 0, 0) }],
    keyMetadata: null,
  };
}

describe("manifest lists", () => {
  it("give new manifests the snapshot's sequence number and keep committed ones'", async () => {
    const fresh = manifest("new-m0", null, null);
    const merged = manifest("merged-m0", null, 2);
    const carried = manifest("old-m0", 4, 1);
    const bytes = await writeManifestList({ snapshotId, parentSnapshotId, sequenceNumber: 6, manifests: [fresh, merged, carried] });
    expect(await readManifestList(bytes)).toEqual([
      { ...fresh, sequenceNumber: 6, minSequenceNumber: 6 },
      { ...merged, sequenceNumber: 6, minSequenceNumber: 2 },
      carried,
    ]);
  });

  it("carry snapshot-id, parent-snapshot-id, sequence-number and format-version in the header", async () => {
    const bytes = await writeManifestList({ snapshotId, parentSnapshotId, sequenceNumber: 6, manifests: [] });
    expect((await readAvroContainer(bytes, { location: "list" })).metadata).toMatchObject({
      "snapshot-id": "7365018112263431893",
      "parent-snapshot-id": "3055729675574597004",
      "sequence-number": "6",
      "format-version": "2",
    });
    const first = await writeManifestList({ snapshotId, parentSnapshotId: undefined, sequenceNumber: 1, manifests: [] });
    expect((await readAvroContainer(first, { location: "list" })).metadata["parent-snapshot-id"]).toBe("null");
  });

  it("refuse a list whose counts are unknown rather than read them as 0", async () => {
    const v1Like = {
      ...manifestFileSchema,
      fields: manifestFileSchema.fields.map((field) => (field["field-id"] === 504 ? { ...field, name: "added_data_files_count", type: ["null", "int"], default: null } : field)),
    };
    const written = await writeManifestList({ snapshotId, parentSnapshotId, sequenceNumber: 2, manifests: [manifest("a", 1, 1)] });
    const { records } = await readAvroContainer(written, { location: "list" });
    const record: Record<string, unknown> = { ...(records[0] as Record<string, unknown>), added_data_files_count: null };
    delete record["added_files_count"];
    const bytes = await writeAvroContainer({ schema: v1Like, records: [record], metadata: {} });
    await expect(readManifestList(bytes, "s3://b/snap-1.avro")).rejects.toThrow("s3://b/snap-1.avro: manifest s3://warehouse/db/orders/metadata/a.avro has no added_files_count");
  });
});
