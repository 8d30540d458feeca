// The commit side of the state table: the per-table commit lease, and the bookkeeping
// after a commit (staged batch items and their parts deleted, committed offsets raised).
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { CommitLeaseRequest, StagedFile } from "../../state/state-store.js";
import { awsErrorName, awsFailure } from "./aws-errors.js";
import { attributeReader, bigintValue, integerValue, type Attributes } from "./dynamodb-attributes.js";
import { commitLeaseKey, describeItem, partitionProgressKey, stagedBatchKey, stagedPartsPrefix, tablePartitionKey, type StagedBatchName } from "./dynamodb-state-keys.js";
import { inBatches } from "./in-batches.js";

export interface CommitBookkeepingOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Every item of a partition key whose sort key starts with a prefix (the store's paged Query). */
  queryPrefix: (partitionKey: string, prefix: string, what: string) => Promise<Attributes[]>;
}

export function createCommitBookkeeping(options: CommitBookkeepingOptions) {
  const { client, tableName, queryPrefix } = options;

  async function acquireCommitLease(table: string, request: CommitLeaseRequest): Promise<boolean> {
    const key = commitLeaseKey(table);
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...key, owner: { S: request.owner }, expiresAt: integerValue(request.nowMs + request.durationMs) },
          ConditionExpression: "attribute_not_exists(#pk) OR #expiresAt < :now OR #owner = :owner",
          ExpressionAttributeNames: { "#pk": "pk", "#expiresAt": "expiresAt", "#owner": "owner" },
          ExpressionAttributeValues: { ":now": integerValue(request.nowMs), ":owner": { S: request.owner } },
        }),
      );
      return true;
    } catch (error) {
      if (awsErrorName(error) === "ConditionalCheckFailedException") return false;
      throw awsFailure(`DynamoDB PutItem ${describeItem(key)} in ${tableName}`, error);
    }
  }

  async function releaseCommitLease(table: string, owner: string): Promise<void> {
    const key = commitLeaseKey(table);
    try {
      await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: key,
          ConditionExpression: "#owner = :owner",
          ExpressionAttributeNames: { "#owner": "owner" },
          ExpressionAttributeValues: { ":owner": { S: owner } },
        }),
      );
    } catch (error) {
      // Expired and taken by another committer meanwhile: theirs now, not ours to release.
      if (awsErrorName(error) === "ConditionalCheckFailedException") return;
      throw awsFailure(`DynamoDB DeleteItem ${describeItem(key)} in ${tableName}`, error);
    }
  }

  // A commit takes every file it read, so it hands over whole batches: each file's batch item
  // goes, and with it the parts of every attempt at that batch (an attempt that lost may
  // have left some). The batch item goes first: parts without it are never read.
  async function markCommitted(_table: string, files: readonly StagedFile[]): Promise<void> {
    await inBatches(batchesOf(files), async (batch) => {
      const hadParts = await deleteBatchItem(batch);
      if (hadParts) await deleteParts(batch);
    });
    for (const [partitionKey, offset] of highestOffsets(files)) await raiseCommittedOffset(partitionKey.topic, partitionKey.partition, offset);
  }

  async function deleteBatchItem(batch: StagedBatchName): Promise<boolean> {
    const key = stagedBatchKey(batch);
    try {
      const { Attributes: old } = await client.send(new DeleteItemCommand({ TableName: tableName, Key: key, ReturnValues: "ALL_OLD" }));
      return old?.["batchId"] !== undefined;
    } catch (error) {
      throw awsFailure(`DynamoDB DeleteItem ${describeItem(key)} in ${tableName}`, error);
    }
  }

  async function deleteParts(batch: StagedBatchName): Promise<void> {
    const parts = await queryPrefix(tablePartitionKey(batch.table), stagedPartsPrefix(batch), `the staged parts of ${describeItem(stagedBatchKey(batch))}`);
    await inBatches(parts, async (part) => {
      const key = { pk: part["pk"] as Attributes[string], sk: part["sk"] as Attributes[string] };
      try {
        await client.send(new DeleteItemCommand({ TableName: tableName, Key: key }));
      } catch (error) {
        throw awsFailure(`DynamoDB DeleteItem ${describeItem(key)} in ${tableName}`, error);
      }
    });
  }

  async function raiseCommittedOffset(topic: string, partition: number, offset: bigint): Promise<void> {
    const key = partitionProgressKey(topic, partition);
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: "SET #committed = :offset",
          ConditionExpression: "attribute_not_exists(#committed) OR #committed < :offset",
          ExpressionAttributeNames: { "#committed": "committedOffset" },
          ExpressionAttributeValues: { ":offset": bigintValue(offset) },
        }),
      );
    } catch (error) {
      if (awsErrorName(error) === "ConditionalCheckFailedException") return;
      throw awsFailure(`DynamoDB UpdateItem ${describeItem(key)} in ${tableName}`, error);
    }
  }

  async function committedOffset(topic: string, partition: number): Promise<bigint | undefined> {
    const key = partitionProgressKey(topic, partition);
    let item;
    try {
      ({ Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true })));
    } catch (error) {
      throw awsFailure(`DynamoDB GetItem ${describeItem(key)} in ${tableName}`, error);
    }
    if (item?.["committedOffset"] === undefined) return undefined;
    return attributeReader(item, describeItem(key)).bigint("committedOffset");
  }

  return { acquireCommitLease, releaseCommitLease, markCommitted, committedOffset };
}

function batchesOf(files: readonly StagedFile[]): StagedBatchName[] {
  const batches = new Map<string, StagedBatchName>();
  for (const { table, topic, partition, firstOffset } of files) batches.set(`${table}\u0000${topic}\u0000${partition}\u0000${firstOffset}`, { table, topic, partition, firstOffset });
  return [...batches.values()];
}

function highestOffsets(files: readonly StagedFile[]): Map<{ topic: string; partition: number }, bigint> {
  const byPartition = new Map<string, { key: { topic: string; partition: number }; offset: bigint }>();
  for (const file of files) {
    const id = `${file.topic}\u0000${file.partition}`;
    const known = byPartition.get(id);
    if (known === undefined || known.offset < file.lastOffset) byPartition.set(id, { key: { topic: file.topic, partition: file.partition }, offset: file.lastOffset });
  }
  return new Map([...byPartition.values()].map(({ key, offset }) => [key, offset]));
}
