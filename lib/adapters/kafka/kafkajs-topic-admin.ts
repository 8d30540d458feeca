// TopicAdmin over the kafkajs admin client. Connects on first use; `close` disconnects.
// A broker that cannot be reached is a retryable KAFKA_UNAVAILABLE naming the brokers.
import kafkajs, { type Admin, type Kafka } from "kafkajs";
import type { TopicAdmin, TopicDescription } from "../../control/topic-admin.js";
import { withRetry } from "../../core/retry.js";
import { isKafkaRetriable, kafkaErrorOf } from "./kafkajs-client.js";

// kafkajs is CommonJS, and Node's named-export detection misses this one.
const { ConfigResourceTypes } = kafkajs;

export interface KafkaTopicAdmin extends TopicAdmin {
  close(): Promise<void>;
}

export function createKafkaTopicAdmin(kafka: Kafka, brokers: readonly string[]): KafkaTopicAdmin {
  let connected: Promise<Admin> | undefined;

  function admin(): Promise<Admin> {
    if (connected !== undefined) return connected;
    const connecting = (async () => {
      const client = kafka.admin();
      await client.connect();
      return client;
    })();
    // A failed connection is not kept: the next call connects again.
    connecting.catch(() => {
      if (connected === connecting) connected = undefined;
    });
    connected = connecting;
    return connecting;
  }

  async function describeTopic(topic: string): Promise<TopicDescription | undefined> {
    return kafkaCall(`describe topic ${topic}`, brokers, async () => {
      const client = await admin();
      if (!(await client.listTopics()).includes(topic)) return undefined;
      const metadata = await client.fetchTopicMetadata({ topics: [topic] });
      const partitions = (metadata.topics[0]?.partitions ?? []).map((partition) => partition.partitionId).sort((a, b) => a - b);
      const configs = await client.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ["cleanup.policy"] }],
        includeSynonyms: false,
      });
      const cleanupPolicy = configs.resources[0]?.configEntries.find((entry) => entry.configName === "cleanup.policy")?.configValue ?? "delete";
      return { topic, partitions, cleanupPolicy };
    });
  }

  async function logEndOffsets(topic: string): Promise<Record<number, bigint>> {
    return kafkaCall(`read the log-end offsets of ${topic}`, brokers, async () => {
      const client = await admin();
      // Right after a topic is created its partitions' leaders may not be known yet: kafkajs
      // answers "not the leader" (retriable) instead of waiting.
      const offsets = await withRetry(() => client.fetchTopicOffsets(topic), { shouldRetry: isKafkaRetriable, maxAttempts: 8, baseDelayMs: 250 });
      return Object.fromEntries(offsets.map((offset) => [offset.partition, BigInt(offset.high)]));
    });
  }

  async function close(): Promise<void> {
    const pending = connected;
    connected = undefined;
    if (pending !== undefined) await (await pending.catch(() => undefined))?.disconnect();
  }

  return { describeTopic, logEndOffsets, close };
}

async function kafkaCall<T>(what: string, brokers: readonly string[], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw kafkaErrorOf(what, brokers, error);
  }
}
