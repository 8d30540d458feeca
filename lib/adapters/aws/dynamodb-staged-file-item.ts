// A StagedFile as a state table item: one attribute per field, metrics as maps keyed by
// field id, bounds as binary (B), offsets as N, so that everything reads back exactly.
import type { DataFileMetrics } from "../../iceberg/metrics.js";
import type { StagedFile } from "../../state/state-store.js";
import {
  attributeReader,
  bigintValue,
  integerValue,
  mapValue,
  nullableIntegerValue,
  numberKeyedRecord,
  type AttributeReader,
  type Attributes,
} from "./dynamodb-attributes.js";
import { describeItem, stagedFileKey } from "./dynamodb-state-keys.js";

/** Commit marks files otherwise; only `staged` ones are waiting. */
export const stagedStatus = "staged";

export function stagedFileItem(file: StagedFile): Attributes {
  return {
    ...stagedFileKey(file),
    status: { S: stagedStatus },
    table: { S: file.table },
    location: { S: file.location },
    fileSizeBytes: integerValue(file.fileSizeBytes),
    recordCount: integerValue(file.recordCount),
    partitionSpecId: integerValue(file.partitionSpecId),
    partitionValues: mapValue(file.partitionValues, nullableIntegerValue),
    metrics: metricsValue(file.metrics),
    topic: { S: file.topic },
    partition: integerValue(file.partition),
    firstOffset: bigintValue(file.firstOffset),
    lastOffset: bigintValue(file.lastOffset),
    schemaId: integerValue(file.schemaId),
    stagedAt: integerValue(file.stagedAt),
  };
}

export function stagedFileFromItem(item: Attributes): StagedFile {
  const read = attributeReader(item, describeItem(item));
  const partitionValues = read.map("partitionValues");
  return {
    table: read.string("table"),
    location: read.string("location"),
    fileSizeBytes: read.integer("fileSizeBytes"),
    recordCount: read.integer("recordCount"),
    partitionSpecId: read.integer("partitionSpecId"),
    partitionValues: Object.fromEntries(partitionValues.names().map((name) => [name, partitionValues.nullableInteger(name)])),
    metrics: metricsFrom(read.map("metrics")),
    topic: read.string("topic"),
    partition: read.integer("partition"),
    firstOffset: read.bigint("firstOffset"),
    lastOffset: read.bigint("lastOffset"),
    schemaId: read.integer("schemaId"),
    stagedAt: read.integer("stagedAt"),
  };
}

function metricsValue(metrics: DataFileMetrics): Attributes[string] {
  return {
    M: {
      columnSizes: mapValue(metrics.columnSizes, integerValue),
      valueCounts: mapValue(metrics.valueCounts, integerValue),
      nullValueCounts: mapValue(metrics.nullValueCounts, integerValue),
      nanValueCounts: mapValue(metrics.nanValueCounts, integerValue),
      lowerBounds: mapValue(metrics.lowerBounds, (bound) => ({ B: bound })),
      upperBounds: mapValue(metrics.upperBounds, (bound) => ({ B: bound })),
    },
  };
}

function metricsFrom(read: AttributeReader): DataFileMetrics {
  const counts = (name: string): Record<number, number> => {
    const map = read.map(name);
    return numberKeyedRecord(map, (id) => map.integer(id));
  };
  const bounds = (name: string): Record<number, Uint8Array> => {
    const map = read.map(name);
    return numberKeyedRecord(map, (id) => map.bytes(id));
  };
  return {
    columnSizes: counts("columnSizes"),
    valueCounts: counts("valueCounts"),
    nullValueCounts: counts("nullValueCounts"),
    nanValueCounts: counts("nanValueCounts"),
    lowerBounds: bounds("lowerBounds"),
    upperBounds: bounds("upperBounds"),
  };
}
