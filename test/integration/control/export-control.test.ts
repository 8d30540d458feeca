import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disableTopic } from "../../../lib/control/disable-topic.js";
import { enableTopic } from "../../../lib/control/enable-topic.js";
import { topicStatuses } from "../../../lib/control/topic-status.js";
import { readIcebergTable } from "../../env/iceberg-reader.js";
import { testEnvironment } from "../../env/test-environment.js";
import { orderSchemaText, registerSchema } from "../ingest/ingest-harness.js";
import { createControlHarness, type ControlHarness } from "./control-harness.js";

describe("export control against the Kafka broker, the registry and moto", () => {
  let harness: ControlHarness;
  beforeAll(async () => {
    harness = await createControlHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  async function produce(topic: string, count: number): Promise<void> {
    await harness.producer.send({ topic, messages: Array.from({ length: count }, (_, index) => ({ partition: index % 2, value: Buffer.from([index]) })) });
  }

  it("records each partition's log-end offset as its start offset and creates the table from the registered schema", async () => {
    const topic = await harness.createTopic({ partitions: 2 });
    await registerSchema(testEnvironment().schemaRegistryUrl, `${topic}-value`, orderSchemaText);
    await produce(topic, 5); // partition 0 gets 3, partition 1 gets 2: not exported

    const outcome = await enableTopic({ topic, partitioning: "hour" }, harness.context);

    expect(outcome.status).toBe("enabled");
    expect(outcome.topicExport.startOffsets).toEqual({ 0: 3n, 1: 2n });
    expect(outcome.valueSchema.kind).toBe("protobuf");
    const stored = await harness.context.stateStore.topicExport(topic);
    expect(stored).toMatchObject({ enabled: true, startOffsets: { 0: 3n, 1: 2n }, partitioning: "hour", valueSubject: `${topic}-value` });

    const table = await readIcebergTable({ catalog: "glue", endpoint: testEnvironment().awsEndpoint, database: harness.database, table: outcome.topicExport.table.name });
    expect(table.rows).toEqual([]);
    expect(table["partition-spec"].map((field) => field.transform)).toEqual(["hour"]);
    const columns = table.schemas.find((schema) => schema["schema-id"] === table["current-schema-id"])?.fields.map((field) => field.name);
    expect(columns).toEqual(["key", "val", "headers", "timestamp"]);
    const val = table.schemas[0]?.fields.find((field) => field.name === "val")?.type;
    expect(typeof val === "object" && val.type === "struct" ? val.fields.map((field) => field.name) : []).toContain("customer");
  });

  it("a second enable changes nothing; disable then enable starts again at the new log end, so the gap is never exported", async () => {
    const topic = await harness.createTopic({ partitions: 2 });
    const first = await enableTopic({ topic }, harness.context);
    expect(first.topicExport.startOffsets).toEqual({ 0: 0n, 1: 0n });
    expect(first.valueSchema).toMatchObject({ kind: "raw" });

    await produce(topic, 4);
    const again = await enableTopic({ topic }, harness.context);
    expect(again.status).toBe("already-enabled");
    expect(again.topicExport.startOffsets).toEqual({ 0: 0n, 1: 0n });

    const disabled = await disableTopic(topic, harness.context);
    expect(disabled.status).toBe("disabled");
    expect((await disableTopic(topic, harness.context)).status).toBe("already-disabled");
    await produce(topic, 6); // the gap: partition 0 now ends at 5, partition 1 at 5

    const reEnabled = await enableTopic({ topic }, harness.context);
    expect(reEnabled.status).toBe("re-enabled");
    expect(reEnabled.topicExport.startOffsets).toEqual({ 0: 5n, 1: 5n });
    expect(reEnabled.topicExport.table).toEqual(first.topicExport.table);
  });

  it("refuses a compacted topic, naming the topic and its cleanup policy", async () => {
    const topic = await harness.createTopic({ cleanupPolicy: "compact" });
    const refusal = enableTopic({ topic }, harness.context);
    await expect(refusal).rejects.toMatchObject({ code: "TOPIC_NOT_EXPORTABLE", retryable: false });
    await expect(refusal).rejects.toThrow(new RegExp(`topic ${topic} cannot be exported: its cleanup.policy is 'compact'`));
    expect(await harness.context.stateStore.topicExport(topic)).toBeUndefined();

    const both = await harness.createTopic({ cleanupPolicy: "compact,delete" });
    await expect(enableTopic({ topic: both }, harness.context)).rejects.toMatchObject({ code: "TOPIC_NOT_EXPORTABLE" });
  });

  it("refuses a topic the cluster does not have, and disabling a topic never enabled", async () => {
    await expect(enableTopic({ topic: "no-such-topic-anywhere" }, harness.context)).rejects.toThrow("topic no-such-topic-anywhere does not exist on the cluster");
    await expect(disableTopic("never-enabled", harness.context)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("status shows state, start offsets, the log end and lag, and that no snapshot exists yet", async () => {
    const topic = await harness.createTopic({ partitions: 2 });
    await enableTopic({ topic }, harness.context);
    await produce(topic, 3);

    const [status] = await topicStatuses(harness.context, topic);

    expect(status).toMatchObject({ topic, enabled: true, backlog: { files: 0, records: 0 }, lastSnapshot: undefined });
    expect(status?.partitions).toEqual([
      { partition: 0, startOffset: 0n, stagedWatermark: undefined, committedOffset: undefined, logEndOffset: 2n, lag: 2n },
      { partition: 1, startOffset: 0n, stagedWatermark: undefined, committedOffset: undefined, logEndOffset: 1n, lag: 1n },
    ]);
    expect(status?.metadataLocation).toMatch(/\/metadata\/00000-.*\.metadata\.json$/);
  });
});
