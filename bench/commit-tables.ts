// The benchmark's tables: two exported topics in one state table and one warehouse, each
// with its topic export and schema state stored as ingest would have stored them. One
// table grows the history being measured; the other only warms up a measuring process,
// so that warming up leaves the measured table's history as it was.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoDbStateStore, createStateTable } from "../lib/adapters/aws/dynamodb-state-store.js";
import { parseExportConfig, type ExportConfig } from "../lib/config/export-config.js";
import { tableKey } from "../lib/ingest/table-schema-cache.js";
import { evolveSchemaState } from "../lib/schema/schema-state.js";
import type { TopicExport } from "../lib/state/state-store.js";
import { awsTestClientConfig } from "../test/env/aws.js";
import { orderEventType } from "./order-events.js";

export interface BenchTables {
  awsEndpoint: string;
  warehouse: string;
  stateTable: string;
  measuredTopic: string;
  warmUpTopic: string;
  /** The table of 10,000 small files a maintenance pass is measured on. */
  maintainedTopic: string;
}

const bucket = "commit-bench";
const database = "bench";

export async function createBenchTables(awsEndpoint: string): Promise<BenchTables> {
  const clientConfig = awsTestClientConfig(awsEndpoint);
  await new S3Client(clientConfig).send(new CreateBucketCommand({ Bucket: bucket }));
  const tables: BenchTables = { awsEndpoint, warehouse: `s3://${bucket}/warehouse`, stateTable: "commit-bench-state", measuredTopic: "orders-measured", warmUpTopic: "orders-warm-up", maintainedTopic: "orders-maintained" };
  const dynamoDb = new DynamoDBClient(clientConfig);
  await createStateTable(dynamoDb, tables.stateTable);
  const stateStore = createDynamoDbStateStore({ client: dynamoDb, tableName: tables.stateTable });
  const { state } = evolveSchemaState(undefined, orderEventType());
  for (const topic of [tables.measuredTopic, tables.warmUpTopic, tables.maintainedTopic]) {
    const topicExport = topicExportOf(tables, topic);
    await stateStore.putTopicExport(topicExport);
    await stateStore.saveSchemaState(tableKey(topicExport), state, undefined);
  }
  return tables;
}

export function benchConfig(tables: BenchTables): ExportConfig {
  return parseExportConfig({ WAREHOUSE: tables.warehouse, CATALOG: "glue", GLUE_DATABASE: database, STATE_TABLE: tables.stateTable });
}

function topicExportOf(tables: BenchTables, topic: string): TopicExport {
  const name = topic.replaceAll("-", "_");
  return {
    topic,
    enabled: true,
    table: { namespace: database, name },
    tableLocation: `${tables.warehouse}/${database}/${name}`,
    startOffsets: {},
    valueSubject: `${topic}-value`,
    subjectIsExplicit: false,
    partitioning: "day",
    updatedAt: new Date().toISOString(),
  };
}
