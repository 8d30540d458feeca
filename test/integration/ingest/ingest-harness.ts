// Everything an ingest test needs, on the real local servers: a bucket and a DynamoDB state
// table on moto (or, with storage "local", the embedded default: a warehouse folder with the
// file catalog and a local state folder), the Order schema registered in the registry, a
// topic export, and the ingest context wired by the same runtime code the Lambda uses.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type protobuf from "protobufjs";
import { afterAll } from "vitest";
import { createStateTable } from "../../../lib/adapters/aws/dynamodb-state-store.js";
import { tableLocationFor } from "../../../lib/catalog/table-location.js";
import { parseExportConfig, type ExportConfig, type Settings } from "../../../lib/config/export-config.js";
import type { Logger } from "../../../lib/core/logger.js";
import type { Partitioning } from "../../../lib/iceberg/partitioning.js";
import type { IngestContext } from "../../../lib/ingest/ingest-batch.js";
import { createIngestContext } from "../../../lib/runtime/ingest-runtime.js";
import type { TopicExport } from "../../../lib/state/state-store.js";
import { encodeConfluentFrame } from "../../../lib/registry/wire-format.js";
import { awsTestClientConfig, type AwsTestClientConfig } from "../../env/aws.js";
import { testEnvironment } from "../../env/test-environment.js";
import { uniqueName } from "../../env/unique-name.js";
import { compileMessage, fixtureProto } from "../../lib/schema/compile-fixture.js";

export interface EventRecord {
  offset: number;
  /** A message to encode as an Order, raw bytes, or null for a tombstone. */
  value: Record<string, unknown> | Uint8Array | null;
  key?: string | null;
  headers?: Record<string, number[] | null>[];
  timestampMs?: number;
}

export interface IngestHarness {
  context: IngestContext;
  config: ExportConfig;
  /** The configured WAREHOUSE. */
  warehouse: string;
  clientConfig: AwsTestClientConfig;
  registryUrl: string;
  topic: string;
  table: string;
  tableLocation: string;
  orderType: protobuf.Type;
  schemaId: number;
  s3: S3Client;
  logs: { level: string; message: string; attributes: Record<string, unknown> | undefined }[];
  enableTopic(startOffsets?: Record<number, bigint>, enabled?: boolean): Promise<TopicExport>;
  event(partition: number, records: EventRecord[]): unknown;
  downloadFile(location: string): Promise<string>;
}

export const orderSchemaText = fixtureProto("ingest/order.proto");

export interface IngestHarnessOptions {
  logger?: Logger;
  /**
   * "aws" (S3, Glue, DynamoDB on moto) unless "local": warehouse folder, file catalog, local
   * state; "rest": S3 and DynamoDB on moto with the test environment's REST catalog;
   * "rest-local": a warehouse folder and local state with the REST catalog.
   */
  storage?: "aws" | "local" | "rest" | "rest-local";
  /** Local storage only: an existing warehouse folder to share (with a state folder of this harness's own). */
  warehouse?: string;
  /** The table the topic is exported to, `kafka.<name>`; named after the topic when absent. */
  tableName?: string;
  /** How the topic's table is partitioned by its `timestamp` column; "day" when absent. */
  partitioning?: Partitioning;
}

