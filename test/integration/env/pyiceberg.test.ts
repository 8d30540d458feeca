import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsTestClientConfig } from "../../env/aws.js";
import { uniqueName } from "../../env/unique-name.js";
import { readIcebergTable, writeSampleRowsWithPyiceberg } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";

// Proves the reader path before our writer exists: pyiceberg writes a table into the
// moto Glue catalog, and the helper the other tests use reads it back.
describe("the pyiceberg reader helper", () => {
  const endpoint = testEnvironment().awsEndpoint;
  const s3 = new S3Client(awsTestClientConfig(endpoint));
  const bucket = uniqueName("env-warehouse");
  const database = uniqueName("env_iceberg").replaceAll("-", "_");

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(() => s3.destroy());

  it("reads back the schema, snapshots and rows of a table pyiceberg wrote into Glue", async () => {
    const table = "samples";
    const location = `s3://${bucket}/${database}/${table}`;
    await writeSampleRowsWithPyiceberg({ endpoint, database, table, location, firstId: 0, count: 3 });
    await writeSampleRowsWithPyiceberg({ endpoint, database, table, location, firstId: 100, count: 2 });

    const readout = await readIcebergTable({ catalog: "glue", endpoint, database, table });

    expect(readout["format-version"]).toBe(2);
    expect(readout.location).toBe(location);
    const schema = readout.schemas.find((candidate) => candidate["schema-id"] === readout["current-schema-id"]);
    expect(schema?.fields.map((field) => [field.id, field.name, field.type])).toEqual([
      [1, "id", "long"],
      [2, "name", "string"],
      [3, "score", "double"],
      [4, "payload", "binary"],
      [5, "at", "timestamptz"],
      [6, "tags", { type: "list", "element-id": 7, "element-required": false, element: "string" }],
    ]);

    expect(readout.snapshots).toHaveLength(2);
    const [first, second] = readout.snapshots;
    expect(second?.["parent-snapshot-id"]).toBe(first?.["snapshot-id"]);
    expect(second?.summary).toMatchObject({ operation: "append", "added-records": "2", "total-records": "5" });
    expect(readout["data-files"].map((file) => file["record-count"]).sort()).toEqual([2, 3]);

    const rows = [...readout.rows].sort((a, b) => Number(a["id"]) - Number(b["id"]));
    expect(rows.map((row) => row["id"])).toEqual([0, 1, 2, 100, 101]);
    expect(rows[0]).toEqual({
      id: 0,
      name: "row-0",
      score: 0,
      payload: Buffer.from([0, 0, 255]).toString("base64"),
      at: "2026-01-01T00:00:00.000000+00:00",
      tags: ["a", "t0"],
    });
    expect(rows[4]).toMatchObject({ id: 101, name: "row-101", score: 25.25, tags: [], at: "2026-01-01T00:00:00.000101+00:00" });
  });
});
