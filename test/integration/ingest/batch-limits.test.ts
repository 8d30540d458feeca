// A batch that touches hundreds of table partitions (issue 11): records 300 hours apart in an
// hourly partitioned table make one data file each, all staged at once through DynamoDB on
// moto (one stage request past 100 transaction items), redelivered, committed to Glue, and
// read back by pyiceberg: every record once.
import { DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { createDynamoDbStateStore } from "../../../lib/adapters/aws/dynamodb-state-store.js";
import { ExportError } from "../../../lib/core/errors.js";
import { ingestKafkaBatch } from "../../../lib/ingest/ingest-batch.js";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";
import { awsTestClientConfig } from "../../env/aws.js";
import { testEnvironment } from "../../env/test-environment.js";
import { createCommitHarness, expectedOrderIds, orderIds, type CommitHarness } from "../commit/commit-harness.js";
import { order, type EventRecord } from "./ingest-harness.js";

const dynamodb = new DynamoDBClient(awsTestClientConfig(testEnvironment().awsEndpoint));
afterAll(() => dynamodb.destroy());

const hourMs = 3_600_000;
const firstHour = Date.UTC(2026, 0, 1);

/** Offsets `from`..`to`, record n at hour n: one table partition per record. */
function hourlyOrders(from: number, to: number): EventRecord[] {
  return Array.from({ length: to - from + 1 }, (_, index) => ({ offset: from + index, value: order(from + index), timestampMs: firstHour + (from + index) * hourMs }));
}

async function hourlyHarness(): Promise<CommitHarness> {
  const harness = await createCommitHarness();
  const topicExport = await harness.context.stateStore.topicExport(harness.topic);
  if (topicExport === undefined) throw new ExportError("INTERNAL", "the harness did not enable its topic");
  await harness.context.stateStore.putTopicExport({ ...topicExport, partitioning: "hour" });
  return harness;
}

describe("a batch touching 300 table partitions, through Lambda events on DynamoDB", () => {
  it("stages all its files with the watermark at once, redelivered and concurrent copies add nothing, and the commit holds every record once", { timeout: 600_000 }, async () => {
    const harness = await hourlyHarness();
    const { state } = harness.config;
    if (state.type !== "dynamodb") throw new ExportError("INTERNAL", "the harness should stage in DynamoDB");
    // A small item budget, so that this batch's file list is cut into parts as a wide table's would be.
    const splitting = { ...harness.context, stateStore: createDynamoDbStateStore({ client: dynamodb, tableName: state.tableName, maxFileListBytes: 16_384 }) };
    const event = parseKafkaEvent(harness.event(0, hourlyOrders(0, 299)));

    // Two invocations with the same batch at once: one stages it, the other finds it staged.
    const [one, other] = await Promise.all([ingestKafkaBatch(event, splitting), ingestKafkaBatch(event, splitting)]);
    expect([one.totals.filesStaged, other.totals.filesStaged].sort((a, b) => a - b)).toEqual([0, 300]);
    expect(one.totals.recordsExported + other.totals.recordsExported).toBe(300);
    expect(await harness.context.stateStore.stagedWatermark(harness.topic, 0)).toBe(299n);
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toHaveLength(300);
    const parts = await dynamodb.send(
      new QueryCommand({
        TableName: state.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": { S: `table#${harness.table}` }, ":prefix": { S: "stagedpart#" } },
        Select: "COUNT",
        ConsistentRead: true,
      }),
    );
    // The file list went into part items, as a wide table's would.
    expect(parts.Count).toBeGreaterThan(1);

    // The event source redelivers it, and then a batch overlapping it.
    expect((await ingestKafkaBatch(event, splitting)).totals).toMatchObject({ skippedAlreadyStaged: 300, filesStaged: 0 });
    const overlapping = await harness.ingestRecords(0, hourlyOrders(150, 449));
    expect(overlapping.totals).toMatchObject({ skippedAlreadyStaged: 150, recordsExported: 150, filesStaged: 150 });

    const committed = await harness.commit();
    expect(committed.tables[0]).toMatchObject({ status: "committed", filesCommitted: 450, recordsCommitted: 450 });
    expect(await harness.context.stateStore.stagedFiles(harness.table)).toEqual([]);
    expect(await harness.context.stateStore.committedOffset(harness.topic, 0)).toBe(449n);
    // Redelivered after the commit: dropped by the watermark, nothing staged again.
    expect((await harness.ingestRecords(0, hourlyOrders(0, 449))).totals).toMatchObject({ skippedAlreadyStaged: 450, filesStaged: 0 });
    expect((await harness.commit()).tables[0]?.status).toBe("nothing-staged");

    const readout = await harness.readTable();
    expect(orderIds(readout)).toEqual(expectedOrderIds([0, 449]));
    expect(readout["partition-spec"].map((field) => field.transform)).toEqual(["hour"]);
    expect(readout["data-files"]).toHaveLength(450);
    expect(new Set(readout["data-files"].map((file) => JSON.stringify(file.partition))).size).toBe(450);
  });
});

describe("a batch of thousands of records, each in a table partition of its own", () => {
  it("stages one file per record in one request, each in its own hour", { timeout: 600_000 }, async () => {
    const harness = await createCommitHarness({ storage: "local" });
    const topicExport = await harness.context.stateStore.topicExport(harness.topic);
    if (topicExport === undefined) throw new ExportError("INTERNAL", "the harness did not enable its topic");
    await harness.context.stateStore.putTopicExport({ ...topicExport, partitioning: "hour" });
    const outcome = await harness.ingestRecords(0, hourlyOrders(0, 3_999));
    expect(outcome.totals).toMatchObject({ recordsExported: 4_000, filesStaged: 4_000, invalidRecords: 0 });
    const staged = await harness.context.stateStore.stagedFiles(harness.table);
    expect(staged).toHaveLength(4_000);
    expect(new Set(staged.map((file) => file.partitionValues["timestamp_hour"])).size).toBe(4_000);
  });
});
