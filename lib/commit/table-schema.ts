// The table's schema follows the schema state (SPEC.md §3): when the state's schema is not
// the table's current one, the commit that follows adds it (or makes an equal older schema
// current again) and refreshes the name mapping, in the same metadata update as the append.
import { isDeepStrictEqual } from "node:util";
import { nameMappingOf, nameMappingProperty } from "../iceberg/name-mapping.js";
import { exportPartitionSpec } from "../iceberg/partitioning.js";
import { newTableMetadata } from "../iceberg/new-table-metadata.js";
import { exportTableMaintenanceProperties } from "../iceberg/table-properties.js";
import type { TableMetadata } from "../iceberg/table-metadata.js";
import type { TableUpdate } from "../iceberg/table-updates.js";
import type { IcebergSchema } from "../iceberg/types.js";
import type { TopicExport } from "../state/state-store.js";

/** Updates that make `schema` the table's current schema; none when it already is. */
export function schemaUpdatesFor(metadata: TableMetadata, schema: IcebergSchema): TableUpdate[] {
  const current = metadata.schemas.find((candidate) => candidate["schema-id"] === metadata["current-schema-id"]);
  if (current !== undefined && isDeepStrictEqual(current.fields, schema.fields)) return [];
  const equal = metadata.schemas.find((candidate) => isDeepStrictEqual(candidate.fields, schema.fields));
  const mapping: TableUpdate = { action: "set-properties", updates: { [nameMappingProperty]: nameMappingOf(schema) } };
  if (equal !== undefined) return [{ action: "set-current-schema", "schema-id": equal["schema-id"] }, mapping];
  // The table numbers its own schemas: another engine may have added some of its own.
  const schemaId = Math.max(-1, ...metadata.schemas.map((candidate) => candidate["schema-id"])) + 1;
  return [{ action: "add-schema", schema: { ...schema, "schema-id": schemaId } }, { action: "set-current-schema", "schema-id": -1 }, mapping];
}

/** The table property naming the topic a table was created for. */
export const topicProperty = "kafka-iceberg-export.topic";

export interface ExportTableOptions {
  tableUuid: string;
  nowMs: number;
}

/** A new export table: the topic's location, the state's schema, partitioned by `timestamp` as configured. */
export function exportTableMetadata(topicExport: TopicExport, schema: IcebergSchema, options: ExportTableOptions): TableMetadata {
  return newTableMetadata({
    location: topicExport.tableLocation,
    schema,
    partitionSpec: exportPartitionSpec(topicExport.partitioning, schema),
    properties: {
      [nameMappingProperty]: nameMappingOf(schema),
      "write.format.default": "parquet",
      "write.parquet.compression-codec": "snappy",
      [topicProperty]: topicExport.topic,
      ...exportTableMaintenanceProperties(),
    },
    tableUuid: options.tableUuid,
    nowMs: options.nowMs,
  });
}
