// Export control on the real servers: the Kafka broker for topics and offsets, the registry
// for the value schema, moto for the state table, Glue and the bucket. Built from the same
// runtime code the CLI uses.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Kafka, logLevel, type Admin, type Producer } from "kafkajs";
import { createStateTable } from "../../../lib/adapters/aws/dynamodb-state-store.js";
import { createKafkaClient } from "../../../lib/adapters/kafka/kafkajs-client.js";
import { createKafkaTopicAdmin, type KafkaTopicAdmin } from "../../../lib/adapters/kafka/kafkajs-topic-admin.js";
import { parseExportConfig, type ExportConfig } from "../../../lib/config/export-config.js";
import type { ExportControlContext } from "../../../lib/control/enable-topic.js";
import { silentLogger } from "../../../lib/core/logger.js";
import { defaultKafkaConnection } from "../../../lib/kafka/kafka-connection.js";
import { createCommitContext } from "../../../lib/runtime/commit-runtime.js";
import { createIngestContext } from "../../../lib/runtime/ingest-runtime.js";
import { awsTestClientConfig, type AwsTestClientConfig } from "../../env/aws.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";

export interface ControlHarness {
  context: ExportControlContext;
  /** The configuration and AWS client settings the context was built from, for ingest and commit contexts of the same stack. */
  config: ExportConfig;
  clientConfig: AwsTestClientConfig;
  /** The ingest and commit wiring over the same state table, catalog and bucket. */
  ingest: ReturnType<typeof createIngestContext>;
  commit: ReturnType<typeof createCommitContext>;
  stateTable: string;
  database: string;
  admin: Admin;
  producer: Producer;
  createTopic(options?: { partitions?: number; cleanupPolicy?: string }): Promise<string>;
  close(): Promise<void>;
}

export interface ControlHarnessOptions {
  /**
   * "glue" unless "rest": the test environment's REST catalog, with no warehouse of ours, so
   * that the catalog chooses each table's location as S3 Tables does.
   */
  catalog?: "glue" | "rest";
}

export async function createControlHarness(options: ControlHarnessOptions = {}): Promise<ControlHarness> {
  const environment = testEnvironment();
  const clientConfig = awsTestClientConfig(environment.awsEndpoint);
  const bucket = uniqueName("control");
  const stateTable = uniqueName("control-state");
  const database = uniqueName("control_db").replaceAll("-", "_");
  await new S3Client(clientConfig).send(new CreateBucketCommand({ Bucket: bucket }));
  await createStateTable(new DynamoDBClient(clientConfig), stateTable);
  const catalogSettings =
    options.catalog === "rest"
      ? { CATALOG: "rest", REST_CATALOG_URI: environment.restCatalogUrl, REST_CATALOG_NAMESPACE: database }
      : { WAREHOUSE: `s3://${bucket}/warehouse`, CATALOG: "glue", GLUE_DATABASE: database };
  const config = parseExportConfig({ ...catalogSettings, STATE_TABLE: stateTable, SCHEMA_REGISTRY_URL: environment.schemaRegistryUrl });
  const ingest = createIngestContext(config, { logger: silentLogger, awsClientConfig: clientConfig });
  const commit = createCommitContext(config, { logger: silentLogger, awsClientConfig: clientConfig });
  const brokers = [environment.kafkaBootstrap];
  const topicAdmin: KafkaTopicAdmin = createKafkaTopicAdmin(createKafkaClient({ ...defaultKafkaConnection, brokers }, silentLogger), brokers);
  const context: ExportControlContext = {
    stateStore: ingest.stateStore,
    catalog: commit.catalog,
    topicAdmin,
    schemas: ingest.schemas,
    warehouse: config.warehouse,
    namespace: database,
    now: Date.now,
  };
  const kafka = new Kafka({ clientId: "control-test", brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);

  async function createTopic(options: { partitions?: number; cleanupPolicy?: string } = {}): Promise<string> {
    const topic = uniqueName("control-topic");
    await admin.createTopics({
      topics: [{ topic, numPartitions: options.partitions ?? 2, configEntries: options.cleanupPolicy === undefined ? [] : [{ name: "cleanup.policy", value: options.cleanupPolicy }] }],
      waitForLeaders: true,
    });
    return topic;
  }

  async function close(): Promise<void> {
    await Promise.allSettled([admin.disconnect(), producer.disconnect(), topicAdmin.close()]);
  }

  return { context, config, clientConfig, ingest, commit, stateTable, database, admin, producer, createTopic, close };
}
