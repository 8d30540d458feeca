// The StateStore on one DynamoDB table (layout in dynamodb-state-keys.ts). Every read that
// a decision rests on is strongly consistent: an eventually consistent read could show a
// watermark or schema version that a conditional write has already replaced.
import { randomUUID } from "node:crypto";
import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand, type DynamoDBClient, type QueryCommandOutput } from "@aws-sdk/client-dynamodb";
import { ConditionFailedError } from "../../core/errors.js";
import type { SchemaState } from "../../schema/schema-state.js";
import type { StagedFile, StageRequest, StateStore, StoreMarker, TopicExport, VersionedSchemaState } from "../../state/state-store.js";
import { awsErrorName, awsFailure } from "./aws-errors.js";
import { attributeReader, integerValue, type Attributes } from "./dynamodb-attributes.js";
import { schemaStateFromItem, schemaStateItem } from "./dynamodb-schema-state-item.js";
import { describeStageRequest } from "../../state/stage-request.js";
import { cancelledStageOutcome, stagedBatchWrites, stageTransactionItems } from "./dynamodb-stage-transaction.js";
import { filesOfParts, inlineFiles, stagedBatchFromItem, stagedStatus, type StagedBatchWrite } from "./dynamodb-staged-batch-item.js";
import { inBatches } from "./in-batches.js";
import { createCommitBookkeeping } from "./dynamodb-commit-bookkeeping.js";
import {
  describeItem,
  partitionProgressKey,
  schemaStateKey,
  stagedBatchKey,
  stagedPartsPrefix,
  stagedSortKeyPrefix,
  storeMarkerKey,
  tablePartitionKey,
  topicExportKey,
  topicExportSortKeyPrefix,
  topicExportsPartitionKey,
  type StateKey,
} from "./dynamodb-state-keys.js";
import { topicExportFromItem, topicExportItem } from "./dynamodb-topic-export-item.js";

export { createStateTable } from "./dynamodb-state-table.js";

export interface DynamoDbStateStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Items per Query page; DynamoDB's own limit (1 MB of items) when absent. */
  queryPageSize?: number;
  /** Bytes of file list per item before a batch's list is cut into parts; for tests. */
  maxFileListBytes?: number;
}