export async function createIngestHarness(options: IngestHarnessOptions = {}): Promise<IngestHarness> {
  const environment = testEnvironment();
  const clientConfig = awsTestClientConfig(environment.awsEndpoint);
  const s3 = new S3Client(clientConfig);
  const storageSettings = await storageSettingsFor(options, s3, clientConfig);

  const topic = uniqueName("orders");
  const schemaId = await registerSchema(environment.schemaRegistryUrl, `${topic}-value`, orderSchemaText);
  const config = parseExportConfig({ ...storageSettings, SCHEMA_REGISTRY_URL: environment.schemaRegistryUrl });
  const logs: IngestHarness["logs"] = [];
  const recordingLogger: Logger = {
    info: (message, attributes) => logs.push({ level: "info", message, attributes }),
    warn: (message, attributes) => logs.push({ level: "warn", message, attributes }),
    error: (message, attributes) => logs.push({ level: "error", message, attributes }),
  };
  const context = createIngestContext(config, { logger: options.logger ?? recordingLogger, awsClientConfig: clientConfig });
  const tableName = options.tableName ?? topic.replaceAll("-", "_");
  const warehouse = config.warehouse;
  if (warehouse === undefined) throw new Error("the ingest harness configures a warehouse");
  const tableLocation = tableLocationFor(warehouse, { namespace: "kafka", name: tableName });
  const orderType = compileMessage(orderSchemaText, "shop.orders.Order");

  async function enableTopic(startOffsets: Record<number, bigint> = {}, enabled = true): Promise<TopicExport> {
    const topicExport: TopicExport = {
      topic,
      enabled,
      table: { namespace: "kafka", name: tableName },
      tableLocation,
      startOffsets,
      valueSubject: `${topic}-value`,
      subjectIsExplicit: false,
      partitioning: options.partitioning ?? "day",
      updatedAt: new Date().toISOString(),
    };
    await context.stateStore.putTopicExport(topicExport);
    return topicExport;
  }

  function event(partition: number, records: EventRecord[]): unknown {
    return {
      eventSource: "aws:kafka",
      eventSourceArn: "arn:aws:kafka:us-east-1:123456789012:cluster/test/0",
      records: {
        [`${topic}-${partition}`]: records.map((record) => ({
          topic,
          partition,
          offset: record.offset,
          timestamp: record.timestampMs ?? Date.UTC(2026, 10, 24, 12, 0, 0) + record.offset,
          timestampType: "CREATE_TIME",
          key: record.key === null ? null : Buffer.from(record.key ?? `key-${record.offset}`).toString("base64"),
          value: record.value === null ? null : Buffer.from(valueBytes(record.value)).toString("base64"),
          headers: record.headers ?? [],
        })),
      },
    };
  }

  function valueBytes(value: Record<string, unknown> | Uint8Array): Uint8Array {
    if (value instanceof Uint8Array) return value;
    return encodeConfluentFrame(schemaId, [0], orderType.encode(orderType.fromObject(value)).finish());
  }

  async function downloadFile(location: string): Promise<string> {
    if (!location.startsWith("s3://")) return location;
    const { pathname, host } = new URL(location);
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: host, Key: pathname.slice(1) }));
    const path = join(mkdtempSync(join(tmpdir(), "ingest-file-")), "data.parquet");
    writeFileSync(path, await (Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    return path;
  }

  return {
    context,
    config,
    warehouse,
    clientConfig,
    registryUrl: environment.schemaRegistryUrl,
    topic,
    table: `kafka.${tableName}`,
    tableLocation,
    orderType,
    schemaId,
    s3,
    logs,
    enableTopic,
    event,
    downloadFile,
  };
}

async function storageSettingsFor(options: IngestHarnessOptions, s3: S3Client, clientConfig: AwsTestClientConfig): Promise<Settings> {
  const rest = { CATALOG: "rest", REST_CATALOG_URI: testEnvironment().restCatalogUrl };
  switch (options.storage) {
    case "local":
      return localStorageSettings(options.warehouse);
    case "rest-local":
      return { ...localStorageSettings(options.warehouse), ...rest };
    case "rest":
      return { ...(await awsStorageSettings(s3, clientConfig)), GLUE_DATABASE: undefined, ...rest };
    default:
      return awsStorageSettings(s3, clientConfig);
  }
}

async function awsStorageSettings(s3: S3Client, clientConfig: AwsTestClientConfig): Promise<Settings> {
  const bucket = uniqueName("ingest");
  const stateTable = uniqueName("ingest-state");
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await createStateTable(new DynamoDBClient(clientConfig), stateTable);
  return { WAREHOUSE: `s3://${bucket}/warehouse`, CATALOG: "glue", GLUE_DATABASE: "kafka", STATE_TABLE: stateTable };
}

const localFolders: string[] = [];
afterAll(() => {
  for (const folder of localFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function localStorageSettings(warehouse: string | undefined): Settings {
  const folder = mkdtempSync(join(tmpdir(), "local-export-"));
  localFolders.push(folder);
  return { WAREHOUSE: warehouse ?? join(folder, "warehouse"), CATALOG: "local", STATE_DIRECTORY: join(folder, "state") };
}

export async function registerSchema(registryUrl: string, subject: string, schema: string): Promise<number> {
  const response = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: "POST",
    headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
    body: JSON.stringify({ schemaType: "PROTOBUF", schema }),
  });
  const body = (await response.json()) as { id: number };
  if (!response.ok) throw new Error(`registering ${subject}: ${JSON.stringify(body)}`);
  return body.id;
}

export function order(offset: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `order-${offset}`,
    cents: String(1000 + offset),
    status: offset % 2 === 0 ? "PLACED" : "SHIPPED",
    tags: [`t${offset}`],
    attributes: { channel: "web" },
    placed_at: { seconds: String(1764000000 + offset), nanos: 5000 },
    customer: { name: `customer ${offset}` },
    weight_kg: offset / 2,
    quantity: offset,
    discount: 0.25,
    ...overrides,
  };
}
