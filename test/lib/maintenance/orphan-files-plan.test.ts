import { describe, expect, it } from "vitest";
import { comparableLocation, planOrphanFiles } from "../../../lib/maintenance/orphan-files-plan.js";

const object = (location: string, lastModifiedMs: number) => ({ location, sizeBytes: 10, lastModifiedMs });

describe("planning orphan removal", () => {
  it("takes files nothing references that are older than the safety age, never the catalog's pointer", () => {
    const objects = [
      object("s3://b/t/data/a.parquet", 100),
      object("s3://b/t/data/b.parquet", 100),
      object("s3://b/t/data/new.parquet", 1_000),
      object("s3://b/t/metadata/version-hint.text", 100),
      object("s3://b/t/metadata/snap-1.avro", 100),
    ];
    const orphans = planOrphanFiles({ objects, referenced: new Set(["s3://b/t/data/a.parquet", "s3://b/t/metadata/snap-1.avro"]), olderThanMs: 500 });
    expect(orphans.map((orphan) => orphan.location)).toEqual(["s3://b/t/data/b.parquet"]);
  });

  it("knows a file by any of its spellings: s3a/s3n for s3, file URIs for paths", () => {
    const objects = [object("s3://b/t/data/a.parquet", 1), object("/w/t/data/c d.parquet", 1)];
    const referenced = new Set(["s3a://b/t/data/a.parquet", "file:///w/t/data/c%20d.parquet"]);
    expect(planOrphanFiles({ objects, referenced, olderThanMs: 500 })).toEqual([]);
    expect(comparableLocation("s3n://b/k")).toBe("s3://b/k");
  });
});
