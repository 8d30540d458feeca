import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsTestClientConfig } from "../../env/aws.js";
import { uniqueName } from "../../env/unique-name.js";
import { testEnvironment } from "../../env/test-environment.js";

describe("DynamoDB on the moto server", () => {
  const dynamodb = new DynamoDBClient(awsTestClientConfig(testEnvironment().awsEndpoint));
  const tableName = uniqueName("env-state");
  const key = { pk: { S: "orders#0" } };

  beforeAll(async () => {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      }),
    );
    await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { ...key, watermark: { N: "10" } } }));
  });
  afterAll(() => dynamodb.destroy());

  function advanceWatermark(from: number, to: number): Promise<unknown> {
    return dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: "SET watermark = :to",
        ConditionExpression: "watermark = :from",
        ExpressionAttributeValues: { ":from": { N: String(from) }, ":to": { N: String(to) } },
      }),
    );
  }

  it("applies a conditional write whose condition holds, and refuses one made from a stale read", async () => {
    await advanceWatermark(10, 20);
    await expect(advanceWatermark(10, 30)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const item = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    expect(item.Item?.["watermark"]).toEqual({ N: "20" });
  });
});
