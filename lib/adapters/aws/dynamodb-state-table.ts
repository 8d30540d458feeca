// Creates the state table as infra/storage.yml declares it (pk/sk strings, on demand), for
// tests and the local runner; in AWS the stack creates it.
import { CreateTableCommand, waitUntilTableExists, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { awsFailure } from "./aws-errors.js";

/** Resolves once the table is ACTIVE. */
export async function createStateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: tableName });
  } catch (error) {
    throw awsFailure(`DynamoDB CreateTable ${tableName}`, error);
  }
}
