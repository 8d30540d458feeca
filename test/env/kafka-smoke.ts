// Throwaway check of the test broker: npx tsx test/env/kafka-smoke.ts
// Installs and starts Kafka, round-trips a few messages through kafkajs, stops the broker
// and verifies that none of its processes remain.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, Partitioners, logLevel, type IHeaders, type KafkaMessage, type Message } from "kafkajs";
import { ensureInstalled } from "./install.js";
import { kafkaInstallStep, startKafka } from "./kafka.js";

const topic = "smoke";

interface Received {
  key: string;
  value: string | null;
  header: string;
}

async function main(): Promise<void> {
  const installStart = performance.now();
  const installResult = await ensureInstalled(kafkaInstallStep);
  console.log(`install: ${installResult} in ${elapsedSince(installStart)}`);

  const dataDir = mkdtempSync(join(tmpdir(), "kafka-smoke-"));
  const startedAt = performance.now();
  const kafka = await startKafka({ dataDir });
  console.log(`broker ready at ${kafka.bootstrap} in ${elapsedSince(startedAt)}`);
  try {
    console.log(`broker RSS after start: ${brokerRssMiB(dataDir)} MiB`);
    await roundTrip(kafka.bootstrap);
    console.log(`broker RSS after round trip: ${brokerRssMiB(dataDir)} MiB`);
  } finally {
    const stopStart = performance.now();
    await kafka.stop();
    console.log(`broker stopped in ${elapsedSince(stopStart)}`);
  }
  assertNoProcessLeft(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
  console.log("smoke test passed");
}

async function roundTrip(bootstrap: string): Promise<void> {
  const client = new Kafka({ clientId: "kafka-smoke", brokers: [bootstrap], logLevel: logLevel.WARN });
  const roundTripStart = performance.now();
  await createTopic(client);
  const sent = testMessages();
  await produce(client, sent);
  const received = await consume(client, sent.length);
  assertSameMessages(sent, received);
  console.log(`created, produced and consumed ${received.length} messages in ${elapsedSince(roundTripStart)}`);
}

async function createTopic(client: Kafka): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = topics[0]?.partitions.length;
    if (partitions !== 3) throw new Error(`topic ${topic} has ${partitions ?? "no"} partitions`);
  } finally {
    await admin.disconnect();
  }
}

function testMessages(): Message[] {
  return Array.from({ length: 10 }, (_, index) => ({
    key: `key-${index}`,
    value: index === 7 ? null : `value-${index}`,
    headers: { index: String(index) },
  }));
}

async function produce(client: Kafka, messages: Message[]): Promise<void> {
  const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

async function consume(client: Kafka, count: number): Promise<Received[]> {
  const consumer = client.consumer({ groupId: "kafka-smoke" });
  const received: Received[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const allReceived = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => {
          received.push(toReceived(message));
          if (received.length === count) resolve();
          return Promise.resolve();
        },
      });
    });
    await withTimeout(allReceived, 30_000, () => `received ${received.length} of ${count} messages`);
  } finally {
    await consumer.disconnect();
  }
  return received;
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(describe()));
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function toReceived(message: KafkaMessage): Received {
  return { key: message.key?.toString() ?? "", value: message.value?.toString() ?? null, header: headerValue(message.headers, "index") };
}

function headerValue(headers: IHeaders | undefined, name: string): string {
  const value = headers?.[name];
  return Buffer.isBuffer(value) ? value.toString() : String(value);
}

function assertSameMessages(sent: Message[], received: Received[]): void {
  const expected = sent.map((message, index) => ({ key: String(message.key), value: message.value === null ? null : String(message.value), header: String(index) }));
  const byKey = (a: Received, b: Received): number => a.key.localeCompare(b.key);
  const actual = JSON.stringify([...received].sort(byKey));
  if (actual !== JSON.stringify(expected.sort(byKey))) throw new Error(`messages differ: ${actual}`);
}

function brokerPids(dataDir: string): number[] {
  try {
    return execFileSync("pgrep", ["-f", dataDir], { encoding: "utf8" }).trim().split("\n").map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches.
  }
}

function brokerRssMiB(dataDir: string): number {
  const pid = brokerPids(dataDir)[0];
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round(kib / 1024);
}

function assertNoProcessLeft(dataDir: string): void {
  const left = brokerPids(dataDir);
  if (left.length > 0) throw new Error(`broker processes still running: ${left.join(", ")}`);
}

function elapsedSince(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(2)} s`;
}

await main();
