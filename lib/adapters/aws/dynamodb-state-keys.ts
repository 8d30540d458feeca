// The single-table layout of the state table (infra/storage.yml: pk hash, sk range).
// Numbers inside sort keys are zero-padded so that string order is numeric order: a
// table's staged files come back from a Query grouped by topic-partition, oldest offset first.
// A batch writes one file per table partition it touches, all with the same offset range;
// they are staged as one "staged batch" item keyed by that range (dynamodb-staged-batch-item.ts),
// whose file list, when too big for one item (400 KB), lives in "staged part" items written
// before the batch item and read only through it.
//
// Topic exports share one partition key so that listing them is one Query, not a Scan.
// The commit lease has a partition key of its own: IAM can restrict a function's requests
// by partition key only (dynamodb:LeadingKeys, deploy/iam-policies.ts), and ingest, which
// writes under `table#`, must not be able to take or drop a lease.
//
//   pk                      sk                                                        item
//   exports                 store                                                     store marker: id, createdAt
//   exports                 topic#<topic>                                             TopicExport
//   topic#<topic>           partition#<partition:10>                                  stagedWatermark, committedOffset
//   table#<namespace.name>  schema                                                    schema state + version
//   table#<namespace.name>  staged#<topic>#<partition:10>#<firstOffset:20>             staged batch: its files, or how many parts hold them
//   table#<namespace.name>  stagedpart#<topic>#<partition:10>#<firstOffset:20>#<batchId>#<part:5>  one part of a big batch's file list
//   lease#<namespace.name>  lease                                                     commit lease: owner, expiresAt
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { ExportError } from "../../core/errors.js";

export type StateKey = Record<"pk" | "sk", AttributeValue>;

export const stagedSortKeyPrefix = "staged#";

export const topicExportsPartitionKey = "exports";
export const topicExportSortKeyPrefix = "topic#";

/** The partition key of each item kind, also what deploy/iam-policies.ts grants by. */
export const partitionKeyPrefixes = { topic: "topic#", table: "table#", lease: "lease#" } as const;

export function topicExportKey(topic: string): StateKey {
  return stateKey(topicExportsPartitionKey, `${topicExportSortKeyPrefix}${topic}`);
}

/** Under the topic exports' partition key, which ingest may read (SPEC.md §2.6). */
export function storeMarkerKey(): StateKey {
  return stateKey(topicExportsPartitionKey, "store");
}

export function commitLeaseKey(table: string): StateKey {
  return stateKey(`${partitionKeyPrefixes.lease}${table}`, "lease");
}

export function partitionProgressKey(topic: string, partition: number): StateKey {
  return stateKey(`${partitionKeyPrefixes.topic}${topic}`, `partition#${padded(partition, 10)}`);
}

export function schemaStateKey(table: string): StateKey {
  return stateKey(tablePartitionKey(table), "schema");
}

export const stagedPartSortKeyPrefix = "stagedpart#";

/** Names a staged batch: the files of one stage request of one table share it. */
export interface StagedBatchName {
  table: string;
  topic: string;
  partition: number;
  firstOffset: bigint;
}

export function stagedBatchKey(batch: StagedBatchName): StateKey {
  return stateKey(tablePartitionKey(batch.table), `${stagedSortKeyPrefix}${batchSortKeyBody(batch)}`);
}

/** Every part of one batch written by one attempt (`batchId`); without it, of every attempt. */
export function stagedPartsPrefix(batch: StagedBatchName, batchId?: string): string {
  return `${stagedPartSortKeyPrefix}${batchSortKeyBody(batch)}#${batchId === undefined ? "" : `${batchId}#`}`;
}

export function stagedPartKey(batch: StagedBatchName, batchId: string, part: number): StateKey {
  return stateKey(tablePartitionKey(batch.table), `${stagedPartsPrefix(batch, batchId)}${padded(part, 5)}`);
}

function batchSortKeyBody(batch: StagedBatchName): string {
  return `${batch.topic}#${padded(batch.partition, 10)}#${padded(batch.firstOffset, 20)}`;
}

export function tablePartitionKey(table: string): string {
  return `${partitionKeyPrefixes.table}${table}`;
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
