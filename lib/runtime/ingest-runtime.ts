// Wires the ingest pipeline from the configuration: AWS adapters in Lambda, local ones on
// the embedded default. Built once per Lambda container and reused across invocations.
import type { ExportConfig } from "../config/export-config.js";
import type { IngestContext } from "../ingest/ingest-batch.js";
import { createTableSchemaCache, type TableSchemaCache } from "../ingest/table-schema-cache.js";
import { createSchemaRegistryClient } from "../registry/registry-client.js";
import type { StateStore } from "../state/state-store.js";
import { createStorageAdapters, type RuntimeOptions, type StorageAdapters } from "./storage-adapters.js";

export type { RuntimeOptions };

export function createIngestContext(config: ExportConfig, options: RuntimeOptions): IngestContext {
  return ingestContextOver(createStorageAdapters(config, options), config, options);
}

/** The ingest context over adapters already built, for a process that also commits (the CLI's runner). */
export function ingestContextOver(adapters: StorageAdapters, config: ExportConfig, options: RuntimeOptions): IngestContext {
  const now = options.now ?? Date.now;
  const { stateStore, objectStore } = adapters;
  return { stateStore, objectStore, schemas: tableSchemaCacheFor(config, stateStore, now), logger: options.logger, now, useIngestTime: config.useIngestTime, deadLettersByDefault: config.deadLetters };
}

/** The configured registry's schemas, evolved into the state store's schema state. */
export function tableSchemaCacheFor(config: ExportConfig, stateStore: StateStore, now: () => number): TableSchemaCache {
  const registry = config.schemaRegistry === undefined ? undefined : createSchemaRegistryClient({ ...config.schemaRegistry, now });
  return createTableSchemaCache({
    stateStore,
    registry,
    wireFormat: config.wireFormat,
    ...(config.schemaRegistry === undefined ? {} : { refreshIntervalMs: config.schemaRegistry.refreshIntervalMs }),
    now,
  });
}
