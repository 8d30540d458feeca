// A table pyiceberg wrote (into Glue and S3 on moto): our reader sees its manifests as
// pyiceberg does, and our fast append — merging pyiceberg's manifests into one of ours —
// leaves a table where pyiceberg reads both writers' rows.
import { randomBytes, randomUUID } from "node:crypto";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3ObjectStore } from "../../../lib/adapters/aws/s3-object-store.js";
import { produceFastAppend } from "../../../lib/iceberg/fast-append.js";
import { readManifest, withInheritedValues } from "../../../lib/iceberg/manifest-file.js";
import { readManifestList } from "../../../lib/iceberg/manifest-list.js";
import { parseTableMetadata, serializeTableMetadata } from "../../../lib/iceberg/metadata-json.js";
import type { TableMetadata } from "../../../lib/iceberg/table-metadata.js";
import { applyTableUpdates } from "../../../lib/iceberg/table-updates.js";
import type { IcebergSchema } from "../../../lib/iceberg/types.js";
import { writeDataFile } from "../../../lib/parquet/data-file-writer.js";
import type { TableRow } from "../../../lib/schema/table-row.js";
import { awsTestClientConfig } from "../../env/aws.js";
import { readIcebergTable, writeSampleRowsWithPyiceberg } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { readManifestsWithPyiceberg } from "./pyiceberg-manifests.js";

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

function textOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("utf8");
}

/** Rows of iceberg_tool.py's sample schema: id, name, score, payload, at, tags. */
function sampleRows(firstId: number, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, offset) => ({
    id: BigInt(firstId + offset),
    name: `row-${firstId + offset}`,
    score: (firstId + offset) / 4,
    payload: Uint8Array.of(offset, 0, 255),
    at: BigInt(Date.parse("2026-01-01T00:00:00Z")) * 1000n + BigInt(firstId + offset),
    tags: ["ours", `t${offset}`],
  }));
}

