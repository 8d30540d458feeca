// The metadata of a new table (spec, "Table Metadata", format version 2): one schema, one
// partition spec, the unsorted order, no snapshot yet. Field ids are taken as given: they
// were allocated once and are persisted with the table's schema state (SPEC.md §3).
import { ExportError } from "../core/errors.js";
import { highestFieldId, structFieldById } from "./field-ids.js";
import type { PartitionSpec } from "./partitioning.js";
import type { TableMetadata } from "./table-metadata.js";
import type { IcebergSchema } from "./types.js";

export interface NewTableOptions {
  location: string;
  schema: IcebergSchema;
  partitionSpec: PartitionSpec;
  properties?: Record<string, string>;
  tableUuid: string;
  nowMs: number;
}

/** Spec, "Partition Specs": partition field ids start at 1000, so an unpartitioned table's last one is 999. */
const noPartitionFieldId = 999;

export function newTableMetadata(options: NewTableOptions): TableMetadata {
  const { location, schema, partitionSpec, properties = {}, tableUuid, nowMs } = options;
  for (const field of partitionSpec.fields) {
    const source = structFieldById(schema.fields, field["source-id"]);
    if (source === undefined || typeof source.type !== "string") {
      throw new ExportError("INTERNAL", `partition field ${field.name}: the schema has no primitive column ${field["source-id"]} outside lists and maps`);
    }
  }
  return {
    "format-version": 2,
    "table-uuid": tableUuid,
    location: location.replace(/\/+$/, ""),
    "last-sequence-number": 0,
    "last-updated-ms": nowMs,
    "last-column-id": highestFieldId(schema),
    schemas: [schema],
    "current-schema-id": schema["schema-id"],
    "partition-specs": [partitionSpec],
    "default-spec-id": partitionSpec["spec-id"],
    "last-partition-id": Math.max(noPartitionFieldId, ...partitionSpec.fields.map((field) => field["field-id"])),
    properties: { ...properties },
    snapshots: [],
    "snapshot-log": [],
    "metadata-log": [],
    "sort-orders": [{ "order-id": 0, fields: [] }],
    "default-sort-order-id": 0,
    refs: {},
  };
}
