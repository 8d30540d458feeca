// A TopicExport as a state table item; start offsets are a map of partition to N, so an
// offset beyond 2^53 keeps every digit.
import { ExportError } from "../../core/errors.js";
import type { TopicExport } from "../../state/state-store.js";
import type { Partitioning } from "../../iceberg/partitioning.js";
import { attributeReader, bigintValue, mapValue, numberKeyedRecord, type Attributes } from "./dynamodb-attributes.js";
import { describeItem, topicExportKey } from "./dynamodb-state-keys.js";

const partitionings: readonly Partitioning[] = ["hour", "day", "month", "year", "none"];

export function topicExportItem(topicExport: TopicExport): Attributes {
  const item: Attributes = {
    ...topicExportKey(topicExport.topic),
    topic: { S: topicExport.topic },
    enabled: { BOOL: topicExport.enabled },
    table: { M: { namespace: { S: topicExport.table.namespace }, name: { S: topicExport.table.name } } },
    tableLocation: { S: topicExport.tableLocation },
    startOffsets: mapValue(topicExport.startOffsets, bigintValue),
    valueSubject: { S: topicExport.valueSubject },
    subjectIsExplicit: { BOOL: topicExport.subjectIsExplicit },
    partitioning: { S: topicExport.partitioning },
    updatedAt: { S: topicExport.updatedAt },
  };
  if (topicExport.messageName !== undefined) item["messageName"] = { S: topicExport.messageName };
  if (topicExport.deadLetters !== undefined) item["deadLetters"] = { BOOL: topicExport.deadLetters };
  return item;
}

export function topicExportFromItem(item: Attributes): TopicExport {
  const where = describeItem(item);
  const read = attributeReader(item, where);
  const table = read.map("table");
  const startOffsets = read.map("startOffsets");
  const partitioning = read.string("partitioning");
  if (!isPartitioning(partitioning)) throw new ExportError("INTERNAL", `state item ${where}: unknown partitioning ${JSON.stringify(partitioning)}`);
  const topicExport: TopicExport = {
    topic: read.string("topic"),
    enabled: read.boolean("enabled"),
    table: { namespace: table.string("namespace"), name: table.string("name") },
    tableLocation: read.string("tableLocation"),
    startOffsets: numberKeyedRecord(startOffsets, (partition) => startOffsets.bigint(partition)),
    valueSubject: read.string("valueSubject"),
    subjectIsExplicit: read.boolean("subjectIsExplicit"),
    partitioning,
    updatedAt: read.string("updatedAt"),
  };
  const messageName = read.optionalString("messageName");
  const deadLetters = item["deadLetters"] === undefined ? undefined : read.boolean("deadLetters");
  return { ...topicExport, ...(messageName === undefined ? {} : { messageName }), ...(deadLetters === undefined ? {} : { deadLetters }) };
}

function isPartitioning(value: string): value is Partitioning {
  return (partitionings as readonly string[]).includes(value);
}