describe("a table pyiceberg wrote", () => {
  const endpoint = testEnvironment().awsEndpoint;
  const s3 = new S3Client(awsTestClientConfig(endpoint));
  const store = createS3ObjectStore({ client: s3 });
  const bucket = uniqueName("iceberg-pyi");
  const database = uniqueName("pyiceberg_written").replaceAll("-", "_");
  const table = "samples";
  const location = `s3://${bucket}/${database}/${table}`;
  let metadataLocation: string;
  let base: TableMetadata;

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await writeSampleRowsWithPyiceberg({ endpoint, database, table, location, firstId: 0, count: 3 });
    metadataLocation = (await writeSampleRowsWithPyiceberg({ endpoint, database, table, location, firstId: 100, count: 2 }))["metadata-location"];
    base = parseTableMetadata(textOf(await store.get(metadataLocation)), metadataLocation);
  });
  afterAll(() => s3.destroy());

  it("has manifests our reader reads as pyiceberg does", async () => {
    const expected = await readManifestsWithPyiceberg(metadataLocation, endpoint);
    const current = base.snapshots.find((snapshot) => snapshot["snapshot-id"] === base["current-snapshot-id"]);
    const manifests = await readManifestList(await store.get(current?.["manifest-list"] ?? ""));
    expect(
      manifests.map((manifest) => [manifest.manifestPath, manifest.manifestLength, manifest.partitionSpecId, manifest.sequenceNumber, manifest.minSequenceNumber, String(manifest.addedSnapshotId), manifest.addedFilesCount, manifest.addedRowsCount]),
    ).toEqual(
      expected.manifests.map((manifest) => [manifest.path, manifest.length, manifest["partition-spec-id"], manifest["sequence-number"], manifest["min-sequence-number"], String(manifest["added-snapshot-id"]), manifest["added-files-count"], manifest["added-rows-count"]]),
    );

    for (const [index, manifest] of manifests.entries()) {
      const { entries } = await readManifest(await store.get(manifest.manifestPath), manifest.manifestPath);
      const theirs = expected.manifests[index]?.entries ?? [];
      expect(
        withInheritedValues(entries, manifest).map((entry) => ({
          status: entry.status.toUpperCase(),
          "snapshot-id": String(entry.snapshotId),
          "sequence-number": entry.sequenceNumber,
          "file-sequence-number": entry.fileSequenceNumber,
          "file-path": entry.dataFile.filePath,
          "file-format": entry.dataFile.fileFormat,
          "record-count": entry.dataFile.recordCount,
          "file-size-in-bytes": entry.dataFile.fileSizeInBytes,
          "value-counts": Object.fromEntries(Object.entries(entry.dataFile.metrics.valueCounts).map(([id, count]) => [id, count])),
          "lower-bounds": Object.fromEntries(Object.entries(entry.dataFile.metrics.lowerBounds).map(([id, bound]) => [id, base64(bound)])),
        })),
      ).toEqual(
        theirs.map((entry) => ({
          status: entry.status,
          "snapshot-id": String(entry["snapshot-id"]),
          "sequence-number": entry["sequence-number"],
          "file-sequence-number": entry["file-sequence-number"],
          "file-path": entry["file-path"],
          "file-format": entry["file-format"],
          "record-count": entry["record-count"],
          "file-size-in-bytes": entry["file-size-in-bytes"],
          "value-counts": entry["value-counts"],
          "lower-bounds": entry["lower-bounds"],
        })),
      );
    }
  });

  it("takes our append, merged with its manifests, and shows both writers' rows", async () => {
    const schema = base.schemas.find((candidate) => candidate["schema-id"] === base["current-schema-id"]) as IcebergSchema;
    // writeDataFile shreds any schema's rows by column name; the sample table's rows are not
    // the export table's TableRow, which is only the parameter's declared type.
    const content = writeDataFile(schema, sampleRows(200, 3) as unknown as TableRow[]);
    const dataFile = `${location}/data/ours-${randomUUID()}.parquet`;
    await store.put(dataFile, content.bytes);

    const snapshotId = randomBytes(8).readBigUInt64BE() >> 1n;
    const append = await produceFastAppend(base, {
      dataFiles: [{ location: dataFile, fileSizeBytes: content.bytes.length, recordCount: content.recordCount, partitionSpecId: 0, partitionValues: {}, metrics: content.metrics }],
      snapshotId,
      summaryProperties: { "kafka-iceberg-export.commit-id": "after-pyiceberg" },
      objectStore: store,
      manifestLocation: (name) => `${location}/metadata/${name}`,
      manifestListLocation: (name) => `${location}/metadata/${name}`,
      nowMs: Date.now(),
      manifestMergeThreshold: 1,
    });
    const next = applyTableUpdates(base, append.updates, append.requirements, { nowMs: Date.now(), metadataLocationOfBase: metadataLocation });
    const nextLocation = `${location}/metadata/99999-${randomUUID()}.metadata.json`;
    await store.put(nextLocation, Buffer.from(serializeTableMetadata(next)), { ifAbsent: true });

    const readout = await readIcebergTable({ catalog: "metadata-file", metadataLocation: nextLocation, endpoint });
    expect(readout.rows.map((row) => Number(row["id"])).sort((left, right) => left - right)).toEqual([0, 1, 2, 100, 101, 200, 201, 202]);
    expect(readout.rows.find((row) => row["id"] === 201)).toEqual({
      id: 201,
      name: "row-201",
      score: 50.25,
      payload: Buffer.from([1, 0, 255]).toString("base64"),
      at: "2026-01-01T00:00:00.000201+00:00",
      tags: ["ours", "t1"],
    });
    expect(readout.snapshots.map((snapshot) => snapshot["sequence-number"])).toEqual([1, 2, 3]);
    expect(String(readout.snapshots[2]?.["parent-snapshot-id"])).toBe(String(base["current-snapshot-id"]));
    expect(readout.snapshots[2]?.summary).toMatchObject({ "added-records": "3", "total-records": "8", "total-data-files": "3", "kafka-iceberg-export.commit-id": "after-pyiceberg" });

    const { manifests } = await readManifestsWithPyiceberg(nextLocation, endpoint);
    expect(manifests).toHaveLength(2);
    expect(manifests.flatMap((manifest) => manifest.entries.map((entry) => [entry.status, entry["sequence-number"], entry["record-count"]])).sort()).toEqual([
      ["ADDED", 3, 3],
      ["EXISTING", 1, 3],
      ["EXISTING", 2, 2],
    ]);
  });
});
