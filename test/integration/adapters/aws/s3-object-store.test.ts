import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { ExportError, UnavailableError } from "../../../../lib/core/errors.js";
import { createS3ObjectStore } from "../../../../lib/adapters/aws/s3-object-store.js";
import { awsTestClientConfig } from "../../../env/aws.js";
import { testEnvironment } from "../../../env/test-environment.js";
import { uniqueName } from "../../../env/unique-name.js";
import { objectStoreContract } from "../../../contracts/object-store-contract.js";
import { closedPortEndpoint } from "./closed-port.js";

const s3 = new S3Client(awsTestClientConfig(testEnvironment().awsEndpoint));
afterAll(() => s3.destroy());

async function newBucket(): Promise<string> {
  const bucket = uniqueName("object-store");
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

// A small page size makes the contract's paging test cross several ListObjectsV2 pages.
objectStoreContract("S3 object store", async () => {
  const bucket = await newBucket();
  return { store: createS3ObjectStore({ client: s3, listPageSize: 7 }), location: (key) => `s3://${bucket}/${key}`, objectsSpanningPages: 25 };
});

describe("S3 object store", () => {
  it("lists more than S3's default page of 1000 keys", async () => {
    const bucket = await newBucket();
    const store = createS3ObjectStore({ client: s3 });
    const locations = Array.from({ length: 1_005 }, (_, index) => `s3://${bucket}/data/${index.toString().padStart(4, "0")}.parquet`);
    const pending = [...locations];
    async function writer(): Promise<void> {
      for (let location = pending.pop(); location !== undefined; location = pending.pop()) await store.put(location, new Uint8Array([1]));
    }
    await Promise.all(Array.from({ length: 16 }, writer));
    expect(await store.list(`s3://${bucket}/data/`)).toEqual(locations);
  });

  it("lists a whole bucket from s3://bucket/", async () => {
    const bucket = await newBucket();
    const store = createS3ObjectStore({ client: s3 });
    await store.put(`s3://${bucket}/a`, new Uint8Array([1]));
    await store.put(`s3://${bucket}/b/c`, new Uint8Array([2]));
    expect(await store.list(`s3://${bucket}/`)).toEqual([`s3://${bucket}/a`, `s3://${bucket}/b/c`]);
  });

  it("refuses a location that is not s3://bucket/key", async () => {
    const store = createS3ObjectStore({ client: s3 });
    for (const location of ["/tmp/warehouse/a", "s3a://bucket/key", "s3://bucket", "s3://bucket/"]) {
      await expect(store.get(location)).rejects.toMatchObject({ code: "INTERNAL", message: expect.stringContaining(location) as unknown });
    }
  });

  it("reports a missing bucket as a non-retryable failure, not as a missing object", async () => {
    const store = createS3ObjectStore({ client: s3 });
    const read = store.get(`s3://${uniqueName("no-such-bucket")}/key`);
    await expect(read).rejects.toBeInstanceOf(ExportError);
    await expect(read).rejects.toMatchObject({ code: "INTERNAL", retryable: false });
  });

  it("reports an unreachable S3 as retryable STORAGE_UNAVAILABLE naming the operation and location", async () => {
    const unreachable = new S3Client({ ...awsTestClientConfig(await closedPortEndpoint()), maxAttempts: 1 });
    try {
      const store = createS3ObjectStore({ client: unreachable });
      const read = store.get("s3://warehouse/sales/orders/metadata/1.metadata.json");
      await expect(read).rejects.toBeInstanceOf(UnavailableError);
      await expect(read).rejects.toMatchObject({
        code: "STORAGE_UNAVAILABLE",
        retryable: true,
        message: expect.stringMatching(/GetObject s3:\/\/warehouse\/sales\/orders\/metadata\/1\.metadata\.json.*ECONNREFUSED/) as unknown,
      });
      await expect(store.put("s3://warehouse/x", new Uint8Array(), { ifAbsent: true })).rejects.toMatchObject({ retryable: true });
      await expect(store.list("s3://warehouse/")).rejects.toMatchObject({ retryable: true });
    } finally {
      unreachable.destroy();
    }
  });
});
