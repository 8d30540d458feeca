import { DeleteItemCommand, DynamoDBClient, PutItemCommand, QueryCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { UnavailableError } from "../../../../lib/core/errors.js";
import { createDynamoDbStateStore } from "../../../../lib/adapters/aws/dynamodb-state-store.js";
import { createStateTable } from "../../../../lib/adapters/aws/dynamodb-state-table.js";
import { awsTestClientConfig } from "../../../env/aws.js";
import { testEnvironment } from "../../../env/test-environment.js";
import { uniqueName } from "../../../env/unique-name.js";
import { schemaState, stagedFile, stageRequest, stateStoreContract, topicExport } from "../../../contracts/state-store-contract.js";
import { closedPortEndpoint } from "./closed-port.js";

const dynamodb = new DynamoDBClient(awsTestClientConfig(testEnvironment().awsEndpoint));
afterAll(() => dynamodb.destroy());

async function newStateStore(options: { queryPageSize?: number; tableName?: string } = {}): Promise<ReturnType<typeof createDynamoDbStateStore>> {
  const tableName = options.tableName ?? uniqueName("state");
  await createStateTable(dynamodb, tableName);
  return createDynamoDbStateStore({ client: dynamodb, tableName, ...options });
}

// A page of two items makes every listing of staged files in the contract span several Query pages.
stateStoreContract("DynamoDB state store", async () => ({ store: await newStateStore({ queryPageSize: 2 }) }));

describe("DynamoDB state store", () => {
  // The layout of dynamodb-state-keys.ts, which the IAM policies' partition-key conditions
  // (deploy/iam-policies.ts) rely on: the lease apart from what ingest writes under table#.
  it("keeps every item kind under its own partition key, the commit lease apart from the table's items", async () => {
    const tableName = uniqueName("state");
    const store = await newStateStore({ tableName });
    await store.putTopicExport(topicExport({ topic: "orders" }));
    await store.saveSchemaState("sales.orders", schemaState(0), undefined);
    await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [stagedFile({ firstOffset: 0n, lastOffset: 9n })] }));
    expect(await store.acquireCommitLease("sales.orders", { owner: "committer", nowMs: 1_000, durationMs: 60_000 })).toBe(true);
    const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
    const keys = Items.map((item) => `${item["pk"]?.S ?? "?"} | ${(item["sk"]?.S ?? "?").replace(/^(staged#).*/, "$1...")}`).sort();
    expect(keys).toEqual(["exports | store", "exports | topic#orders", "lease#sales.orders | lease", "table#sales.orders | schema", "table#sales.orders | staged#...", "topic#orders | partition#0000000000"]);
    await store.releaseCommitLease("sales.orders", "committer");
    const { Items: after = [] } = await dynamodb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
    expect(after.map((item) => item["pk"]?.S)).not.toContain("lease#sales.orders");
  });

  it("cuts a big file list into part items that only a staged batch makes visible, and leaves none behind", { timeout: 120_000 }, async () => {
    const tableName = uniqueName("state");
    await createStateTable(dynamodb, tableName);
    // A tiny item budget so that a handful of files already needs several parts.
    const store = createDynamoDbStateStore({ client: dynamodb, tableName, maxFileListBytes: 300 });
    const files = Array.from({ length: 120 }, (_, index) => stagedFile({ firstOffset: 0n, lastOffset: 9n, location: `s3://warehouse/sales/orders/data/${String(index).padStart(3, "0")}.parquet` }));
    expect(await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files }))).toBe("staged");
    const parts = await sortKeys(tableName, "stagedpart#");
    expect(parts.length).toBeGreaterThan(1);

    // A redelivery that lost the race writes its parts, then removes them.
    const redelivered = files.map((file) => ({ ...file, stagedAt: file.stagedAt + 1 }));
    expect(await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: redelivered }))).toBe("condition-failed");
    expect(await sortKeys(tableName, "stagedpart#")).toEqual(parts);
    expect(await store.stagedFiles("sales.orders")).toEqual(files);

    // Parts an attempt crashed before removing are never read as staged files, and go with the batch's commit.
    await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: "table#sales.orders" }, sk: { S: "stagedpart#orders#0000000000#00000000000000000000#crashed#00000" }, files: { B: Uint8Array.from([1, 2, 3]) } } }));
    expect(await store.stagedFiles("sales.orders")).toEqual(files);
    await store.markCommitted("sales.orders", files);
    expect(await sortKeys(tableName, "staged")).toEqual([]);
    expect(await store.stagedFiles("sales.orders")).toEqual([]);
  });

  it("fails loudly when a part of a staged batch is missing, rather than staging fewer files", async () => {
    const tableName = uniqueName("state");
    await createStateTable(dynamodb, tableName);
    const store = createDynamoDbStateStore({ client: dynamodb, tableName, maxFileListBytes: 300 });
    const files = Array.from({ length: 20 }, (_, index) => stagedFile({ firstOffset: 0n, lastOffset: 9n, location: `s3://warehouse/sales/orders/data/${index}.parquet` }));
    await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files }));
    const [firstPart] = await sortKeys(tableName, "stagedpart#");
    await dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: "table#sales.orders" }, sk: { S: firstPart ?? "" } } }));
    await expect(store.stagedFiles("sales.orders")).rejects.toMatchObject({ code: "INTERNAL", message: expect.stringContaining("lost a part") as unknown });
  });

  it("reports an unreachable DynamoDB as retryable STORAGE_UNAVAILABLE", async () => {
    const unreachable = new DynamoDBClient({ ...awsTestClientConfig(await closedPortEndpoint()), maxAttempts: 1 });
    try {
      const store = createDynamoDbStateStore({ client: unreachable, tableName: "state" });
      const read = store.stagedWatermark("orders", 3);
      await expect(read).rejects.toBeInstanceOf(UnavailableError);
      await expect(read).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE", retryable: true, message: expect.stringContaining("topic#orders / partition#0000000003") as unknown });
      await expect(store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: [] }))).rejects.toMatchObject({ retryable: true });
      await expect(store.stagedFiles("sales.orders")).rejects.toMatchObject({ retryable: true });
    } finally {
      unreachable.destroy();
    }
  });
});

/** The sort keys of sales.orders' items that start with `prefix`. */
async function sortKeys(tableName: string, prefix: string): Promise<string[]> {
  const { Items = [] } = await dynamodb.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": { S: "table#sales.orders" }, ":prefix": { S: prefix } },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => item["sk"]?.S ?? "").sort();
}
