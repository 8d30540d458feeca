// `enable` over a REST catalog that chooses each table's location (as S3 Tables always does):
// the location ingest writes to is learnt from the catalog's answer, never derived from a
// warehouse of ours. Against the test environment's REST catalog server, the Kafka broker,
// the registry and moto.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitAllTables } from "../../../lib/commit/commit-all.js";
import { enableTopic } from "../../../lib/control/enable-topic.js";
import { topicStatuses } from "../../../lib/control/topic-status.js";
import { ingestKafkaBatch } from "../../../lib/ingest/ingest-batch.js";
import { parseKafkaEvent } from "../../../lib/kafka/lambda-event.js";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { restCatalogBucket } from "../../env/rest-catalog.js";
import { testEnvironment } from "../../env/test-environment.js";
import { createControlHarness, type ControlHarness } from "./control-harness.js";

describe("export control over a REST catalog that chooses table locations", () => {
  let harness: ControlHarness;
  beforeAll(async () => {
    harness = await createControlHarness({ catalog: "rest" });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("records the location the catalog gave the table; ingest writes there and the commit lands through the catalog", async () => {
    expect(harness.config.warehouse).toBeUndefined();
    const topic = await harness.createTopic({ partitions: 1 });
    const outcome = await enableTopic({ topic }, harness.context);
    const { table } = outcome.topicExport;
    const location = `s3://${restCatalogBucket}/${table.namespace}/${table.name}`;
    expect(outcome.table.metadata.location).toBe(location);
    expect(outcome.topicExport.tableLocation).toBe(location);
    expect((await harness.context.stateStore.topicExport(topic))?.tableLocation).toBe(location);
    const [status] = await topicStatuses(harness.context, topic);
    expect(status).toMatchObject({ enabled: true, tableLocation: location });

    // Raw values (no schema registered for the topic): one batch, as the event source delivers it.
    const records = [0, 1, 2].map((offset) => ({ topic, partition: 0, offset, timestamp: Date.UTC(2026, 11, 1) + offset, timestampType: "CREATE_TIME", key: null, value: Buffer.from([offset]).toString("base64"), headers: [] }));
    const event = { eventSource: "aws:kafka", eventSourceArn: "arn:aws:kafka:us-east-1:123456789012:cluster/test/0", records: { [`${topic}-0`]: records } };
    await ingestKafkaBatch(parseKafkaEvent(event), harness.ingest);
    const staged = await harness.context.stateStore.stagedFiles(`${table.namespace}.${table.name}`);
    expect(staged.length).toBeGreaterThan(0);
    expect(staged.every((file) => file.location.startsWith(`${location}/data/`))).toBe(true);

    expect((await commitAllTables(harness.commit)).tables[0]).toMatchObject({ status: "committed", recordsCommitted: 3 });
    const readout = await readIcebergTable({ catalog: "rest", uri: testEnvironment().restCatalogUrl, endpoint: testEnvironment().awsEndpoint, database: table.namespace, table: table.name });
    expect(readout.location).toBe(location);
    expect(readout.rows).toHaveLength(3);
    expect(readout["data-files"].every((file) => file.path.startsWith(`${location}/data/`))).toBe(true);
  });
});
