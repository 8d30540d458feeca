import { ConfigResourceTypes, Kafka, logLevel, type IHeaders } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { uniqueName } from "../../env/unique-name.js";
import { testEnvironment } from "../../env/test-environment.js";

interface ReceivedRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: IHeaders | undefined;
}

describe("the Kafka broker", () => {
  const kafka = new Kafka({ clientId: "env-test", brokers: [testEnvironment().kafkaBootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: uniqueName("env-group") });
  afterAll(async () => {
    await Promise.allSettled([admin.disconnect(), producer.disconnect(), consumer.disconnect()]);
  });

  it("round-trips keys, values, null values and headers through a consumer group", async () => {
    const topic = uniqueName("env-roundtrip");
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });

    await producer.connect();
    const sent = Array.from({ length: 10 }, (_, index) => ({
      partition: index % 2,
      key: `key-${index}`,
      value: index === 7 ? null : `value-${index}`,
      headers: { trace: `t-${index}` },
    }));
    await producer.send({ topic, messages: sent });

    const received: ReceivedRecord[] = [];
    let allReceived: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allReceived = resolve));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        received.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: message.headers,
        });
        if (received.length === sent.length) allReceived();
        return Promise.resolve();
      },
    });
    await done;

    const byKey = new Map(received.map((record) => [record.key, record]));
    for (const message of sent) {
      const record = byKey.get(message.key);
      expect(record?.partition).toBe(message.partition);
      expect(record?.value).toBe(message.value);
      expect(record?.headers?.["trace"]?.toString()).toBe(message.headers.trace);
    }
    expect(received.filter((record) => record.partition === 0).map((record) => record.offset)).toEqual(["0", "1", "2", "3", "4"]);
  });

  // The tests' records carry fixed event times (2026-11-24); with the default 7-day retention
  // the broker's retention check deleted them under running tests once that date was a week old.
  it("keeps records with event times of any age: no time-based retention", async () => {
    const topic = uniqueName("env-retention");
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const described = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ["retention.ms"] }], includeSynonyms: false });
    expect(described.resources[0]?.configEntries.find((entry) => entry.configName === "retention.ms")?.configValue).toBe("-1");

    await producer.connect();
    await producer.send({ topic, messages: [{ value: "old", timestamp: String(Date.UTC(2020, 0, 1)) }] });
    const [offsets] = await admin.fetchTopicOffsets(topic);
    expect(offsets).toMatchObject({ low: "0", high: "1" });
  });
});
