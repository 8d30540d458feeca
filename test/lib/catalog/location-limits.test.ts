import { describe, expect, it } from "vitest";
import { maxBytesBelowTableLocation, tableLocationProblem } from "../../../lib/catalog/location-limits.js";

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
});
