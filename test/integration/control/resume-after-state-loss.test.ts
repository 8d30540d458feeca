// Recovery from a lost state table without a backup (docs/deploy.md), on the AWS adapters:
// Glue, S3 and DynamoDB on moto, the real broker and registry. `enable` on a topic whose
// export record is gone but whose table holds committed offsets resumes right after them, so
// the batches staged but never committed (lost with the state) are staged again when the
// event source delivers them again, and the table, read by pyiceberg, holds each record once.
import { DeleteTableCommand, DynamoDBClient, waitUntilTableNotExists } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStateTable } from "../../../lib/adapters/aws/dynamodb-state-store.js";
import { commitAllTables } from "../../../lib/commit/commit-all.js";
import { enableTopic } from "../../../lib/control/enable-topic.js";
import { ingestKafkaBatch } from "../../../lib/ingest/ingest-batch.js";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { compileMessage } from "../../lib/schema/compile-fixture.js";
import { order, orderSchemaText, registerSchema } from "../ingest/ingest-harness.js";
import { createControlHarness, type ControlHarness } from "./control-harness.js";

describe("enable after the state table was lost", () => {
  let harness: ControlHarness;
  beforeAll(async () => {
    harness = await createControlHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it("resumes each partition after the table's committed offset, and every record lands once", async () => {
    const topic = await harness.createTopic({ partitions: 2 });
    const schemaId = await registerSchema(testEnvironment().schemaRegistryUrl, `${topic}-value`, orderSchemaText);
    const orderType = compileMessage(orderSchemaText, "shop.orders.Order");
    const first = await enableTopic({ topic }, harness.context);
    expect(first.topicExport.startOffsets).toEqual({ 0: 0n, 1: 0n });

    // The event source's batches; offsets as the broker would give them (nothing is produced).
    function event(partition: number, from: number, to: number): unknown {
      const records = Array.from({ length: to - from + 1 }, (_, index) => {
        const offset = from + index;
        const value = encodeConfluentFrame(schemaId, [0], orderType.encode(orderType.fromObject(order(offset, { id: `${partition}-${offset}` }))).finish());
        return { topic, partition, offset, timestamp: Date.UTC(2026, 11, 1) + offset, timestampType: "CREATE_TIME", key: null, value: Buffer.from(value).toString("base64"), headers: [] };
      });
      return { eventSource: "aws:kafka", eventSourceArn: "arn:aws:kafka:us-east-1:123456789012:cluster/test/0", records: { [`${topic}-${partition}`]: records } };
    }
    const ingest = (partition: number, from: number, to: number) => ingestKafkaBatch(parseKafkaEvent(event(partition, from, to)), harness.ingest);

    await ingest(0, 0, 9);
    await ingest(1, 0, 4);
    expect((await commitAllTables(harness.commit)).tables[0]).toMatchObject({ status: "committed", recordsCommitted: 15 });
    // Staged, acknowledged by the event source, never committed: lost with the state table.
    await ingest(0, 10, 14);

    const client = new DynamoDBClient(harness.clientConfig);
    try {
      await client.send(new DeleteTableCommand({ TableName: harness.stateTable }));
      await waitUntilTableNotExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: harness.stateTable });
      await createStateTable(client, harness.stateTable);
    } finally {
      client.destroy();
    }
    await expect(ingest(0, 15, 19)).rejects.toMatchObject({ code: "STATE_STORE_MISSING", retryable: true });

    const resumed = await enableTopic({ topic }, harness.context);
    expect(resumed.status).toBe("resumed");
    expect(resumed.resumed).toEqual({ fromCommitted: { 0: 10n, 1: 5n }, atLogEnd: [] });
    expect((await harness.context.stateStore.topicExport(topic))?.startOffsets).toEqual({ 0: 10n, 1: 5n });
    // The field ids come back from the table's current schema, not allocated anew.
    const { metadata } = resumed.table;
    const seeded = await harness.context.stateStore.schemaState(`${resumed.topicExport.table.namespace}.${resumed.topicExport.table.name}`);
    expect(seeded?.state).toEqual({ formatVersion: 1, lastColumnId: metadata["last-column-id"], schema: metadata.schemas.find((schema) => schema["schema-id"] === metadata["current-schema-id"]) });

    // The event source, set back to those offsets, delivers again from there.
    await ingest(0, 8, 19);
    await ingest(1, 5, 6);
    const round = await commitAllTables(harness.commit);
    expect(round.failures.map(({ error }) => String(error))).toEqual([]);
    expect(round.tables[0]).toMatchObject({ status: "committed", recordsCommitted: 12 });
    const table = await readIcebergTable({ catalog: "glue", endpoint: testEnvironment().awsEndpoint, database: harness.database, table: resumed.topicExport.table.name });
    const ids = table.rows.map((row) => (row["val"] as { id: string }).id).sort();
    const wanted = [...Array.from({ length: 20 }, (_, offset) => `0-${offset}`), ...Array.from({ length: 7 }, (_, offset) => `1-${offset}`)].sort();
    expect(ids).toEqual(wanted);
  });
});
