import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsTestClientConfig } from "../../env/aws.js";
import { uniqueName } from "../../env/unique-name.js";
import { testEnvironment } from "../../env/test-environment.js";

describe("S3 on the moto server", () => {
  const s3 = new S3Client(awsTestClientConfig(testEnvironment().awsEndpoint));
  const bucket = uniqueName("env-s3");

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(() => s3.destroy());

  async function readObject(key: string): Promise<Buffer> {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (Body === undefined) throw new Error(`s3://${bucket}/${key} has no body`);
    return Buffer.from(await Body.transformToByteArray());
  }

  it("writes an object and reads the same bytes back", async () => {
    const body = Buffer.from([0, 1, 2, 250, 251, 252]);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "data/part-0.bin", Body: body }));
    expect(await readObject("data/part-0.bin")).toEqual(body);
  });

  it("refuses a create-only write (If-None-Match: *) over an existing object", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "metadata/v1.json", Body: "first", IfNoneMatch: "*" }));
    const second = s3.send(new PutObjectCommand({ Bucket: bucket, Key: "metadata/v1.json", Body: "second", IfNoneMatch: "*" }));
    await expect(second).rejects.toBeInstanceOf(S3ServiceException);
    await expect(second).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    expect((await readObject("metadata/v1.json")).toString("utf8")).toBe("first");
  });
});
