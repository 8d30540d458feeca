// The single-table layout of the state table (infra/storage.yml: pk hash, sk range).
// Numbers inside sort keys are zero-padded so that string order is numeric order: a
// table's staged files come back from a Query grouped by topic-partition, oldest offset first.
// A batch writes one file per table partition it touches, all with the same offset range,
// so a staged file's sort key ends with its location to tell them apart.
//
// Topic exports share one partition key so that listing them is one Query, not a Scan.
//
//   pk                      sk                                                        item
//   exports                 store                                                     store marker: id, createdAt
//   exports                 topic#<topic>                                             TopicExport
//   topic#<topic>           partition#<partition:10>                                  stagedWatermark, committedOffset
//   table#<namespace.name>  schema                                                    schema state + version
//   table#<namespace.name>  lease                                                     commit lease: owner, expiresAt
//   table#<namespace.name>  staged#<topic>#<partition:10>#<firstOffset:20>#<location>  StagedFile
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { ExportError } from "../../core/errors.js";

export type StateKey = Record<"pk" | "sk", AttributeValue>;

export const stagedSortKeyPrefix = "staged#";

export const topicExportsPartitionKey = "exports";
export const topicExportSortKeyPrefix = "topic#";

export function topicExportKey(topic: string): StateKey {
  return stateKey(topicExportsPartitionKey, `${topicExportSortKeyPrefix}${topic}`);
}

/** Under the topic exports' partition key, which ingest may read (SPEC.md §2.6). */
export function storeMarkerKey(): StateKey {
  return stateKey(topicExportsPartitionKey, "store");
}

export function commitLeaseKey(table: string): StateKey {
  return stateKey(tablePartitionKey(table), "lease");
}

export function partitionProgressKey(topic: string, partition: number): StateKey {
  return stateKey(`topic#${topic}`, `partition#${padded(partition, 10)}`);
}

export function schemaStateKey(table: string): StateKey {
  return stateKey(tablePartitionKey(table), "schema");
}

export function stagedFileKey(file: { table: string; topic: string; partition: number; firstOffset: bigint; location: string }): StateKey {
  const sortKey = `${stagedSortKeyPrefix}${file.topic}#${padded(file.partition, 10)}#${padded(file.firstOffset, 20)}#${file.location}`;
  return stateKey(tablePartitionKey(file.table), sortKey);
}

export function tablePartitionKey(table: string): string {
  return `table#${table}`;
}

/** "pk / sk", to name an item or a key in messages. */
export function describeItem(item: Record<string, AttributeValue>): string {
  return `${item["pk"]?.S ?? "?"} / ${item["sk"]?.S ?? "?"}`;
}

function stateKey(pk: string, sk: string): StateKey {
  return { pk: { S: pk }, sk: { S: sk } };
}

function padded(value: number | bigint, width: number): string {
  if (value < 0) throw new ExportError("INTERNAL", `a state key cannot hold the negative number ${value}`);
  return value.toString().padStart(width, "0");
}
