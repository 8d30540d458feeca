import { describe, expect, it } from "vitest";
import { parseTableMetadata, serializeTableMetadata } from "../../../lib/iceberg/metadata-json.js";
import { newTableMetadata } from "../../../lib/iceberg/new-table-metadata.js";
import { timestampPartitionSpec } from "../../../lib/iceberg/partitioning.js";
import { daySpec, exportSchema } from "./iceberg-fixtures.js";

const options = { location: "s3://warehouse/db/orders/", schema: exportSchema, partitionSpec: daySpec, tableUuid: "0b4e8b6c-3f5e-4a43-9d8c-5d2b3a6c1f00", nowMs: 1_764_000_000_000 };

describe("new table metadata", () => {
  it("is format v2 with the schema, the spec, the unsorted order and no snapshot", () => {
    expect(newTableMetadata({ ...options, properties: { "write.format.default": "parquet" } })).toEqual({
      "format-version": 2,
      "table-uuid": options.tableUuid,
      location: "s3://warehouse/db/orders",
      "last-sequence-number": 0,
      "last-updated-ms": options.nowMs,
      // The highest id of the schema is the headers' element's value field, nested in a list.
      "last-column-id": 11,
      schemas: [exportSchema],
      "current-schema-id": 0,
      "partition-specs": [daySpec],
      "default-spec-id": 0,
      "last-partition-id": 1000,
      properties: { "write.format.default": "parquet" },
      snapshots: [],
      "snapshot-log": [],
      "metadata-log": [],
      "sort-orders": [{ "order-id": 0, fields: [] }],
      "default-sort-order-id": 0,
      refs: {},
    });
  });

  it("has last-partition-id 999 when unpartitioned", () => {
    expect(newTableMetadata({ ...options, partitionSpec: timestampPartitionSpec("none", 4) })["last-partition-id"]).toBe(999);
  });

  it("survives a round trip through metadata.json", () => {
    const metadata = newTableMetadata(options);
    expect(parseTableMetadata(serializeTableMetadata(metadata))).toEqual(metadata);
  });

  it("refuses a partition spec whose source column the schema does not have", () => {
    expect(() => newTableMetadata({ ...options, partitionSpec: timestampPartitionSpec("day", 99) })).toThrow("partition field timestamp_day: the schema has no primitive column 99");
  });
});
