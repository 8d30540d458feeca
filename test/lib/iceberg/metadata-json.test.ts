import { describe, expect, it } from "vitest";
import { parseTableMetadata, serializeTableMetadata } from "../../../lib/iceberg/metadata-json.js";

const metadataText = `{
  "format-version": 2,
  "table-uuid": "9c12d441-03fe-4693-9a96-a0705ddf69c1",
  "location": "s3://bucket/test/location",
  "last-sequence-number": 34,
  "last-updated-ms": 1602638573590,
  "last-column-id": 3,
  "current-schema-id": 0,
  "schemas": [{"type": "struct", "schema-id": 0, "fields": [{"id": 1, "name": "x", "required": true, "type": "long"}]}],
  "default-spec-id": 0,
  "partition-specs": [{"spec-id": 0, "fields": []}],
  "last-partition-id": 999,
  "default-sort-order-id": 0,
  "sort-orders": [{"order-id": 0, "fields": []}],
  "properties": {},
  "current-snapshot-id": 3055729675574597004,
  "snapshots": [
    {"snapshot-id": 3051729675574597004, "timestamp-ms": 1515100955770, "sequence-number": 0, "summary": {"operation": "append"}, "manifest-list": "s3://a/b/1.avro"},
    {"snapshot-id": 3055729675574597004, "parent-snapshot-id": 3051729675574597004, "timestamp-ms": 1555100955770, "sequence-number": 1, "summary": {"operation": "append"}, "manifest-list": "s3://a/b/2.avro", "schema-id": 0}
  ],
  "snapshot-log": [{"snapshot-id": 3051729675574597004, "timestamp-ms": 1515100955770}],
  "metadata-log": [],
  "refs": {"main": {"snapshot-id": 3055729675574597004, "type": "branch"}},
  "statistics": [{"snapshot-id": 12, "statistics-path": "s3://a/stats.puffin", "file-size-in-bytes": 413, "blob-metadata": []}]
}`;

describe("table metadata JSON", () => {
  it("keeps snapshot ids beyond 2^53 exact, as bigints", () => {
    const metadata = parseTableMetadata(metadataText);
    expect(metadata["current-snapshot-id"]).toBe(3055729675574597004n);
    expect(metadata.snapshots[1]?.["parent-snapshot-id"]).toBe(3051729675574597004n);
    expect(metadata.refs["main"]?.["snapshot-id"]).toBe(3055729675574597004n);
    expect(metadata["snapshot-log"][0]?.["snapshot-id"]).toBe(3051729675574597004n);
    expect(metadata["last-sequence-number"]).toBe(34);
  });

  it("writes the ids back digit for digit, and keeps keys it does not know", () => {
    const written = serializeTableMetadata(parseTableMetadata(metadataText));
    expect(written).toContain('"current-snapshot-id": 3055729675574597004');
    expect(written).toContain('"parent-snapshot-id": 3051729675574597004');
    expect(written).toContain('"statistics-path": "s3://a/stats.puffin"');
    expect(parseTableMetadata(written)).toEqual(parseTableMetadata(metadataText));
  });

  it("treats a current-snapshot-id of -1 as no snapshot", () => {
    const metadata = parseTableMetadata(metadataText.replace('"current-snapshot-id": 3055729675574597004', '"current-snapshot-id": -1'));
    expect(metadata["current-snapshot-id"]).toBeUndefined();
  });

  it("refuses text that is not format-version 2 metadata, naming the file", () => {
    expect(() => parseTableMetadata("{not json", "s3://b/t/metadata/00001.metadata.json")).toThrow(/s3:\/\/b\/t\/metadata\/00001\.metadata\.json is not valid JSON/);
    expect(() => parseTableMetadata('{"format-version": 1}', "m.json")).toThrow("m.json is not Iceberg table metadata of format version 2");
  });
});
