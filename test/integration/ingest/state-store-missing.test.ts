// A state store that is missing, emptied or replaced while export runs stops ingest loudly
// and retryably (SPEC.md §2.6): nothing is staged, nothing counted as "not exported", so the
// event source acknowledges nothing. DynamoDB on moto and the local state folder.
import { rmSync } from "node:fs";
import { DeleteItemCommand, DeleteTableCommand, DynamoDBClient, ScanCommand, waitUntilTableNotExists } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { createStateTable } from "../../../lib/adapters/aws/dynamodb-state-store.js";
import { ingestKafkaBatch, type IngestContext } from "../../../lib/ingest/ingest-batch.js";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";
import { createIngestContext } from "../../../lib/runtime/ingest-runtime.js";
import { createIngestHarness, order, type EventRecord, type IngestHarness } from "./ingest-harness.js";

const clients: DynamoDBClient[] = [];
afterAll(() => {
  for (const client of clients.splice(0)) client.destroy();
});

function orders(from: number, to: number): EventRecord[] {
  return Array.from({ length: to - from + 1 }, (_, index) => ({ offset: from + index, value: order(from + index) }));
}

async function ingest(harness: IngestHarness, partition: number, records: EventRecord[], context: IngestContext = harness.context) {
  return ingestKafkaBatch(parseKafkaEvent(harness.event(partition, records)), context);
}

function stateTableOf(harness: IngestHarness): { client: DynamoDBClient; tableName: string } {
  if (harness.config.state.type !== "dynamodb") throw new Error("not a DynamoDB harness");
  const client = new DynamoDBClient(harness.clientConfig);
  clients.push(client);
  return { client, tableName: harness.config.state.tableName };
}

async function emptyTable(harness: IngestHarness): Promise<void> {
  const { client, tableName } = stateTableOf(harness);
  const { Items = [] } = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  expect(Items.length).toBeGreaterThan(0);
  for (const item of Items) await client.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: item["pk"] ?? { S: "" }, sk: item["sk"] ?? { S: "" } } }));
}

async function recreateTable(harness: IngestHarness): Promise<void> {
  const { client, tableName } = stateTableOf(harness);
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  await waitUntilTableNotExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: tableName });
  await createStateTable(client, tableName);
}

const missing = { code: "STATE_STORE_MISSING", retryable: true };

describe("a DynamoDB state table that was emptied or recreated", () => {
  it("fails ingest retryably once the table was emptied, staging nothing and skipping nothing", async () => {
    const harness = await createIngestHarness();
    await harness.enableTopic();
    expect((await ingest(harness, 0, orders(0, 4))).totals).toMatchObject({ recordsExported: 5 });

    await emptyTable(harness);
    const failed = ingest(harness, 0, orders(5, 9));
    await expect(failed).rejects.toMatchObject(missing);
    await expect(failed).rejects.toThrow(harness.topic);
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBeUndefined();
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toEqual([]);
  });

  it("fails ingest retryably in a fresh container after the table was recreated empty", async () => {
    const harness = await createIngestHarness();
    await harness.enableTopic();
    await recreateTable(harness);
    // A new container knows nothing of what the old one saw: only the missing marker tells.
    const coldStart = createIngestContext(harness.config, { logger: harness.context.logger, awsClientConfig: harness.clientConfig });
    await expect(ingest(harness, 0, orders(0, 4), coldStart)).rejects.toMatchObject(missing);
    expect(await coldStart.stateStore.stagedWatermark(harness.topic, 0)).toBeUndefined();
    expect(await coldStart.stateStore.storeMarker()).toBeUndefined();
  });

  it("fails ingest of a topic this container exported when the recreated table holds another topic's export only", async () => {
    const harness = await createIngestHarness();
    const topicExport = await harness.enableTopic();
    await ingest(harness, 0, orders(0, 1));
    await recreateTable(harness);
    // Someone enabled another topic into the new table: it has a marker, a new one.
    await harness.context.stateStore.putTopicExport({ ...topicExport, topic: `${harness.topic}-other` });
    await expect(ingest(harness, 0, orders(2, 3))).rejects.toMatchObject(missing);
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBeUndefined();
  });

  it("counts records of a topic never enabled into a store that is there, per topic, and fails nothing", async () => {
    const harness = await createIngestHarness();
    await harness.context.stateStore.ensureStoreMarker();
    const outcome = await ingest(harness, 3, orders(0, 6));
    expect(outcome.totals).toMatchObject({ skippedNotExported: 7, recordsExported: 0 });
    expect(outcome.notExported).toEqual([{ topic: harness.topic, records: 7 }]);
  });

  it("does not count a disabled topic as never enabled", async () => {
    const harness = await createIngestHarness();
    await harness.enableTopic({}, false);
    const outcome = await ingest(harness, 0, orders(0, 2));
    expect(outcome.totals).toMatchObject({ skippedNotExported: 3 });
    expect(outcome.notExported).toEqual([]);
  });
});

describe("a local state folder that vanished", () => {
  it("fails ingest retryably, naming the state store, and recreates no state", async () => {
    const harness = await createIngestHarness({ storage: "local" });
    await harness.enableTopic();
    expect((await ingest(harness, 0, orders(0, 4))).totals).toMatchObject({ recordsExported: 5 });
    if (harness.config.state.type !== "local") throw new Error("not a local harness");
    rmSync(harness.config.state.directory, { recursive: true, force: true });

    const failed = ingest(harness, 0, orders(5, 9));
    await expect(failed).rejects.toMatchObject(missing);
    await expect(failed).rejects.toThrow("state store");
    expect(await harness.context.stateStore.storeMarker()).toBeUndefined();
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBeUndefined();
  });
});
