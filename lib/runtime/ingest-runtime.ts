// Wires the ingest pipeline from the configuration: AWS adapters in Lambda, local ones on
// the embedded default. Built once per Lambda container and reused across invocations.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { createDynamoDbStateStore } from "../adapters/aws/dynamodb-state-store.js";
import { createS3ObjectStore } from "../adapters/aws/s3-object-store.js";
import type { ExportConfig } from "../config/export-config.js";
import { ConfigurationError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { IngestContext } from "../ingest/ingest-batch.js";
import { createTableSchemaCache } from "../ingest/table-schema-cache.js";
import { createSchemaRegistryClient } from "../schema/registry-client.js";

export interface RuntimeOptions {
  logger: Logger;
  now?: () => number;
  /** Client settings for the AWS SDK (endpoint, credentials); the SDK's defaults otherwise. */
  awsClientConfig?: { endpoint?: string; region?: string; credentials?: { accessKeyId: string; secretAccessKey: string }; forcePathStyle?: boolean };
}

export function createIngestContext(config: ExportConfig, options: RuntimeOptions): IngestContext {
  const now = options.now ?? Date.now;
  if (config.state.type !== "dynamodb") throw new ConfigurationError("STATE_DIRECTORY", "local state is not available yet; set STATE_TABLE");
  if (!config.warehouse.startsWith("s3://")) throw new ConfigurationError("WAREHOUSE", "a local warehouse is not available yet; use s3://bucket/prefix");
  const stateStore = createDynamoDbStateStore({ client: new DynamoDBClient(options.awsClientConfig ?? {}), tableName: config.state.tableName });
  const objectStore = createS3ObjectStore({ client: new S3Client(options.awsClientConfig ?? {}) });
  const registry = config.schemaRegistry === undefined ? undefined : createSchemaRegistryClient({ ...config.schemaRegistry, now });
  const schemas = createTableSchemaCache({
    stateStore,
    registry,
    wireFormat: config.wireFormat,
    ...(config.schemaRegistry === undefined ? {} : { refreshIntervalMs: config.schemaRegistry.refreshIntervalMs }),
    now,
  });
  return { stateStore, objectStore, schemas, logger: options.logger, now, useIngestTime: config.useIngestTime };
}