export function createDynamoDbStateStore(options: DynamoDbStateStoreOptions): StateStore {
  const { client, tableName, queryPageSize, maxFileListBytes } = options;

  async function getItem(key: StateKey): Promise<Attributes | undefined> {
    try {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      return Item;
    } catch (error) {
      throw awsFailure(`DynamoDB GetItem ${describeItem(key)} in ${tableName}`, error);
    }
  }

  async function storeMarker(): Promise<StoreMarker | undefined> {
    const item = await getItem(storeMarkerKey());
    if (item === undefined) return undefined;
    const read = attributeReader(item, describeItem(item));
    return { id: read.string("id"), createdAt: read.string("createdAt") };
  }

  async function ensureStoreMarker(): Promise<StoreMarker> {
    const candidate = { id: randomUUID(), createdAt: new Date().toISOString() };
    const item = { ...storeMarkerKey(), id: { S: candidate.id }, createdAt: { S: candidate.createdAt } };
    try {
      await client.send(new PutItemCommand({ TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(#pk)", ExpressionAttributeNames: { "#pk": "pk" } }));
      return candidate;
    } catch (error) {
      if (awsErrorName(error) !== "ConditionalCheckFailedException") throw awsFailure(`DynamoDB PutItem ${describeItem(item)} in ${tableName}`, error);
    }
    const existing = await storeMarker();
    if (existing === undefined) throw new ConditionFailedError(`the store marker ${describeItem(item)} in ${tableName} existed and is gone again`);
    return existing;
  }

  async function topicExport(topic: string): Promise<TopicExport | undefined> {
    const item = await getItem(topicExportKey(topic));
    return item === undefined ? undefined : topicExportFromItem(item);
  }

  async function putTopicExport(topicExport: TopicExport): Promise<void> {
    await ensureStoreMarker();
    const item = topicExportItem(topicExport);
    try {
      await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
    } catch (error) {
      throw awsFailure(`DynamoDB PutItem ${describeItem(item)} in ${tableName}`, error);
    }
  }

  async function schemaState(table: string): Promise<VersionedSchemaState | undefined> {
    const item = await getItem(schemaStateKey(table));
    return item === undefined ? undefined : schemaStateFromItem(item);
  }

  async function saveSchemaState(table: string, state: SchemaState, expectedVersion: number | undefined): Promise<number> {
    const version = (expectedVersion ?? 0) + 1;
    const item = schemaStateItem(table, state, version);
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: expectedVersion === undefined ? "attribute_not_exists(#pk)" : "#version = :expected",
          ExpressionAttributeNames: expectedVersion === undefined ? { "#pk": "pk" } : { "#version": "version" },
          ExpressionAttributeValues: expectedVersion === undefined ? undefined : { ":expected": integerValue(expectedVersion) },
        }),
      );
      return version;
    } catch (error) {
      if (awsErrorName(error) === "ConditionalCheckFailedException") {
        const expected = expectedVersion === undefined ? "none saved yet" : `version ${expectedVersion}`;
        throw new ConditionFailedError(`schema state of ${table} changed since it was read (expected ${expected})`, error);
      }
      throw awsFailure(`DynamoDB PutItem ${describeItem(item)} in ${tableName}`, error);
    }
  }

  async function stagedWatermark(topic: string, partition: number): Promise<bigint | undefined> {
    const item = await getItem(partitionProgressKey(topic, partition));
    if (item?.["stagedWatermark"] === undefined) return undefined;
    return attributeReader(item, describeItem(item)).bigint("stagedWatermark");
  }

  async function stageFiles(request: StageRequest): Promise<"staged" | "condition-failed"> {
    const batches = stagedBatchWrites(request, randomUUID(), maxFileListBytes);
    await inBatches(batches.flatMap((batch) => batch.parts), (part) => putItem(part));
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: stageTransactionItems(tableName, request, batches) }));
      return "staged";
    } catch (error) {
      // Only a cancelled transaction is known not to have happened; after a timeout or a
      // lost answer it may have, and its batch item would then name parts deleted here.
      if (awsErrorName(error) === "TransactionCanceledException") await deletePartsQuietly(batches);
      const outcome = cancelledStageOutcome(error, request);
      if (outcome === "condition-failed") return outcome;
      throw outcome ?? awsFailure(`DynamoDB TransactWriteItems staging ${describeStageRequest(request)} in ${tableName}`, error);
    }
  }

  async function putItem(item: Attributes): Promise<void> {
    try {
      await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
    } catch (error) {
      throw awsFailure(`DynamoDB PutItem ${describeItem(item)} in ${tableName}`, error);
    }
  }

  // Parts no batch item names are never read; removing them only saves storage, so a
  // failure here must not hide the failure that brought us here.
  async function deletePartsQuietly(batches: readonly StagedBatchWrite[]): Promise<void> {
    const keys = batches.flatMap((batch) => batch.parts.map((part) => ({ pk: part["pk"] as Attributes[string], sk: part["sk"] as Attributes[string] })));
    try {
      await inBatches(keys, (key) => client.send(new DeleteItemCommand({ TableName: tableName, Key: key })));
    } catch {
      // Left for the commit's bookkeeping of the batch that won (dynamodb-commit-bookkeeping.ts).
    }
  }

  /** Every item of one partition key whose sort key starts with `prefix`, across pages. */
  async function queryPrefix(partitionKey: string, prefix: string, what: string, filter?: { status: string }): Promise<Attributes[]> {
    const items: Attributes[] = [];
    let exclusiveStartKey: Attributes | undefined;
    do {
      let page: QueryCommandOutput;
      try {
        page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
            ...(filter === undefined ? {} : { FilterExpression: "#status = :status" }),
            ExpressionAttributeNames: { "#pk": "pk", "#sk": "sk", ...(filter === undefined ? {} : { "#status": "status" }) },
            ExpressionAttributeValues: { ":pk": { S: partitionKey }, ":prefix": { S: prefix }, ...(filter === undefined ? {} : { ":status": { S: filter.status } }) },
            ConsistentRead: true,
            Limit: queryPageSize,
            ExclusiveStartKey: exclusiveStartKey,
          }),
        );
      } catch (error) {
        throw awsFailure(`DynamoDB Query of ${what} in ${tableName}`, error);
      }
      items.push(...(page.Items ?? []));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined);
    return items;
  }

  async function topicExports(): Promise<TopicExport[]> {
    const items = await queryPrefix(topicExportsPartitionKey, topicExportSortKeyPrefix, "the topic exports");
    return items.map(topicExportFromItem).sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  }

  async function stagedFiles(table: string): Promise<StagedFile[]> {
    const items = await queryPrefix(tablePartitionKey(table), stagedSortKeyPrefix, `the staged files of ${table}`, { status: stagedStatus });
    const perBatch = await inBatches(items, async (item) => {
      const batch = stagedBatchFromItem(item);
      const where = `staged batch ${describeItem(item)} in ${tableName}`;
      if ("inline" in batch.fileList) return { sortKey: item["sk"]?.S ?? "", files: inlineFiles(batch, where) };
      const parts = await queryPrefix(tablePartitionKey(table), stagedPartsPrefix(batch.name, batch.fileList.batchId), `the parts of ${where}`);
      // A commit's bookkeeping deletes the batch item, then its parts: between the two reads
      // here the batch may have been committed, which is no loss.
      if (parts.length !== batch.fileList.parts && (await getItem(stagedBatchKey(batch.name))) === undefined) return { sortKey: "", files: [] };
      return { sortKey: item["sk"]?.S ?? "", files: filesOfParts(batch, parts, where) };
    });
    const staged = perBatch.flatMap(({ sortKey, files }) => files.map((file) => ({ sortKey, file })));
    return staged.sort(oldestFirst).map(({ file }) => file);
  }

  return {
    storeMarker,
    ensureStoreMarker,
    topicExport,
    topicExports,
    putTopicExport,
    schemaState,
    saveSchemaState,
    stagedWatermark,
    stageFiles,
    stagedFiles,
    ...createCommitBookkeeping({ client, tableName, queryPrefix }),
  };
}

/** Oldest first; ties in batch key order (topic, partition, first offset), then by location. */
function oldestFirst(a: { sortKey: string; file: StagedFile }, b: { sortKey: string; file: StagedFile }): number {
  if (a.file.stagedAt !== b.file.stagedAt) return a.file.stagedAt - b.file.stagedAt;
  if (a.sortKey !== b.sortKey) return a.sortKey < b.sortKey ? -1 : 1;
  return a.file.location < b.file.location ? -1 : a.file.location > b.file.location ? 1 : 0;
}
