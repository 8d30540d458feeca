// Builds the object store and state store of the export from the configuration: S3 and
// DynamoDB in AWS; a folder and the local state store on the embedded default (SPEC.md §6).
// AWS clients are only created when the configuration names an AWS service. Kept apart from
// the catalog (export-adapters.ts) so that the ingest bundle carries no Glue client.
//
// Which combinations are accepted:
//   WAREHOUSE s3://...  with CATALOG=glue or rest, and state in DynamoDB (STATE_TABLE) or local (STATE_DIRECTORY)
//   WAREHOUSE /folder   with CATALOG=local or rest, and local state (STATE_DIRECTORY)
//   no WAREHOUSE        with CATALOG=rest: the catalog chooses each table's location (S3 Tables
//                       does), on S3 unless REST_CATALOG_WAREHOUSE is a local folder
// A Glue table must point at files every engine can reach, not at one machine's disk; the
// file catalog lives inside its warehouse folder; and DynamoDB state is shared state, which
// must not record files that only one machine's disk holds.
import { resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { createDynamoDbStateStore } from "../adapters/aws/dynamodb-state-store.js";
import { createS3ObjectStore } from "../adapters/aws/s3-object-store.js";
import { createFolderObjectStore } from "../adapters/local/folder-object-store.js";
import { createLocalStateStore } from "../adapters/local/local-state-store.js";
import { settingNames, type ExportConfig } from "../config/export-config.js";
import { ConfigurationError } from "../core/errors.js";
import type { StateStore } from "../state/state-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { Logger } from "../core/logger.js";

export interface RuntimeOptions {
  logger: Logger;
  now?: () => number;
  /** Client settings for the AWS SDK (endpoint, credentials); the SDK's defaults otherwise. */
  awsClientConfig?: { endpoint?: string; region?: string; credentials?: { accessKeyId: string; secretAccessKey: string }; forcePathStyle?: boolean };
}

export interface StorageAdapters {
  objectStore: ObjectStore;
  stateStore: StateStore;
}

/** The object store and the state store: all ingest needs (it never touches the catalog). */
export function createStorageAdapters(config: ExportConfig, options: RuntimeOptions): StorageAdapters {
  const resolved = withAbsoluteLocalPaths(config);
  checkAdapterCombination(resolved);
  const awsClientConfig = options.awsClientConfig ?? {};
  const objectStore = usesS3(resolved) ? createS3ObjectStore({ client: new S3Client(awsClientConfig) }) : createFolderObjectStore();
  const stateStore =
    resolved.state.type === "dynamodb"
      ? createDynamoDbStateStore({ client: new DynamoDBClient(awsClientConfig), tableName: resolved.state.tableName })
      : createLocalStateStore({ directory: resolved.state.directory });
  return { objectStore, stateStore };
}

/**
 * The configuration with a relative local warehouse and state folder made absolute against
 * `workingDirectory`: Iceberg metadata records absolute locations, and every process of the
 * export (the CLI's enable, the runner) must name the same files. Call it once, before the
 * warehouse is used for anything else (tableLocationFor refuses a relative one).
 */
export function withAbsoluteLocalPaths(config: ExportConfig, workingDirectory: string = process.cwd()): ExportConfig {
  const warehouse = config.warehouse === undefined || isS3Warehouse(config.warehouse) ? config.warehouse : resolve(workingDirectory, config.warehouse);
  const state = config.state.type === "local" ? { ...config.state, directory: resolve(workingDirectory, config.state.directory) } : config.state;
  return { ...config, warehouse, state };
}

export function checkAdapterCombination(config: ExportConfig): void {
  const isS3 = usesS3(config);
  if (config.catalog.type === "glue" && !isS3) {
    throw new ConfigurationError(settingNames.catalog, `glue needs an s3:// ${settingNames.warehouse}, got the local folder '${localFolderOf(config)}'; use ${settingNames.catalog}=local with a local warehouse`);
  }
  if (config.catalog.type === "local" && isS3) {
    throw new ConfigurationError(settingNames.catalog, `local keeps its tables in a local ${settingNames.warehouse} folder, got '${config.warehouse}'; use ${settingNames.catalog}=glue with an s3:// warehouse`);
  }
  if (config.state.type === "dynamodb" && !isS3) {
    throw new ConfigurationError(settingNames.stateTable, `DynamoDB state needs an s3:// ${settingNames.warehouse}, got the local folder '${localFolderOf(config)}'; use ${settingNames.stateDirectory} for local state`);
  }
}

/**
 * Whether the tables' files are on S3: an s3:// warehouse, or without one a REST catalog's
 * own choice, which is S3 unless its warehouse is a local folder (a test server's).
 */
export function usesS3(config: ExportConfig): boolean {
  if (config.warehouse !== undefined) return isS3Warehouse(config.warehouse);
  const restWarehouse = config.catalog.type === "rest" ? config.catalog.warehouse : undefined;
  return restWarehouse === undefined || !restWarehouse.startsWith("/");
}

function localFolderOf(config: ExportConfig): string {
  return config.warehouse ?? (config.catalog.type === "rest" ? (config.catalog.warehouse ?? "") : "");
}

function isS3Warehouse(warehouse: string): boolean {
  return warehouse.startsWith("s3://");
}
