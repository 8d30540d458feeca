// The benchmark's tables: exported topics in one state table and one warehouse, each with its
// topic export and schema state stored as ingest would have stored them. For the commit
// benchmark, two of them: one table grows the history being measured; the other only warms
// up a measuring process, so that warming up leaves the measured table's history as it was.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoDbStateStore, createStateTable } from "../lib/adapters/aws/dynamodb-state-store.js";
import { parseExportConfig, type ExportConfig } from "../lib/config/export-config.js";
import { tableKey } from "../lib/ingest/table-schema-cache.js";
import { evolveSchemaState } from "../lib/schema/schema-state.js";
import type { TopicExport } from "../lib/state/state-store.js";
import { awsTestClientConfig } from "../test/env/aws.js";
import { orderEventType } from "./order-events.js";

/** Where a benchmark's tables live: what a measuring process needs to wire the runtime. */
export interface BenchStore {
  awsEndpoint: string;
  warehouse: string;
  stateTable: string;
}

export interface BenchTables extends BenchStore {
  measuredTopic: string;
  warmUpTopic: string;
  /** The table of 10,000 small files a maintenance pass is measured on. */
  maintainedTopic: string;
}

const database = "bench";

export async function createBenchTables(awsEndpoint: string): Promise<BenchTables> {
  const topics = { measuredTopic: "orders-measured", warmUpTopic: "orders-warm-up", maintainedTopic: "orders-maintained" };
  const store = await createBenchStore(awsEndpoint, { bucket: "commit-bench", stateTable: "commit-bench-state", topics: Object.values(topics) });
  return { ...store, ...topics };
}

/**
 * A bucket, a state table and the topics' exports and schema states (order events), written
 * `concurrency` topics at a time.
 */
export async function createBenchStore(awsEndpoint: string, options: { bucket: string; stateTable: string; topics: readonly string[]; concurrency?: number }): Promise<BenchStore> {
  const clientConfig = awsTestClientConfig(awsEndpoint);
  await new S3Client(clientConfig).send(new CreateBucketCommand({ Bucket: options.bucket }));
  const store: BenchStore = { awsEndpoint, warehouse: `s3://${options.bucket}/warehouse`, stateTable: options.stateTable };
  const dynamoDb = new DynamoDBClient(clientConfig);
  await createStateTable(dynamoDb, store.stateTable);
  const stateStore = createDynamoDbStateStore({ client: dynamoDb, tableName: store.stateTable });
  const { state } = evolveSchemaState(undefined, orderEventType());
  await forEachConcurrently(options.topics, options.concurrency ?? 1, async (topic) => {
    const topicExport = topicExportOf(store, topic);
    await stateStore.putTopicExport(topicExport);
    await stateStore.saveSchemaState(tableKey(topicExport), state, undefined);
  });
  return store;
}

export function benchConfig(store: BenchStore, settings: Record<string, string> = {}): ExportConfig {
  return parseExportConfig({ WAREHOUSE: store.warehouse, CATALOG: "glue", GLUE_DATABASE: database, STATE_TABLE: store.stateTable, ...settings });
}

export function topicExportOf(store: BenchStore, topic: string): TopicExport {
  const name = topic.replaceAll("-", "_");
  return {
    topic,
    enabled: true,
    table: { namespace: database, name },
    tableLocation: `${store.warehouse}/${database}/${name}`,
    startOffsets: {},
    valueSubject: `${topic}-value`,
    subjectIsExplicit: false,
    partitioning: "day",
    updatedAt: new Date().toISOString(),
  };
}

/** `work` on every item, at most `concurrency` at a time; the first failure fails the whole. */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) await work(items[next++] as T);
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
