// Wires the commit path from the configuration: Glue catalog, S3 and DynamoDB in Lambda.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { createDynamoDbStateStore } from "../adapters/aws/dynamodb-state-store.js";
import { createGlueCatalog } from "../adapters/aws/glue-catalog.js";
import { createS3ObjectStore } from "../adapters/aws/s3-object-store.js";
import type { CommitContext } from "../commit/commit-table.js";
import type { ExportConfig } from "../config/export-config.js";
import { ConfigurationError } from "../core/errors.js";
import { backoffDelay } from "../core/retry.js";
import type { RuntimeOptions } from "./ingest-runtime.js";

export function createCommitContext(config: ExportConfig, options: RuntimeOptions): CommitContext {
  if (config.state.type !== "dynamodb") throw new ConfigurationError("STATE_DIRECTORY", "local state is not available yet; set STATE_TABLE");
  if (config.catalog.type !== "glue") throw new ConfigurationError("CATALOG", "the local catalog is not available yet; use glue");
  const awsClientConfig = options.awsClientConfig ?? {};
  const objectStore = createS3ObjectStore({ client: new S3Client(awsClientConfig) });
  return {
    stateStore: createDynamoDbStateStore({ client: new DynamoDBClient(awsClientConfig), tableName: config.state.tableName }),
    // One attempt per UpdateTable: an SDK retry of a commit whose answer was lost would be
    // reported as a conflict although the commit landed (see glue-commit-failure.ts).
    catalog: createGlueCatalog({ client: new GlueClient({ ...awsClientConfig, maxAttempts: 1 }), objectStore }),
    objectStore,
    logger: options.logger,
    now: options.now ?? Date.now,
    leaseOwner: randomUUID(),
    targetFileSizeBytes: config.targetFileSizeBytes,
    backoff: (attempt) => new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, { baseDelayMs: 200, maxDelayMs: 5_000, random: Math.random }))),
  };
}
