import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { UnavailableError } from "../../../../lib/core/errors.js";
import { createDynamoDbStateStore } from "../../../../lib/adapters/aws/dynamodb-state-store.js";
import { createStateTable } from "../../../../lib/adapters/aws/dynamodb-state-table.js";
import { awsTestClientConfig } from "../../../env/aws.js";
import { testEnvironment } from "../../../env/test-environment.js";
import { uniqueName } from "../../../env/unique-name.js";
import { stagedFile, stageRequest, stateStoreContract } from "../../../contracts/state-store-contract.js";
import { closedPortEndpoint } from "./closed-port.js";

const dynamodb = new DynamoDBClient(awsTestClientConfig(testEnvironment().awsEndpoint));
afterAll(() => dynamodb.destroy());

async function newStateStore(options: { queryPageSize?: number } = {}): Promise<ReturnType<typeof createDynamoDbStateStore>> {
  const tableName = uniqueName("state");
  await createStateTable(dynamodb, tableName);
  return createDynamoDbStateStore({ client: dynamodb, tableName, ...options });
}

// A page of two items makes every listing of staged files in the contract span several Query pages.
stateStoreContract("DynamoDB state store", async () => ({ store: await newStateStore({ queryPageSize: 2 }) }));

describe("DynamoDB state store", () => {
  it("refuses to stage more files than one transaction holds, and writes nothing", async () => {
    const store = await newStateStore();
    const files = Array.from({ length: 100 }, (_, index) => stagedFile({ firstOffset: 0n, lastOffset: 9n, location: `s3://warehouse/sales/orders/data/${index}.parquet` }));
    await expect(store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files }))).rejects.toMatchObject({
      code: "INTERNAL",
      retryable: false,
      message: expect.stringContaining("at most 99 files") as unknown,
    });
    expect(await store.stagedWatermark("orders", 0)).toBeUndefined();
    expect(await store.stageFiles(stageRequest({ expectedWatermark: undefined, newWatermark: 9n, files: files.slice(0, 99) }))).toBe("staged");
    expect(await store.stagedFiles("sales.orders")).toHaveLength(99);
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
