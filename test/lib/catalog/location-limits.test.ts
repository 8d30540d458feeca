import { describe, expect, it } from "vitest";
import { maxBytesBelowTableLocation, stagedFileKeyProblem, tableLocationProblem } from "../../../lib/catalog/location-limits.js";

describe("whether a table location can hold the table's files", () => {
  it("accepts ordinary S3 and local locations, and a 249-character table name", () => {
    expect(tableLocationProblem("s3://bucket/warehouse/kafka/orders")).toBeUndefined();
    expect(tableLocationProblem(`s3://bucket/warehouse/kafka/${"t".repeat(249)}`)).toBeUndefined();
    expect(tableLocationProblem(`/tmp/warehouse/kafka/${"t".repeat(255)}`)).toBeUndefined();
  });

  it("refuses an S3 prefix that leaves too little of the 1024-byte key for the files under it", () => {
    const key = "p".repeat(1024 - maxBytesBelowTableLocation);
    expect(tableLocationProblem(`s3://bucket/${key}`)).toBeUndefined();
    expect(tableLocationProblem(`s3://bucket/${key}x`)).toMatch(/S3 key prefix is 769 bytes .* 1024-byte limit of an S3 key/);
    // Bytes, not characters: é is two.
    expect(tableLocationProblem(`s3://bucket/${"é".repeat(400)}`)).toMatch(/800 bytes/);
  });

  it("refuses a local folder name over 255 bytes and a path over the file system's limit", () => {
    expect(tableLocationProblem(`/tmp/kafka/${"t".repeat(256)}`)).toMatch(/256 bytes, over the file system's 255-byte limit of a name/);
    const deep = `/${Array.from({ length: 40 }, () => "f".repeat(100)).join("/")}`;
    expect(tableLocationProblem(deep)).toMatch(/limit of a path/);
  });

  it("refuses a topic and location whose staged-file key would pass DynamoDB's 1024 bytes, and takes the longest topic at an ordinary location", () => {
    const topic = "t".repeat(249);
    expect(stagedFileKeyProblem(topic, `s3://bucket/warehouse/kafka/${"t".repeat(249)}`)).toBeUndefined();
    expect(stagedFileKeyProblem(topic, `s3://bucket/${"p".repeat(500)}`)).toMatch(/up to 1081 bytes here, over DynamoDB's 1024-byte limit of a sort key/);
  });
});
