// A topic on the real broker, its export enabled at the log end (as the CLI's `enable` will
// do), and the production ingest and commit paths for the runner, on moto and the registry.
import { Kafka, logLevel, type Admin, type IHeaders, type Producer } from "kafkajs";
import { isKafkaRetriable } from "../../../lib/adapters/kafka/kafkajs-client.js";
import type { Logger } from "../../../lib/core/logger.js";
import { withRetry } from "../../../lib/core/retry.js";
import type { KafkaConnectionSettings } from "../../../lib/kafka/kafka-connection.js";
import { commitRoundsWith, ingestEventsWith } from "../../../lib/runner/export-pipeline.js";
import type { ExportRunnerOptions } from "../../../lib/runner/runner-options.js";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { createCommitHarness, type CommitHarness } from "../commit/commit-harness.js";

export interface ProducedRecord {
  partition: number;
  key: string | null;
  /** An order to encode, raw bytes (an invalid payload), or null for a tombstone. */
  value: Record<string, unknown> | Uint8Array | null;
  headers?: IHeaders;
  timestampMs: number;
}

export interface RunnerHarness extends CommitHarness {
  kafkaSettings: KafkaConnectionSettings;
  admin: Admin;
  producer: Producer;
  groupId: string;
  createTopic(partitions: number): Promise<void>;
  /** Writes the topic export with the current log-end offsets as its start offsets. */
  enableAtLogEnd(): Promise<Record<number, bigint>>;
  produce(records: ProducedRecord[]): Promise<void>;
  logEndOffsets(): Promise<Record<number, bigint>>;
  /** The group's committed offset per partition; -1 where it committed none. */
  groupOffsets(groupId?: string): Promise<Record<number, bigint>>;
  /** Polls until the group has committed every partition's log-end offset. */
  waitForGroupAtLogEnd(groupId?: string, timeoutMs?: number): Promise<void>;
  runnerOptions(logger: Logger, overrides?: Partial<ExportRunnerOptions>): ExportRunnerOptions;
  valueBytes(value: Record<string, unknown> | Uint8Array): Uint8Array;
  close(): Promise<void>;
}

/** `storage: "local"` runs on the embedded default (folder, file catalog, local state) instead of moto. */
export async function createRunnerHarness(options: { storage?: "aws" | "local" } = {}): Promise<RunnerHarness> {
  const harness = await createCommitHarness(options);
  const bootstrap = testEnvironment().kafkaBootstrap;
  const kafka = new Kafka({ clientId: "runner-test", brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  const groupId = uniqueName("runner-group");
  const kafkaSettings: KafkaConnectionSettings = { brokers: [bootstrap], clientId: "runner-test", ssl: false, connectionTimeoutMs: 10_000, requestTimeoutMs: 30_000 };

  async function createTopic(partitions: number): Promise<void> {
    await admin.createTopics({ topics: [{ topic: harness.topic, numPartitions: partitions }], waitForLeaders: true });
  }

  async function logEndOffsets(): Promise<Record<number, bigint>> {
    // A topic just created may not have its leaders known yet: "not the leader", retriable.
    const offsets = await withRetry(() => admin.fetchTopicOffsets(harness.topic), { shouldRetry: isKafkaRetriable, maxAttempts: 10, baseDelayMs: 250 });
    return Object.fromEntries(offsets.map((offset) => [offset.partition, BigInt(offset.high)]));
  }

  async function enableAtLogEnd(): Promise<Record<number, bigint>> {
    const startOffsets = await logEndOffsets();
    await harness.enableTopic(startOffsets);
    return startOffsets;
  }

  function valueBytes(value: Record<string, unknown> | Uint8Array): Uint8Array {
    if (value instanceof Uint8Array) return value;
    return encodeConfluentFrame(harness.schemaId, [0], harness.orderType.encode(harness.orderType.fromObject(value)).finish());
  }

  async function produce(records: ProducedRecord[]): Promise<void> {
    await producer.send({
      topic: harness.topic,
      messages: records.map((record) => ({
        partition: record.partition,
        key: record.key,
        value: record.value === null ? null : Buffer.from(valueBytes(record.value)),
        timestamp: String(record.timestampMs),
        ...(record.headers === undefined ? {} : { headers: record.headers }),
      })),
    });
  }

  async function groupOffsets(group = groupId): Promise<Record<number, bigint>> {
    // A fresh broker's group coordinator answers "loading" for a moment; kafkajs flags that retriable.
    const [topicOffsets] = await withRetry(() => admin.fetchOffsets({ groupId: group, topics: [harness.topic] }), {
      shouldRetry: isKafkaRetriable,
      maxAttempts: 10,
      baseDelayMs: 250,
    });
    return Object.fromEntries((topicOffsets?.partitions ?? []).map((partition) => [partition.partition, BigInt(partition.offset)]));
  }

  async function waitForGroupAtLogEnd(group = groupId, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const target = await logEndOffsets();
    for (;;) {
      const committed = await groupOffsets(group);
      if (Object.entries(target).every(([partition, end]) => committed[Number(partition)] === end)) return;
      if (Date.now() > deadline) throw new Error(`group ${group} did not reach the log end ${JSON.stringify(target, stringify)} in ${timeoutMs} ms: ${JSON.stringify(committed, stringify)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  function runnerOptions(logger: Logger, overrides: Partial<ExportRunnerOptions> = {}): ExportRunnerOptions {
    return {
      kafka: kafkaSettings,
      groupId,
      topics: [harness.topic],
      ingest: ingestEventsWith({ ...harness.context, logger }),
      commitRound: commitRoundsWith({ ...harness.commitContext(), logger }),
      logger,
      batchingWindowMs: 100,
      sessionTimeoutMs: 10_000,
      ...overrides,
    };
  }

  async function close(): Promise<void> {
    await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
  }

  return { ...harness, kafkaSettings, admin, producer, groupId, createTopic, enableAtLogEnd, produce, logEndOffsets, groupOffsets, waitForGroupAtLogEnd, runnerOptions, valueBytes, close };
}

function stringify(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

export interface RecordingLogger extends Logger {
  entries: { level: string; message: string; attributes: Record<string, unknown> | undefined }[];
}

export function recordingLogger(): RecordingLogger {
  const entries: RecordingLogger["entries"] = [];
  return {
    entries,
    info: (message, attributes) => entries.push({ level: "info", message, attributes }),
    warn: (message, attributes) => entries.push({ level: "warn", message, attributes }),
    error: (message, attributes) => entries.push({ level: "error", message, attributes }),
  };
}
