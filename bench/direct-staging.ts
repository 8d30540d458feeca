// Staging for a benchmark's setup, through the DynamoDB state store's own items: the batch
// item and the watermark update stageFiles writes, sent as single conditional writes instead
// of one transaction. moto copies the whole state table for every TransactWriteItems (its
// rollback), so staging thousands of batches for hundreds of tables through the transaction
// grows with the table; a setup has no concurrent stager to be atomic against.
import { randomUUID } from "node:crypto";
import { PutItemCommand, UpdateItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoDbStateStore } from "../lib/adapters/aws/dynamodb-state-store.js";
import { stagedBatchWrites, stageTransactionItems } from "../lib/adapters/aws/dynamodb-stage-transaction.js";
import type { StageRequest, StateStore } from "../lib/state/state-store.js";

export function createDirectStagingStore(client: DynamoDBClient, tableName: string): StateStore {
  const store = createDynamoDbStateStore({ client, tableName });
  async function stageFiles(request: StageRequest): Promise<"staged"> {
    const batches = stagedBatchWrites(request, randomUUID());
    for (const part of batches.flatMap((batch) => batch.parts)) await client.send(new PutItemCommand({ TableName: tableName, Item: part }));
    for (const item of stageTransactionItems(tableName, request, batches)) {
      if (item.Update !== undefined) await client.send(new UpdateItemCommand({ ...item.Update, Key: item.Update.Key ?? {} }));
      if (item.Put !== undefined) await client.send(new PutItemCommand({ ...item.Put, Item: item.Put.Item ?? {} }));
    }
    return "staged";
  }
  return { ...store, stageFiles };
}
