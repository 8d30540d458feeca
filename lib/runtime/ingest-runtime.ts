// Wires the ingest pipeline from the configuration: AWS adapters in Lambda, local ones on
// the embedded default. Built once per Lambda container and reused across invocations.
import type { ExportConfig } from "../config/export-config.js";
import type { IngestContext } from "../ingest/ingest-batch.js";
import { createTableSchemaCache } from "../ingest/table-schema-cache.js";
import { createSchemaRegistryClient } from "../schema/registry-client.js";
import { createStorageAdapters, type RuntimeOptions } from "./storage-adapters.js";

export type { RuntimeOptions };

export function createIngestContext(config: ExportConfig, options: RuntimeOptions): IngestContext {
  const now = options.now ?? Date.now;
  const { stateStore, objectStore } = createStorageAdapters(config, options);
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
