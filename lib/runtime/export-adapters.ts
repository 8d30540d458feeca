// The three adapters of the export from the configuration: the storage adapters
// (storage-adapters.ts) and the catalog, Glue in AWS or the file catalog on the embedded
// default. Commit and export control need the catalog; ingest does not.
import { GlueClient } from "@aws-sdk/client-glue";
import { createGlueCatalog } from "../adapters/aws/glue-catalog.js";
import { createFileCatalog } from "../adapters/local/file-catalog.js";
import type { Catalog } from "../catalog/catalog.js";
import type { ExportConfig } from "../config/export-config.js";
import { createStorageAdapters, withAbsoluteLocalPaths, type RuntimeOptions, type StorageAdapters } from "./storage-adapters.js";

export { checkAdapterCombination, withAbsoluteLocalPaths, type RuntimeOptions } from "./storage-adapters.js";

export interface ExportAdapters extends StorageAdapters {
  catalog: Catalog;
}

export function createExportAdapters(config: ExportConfig, options: RuntimeOptions): ExportAdapters {
  const storage = createStorageAdapters(config, options);
  const resolved = withAbsoluteLocalPaths(config);
  const catalog =
    resolved.catalog.type === "glue"
      ? // One attempt per UpdateTable: an SDK retry of a commit whose answer was lost would be
        // reported as a conflict although the commit landed (see glue-commit-failure.ts).
        createGlueCatalog({ client: new GlueClient({ ...(options.awsClientConfig ?? {}), maxAttempts: 1 }), objectStore: storage.objectStore })
      : createFileCatalog({ warehouse: resolved.warehouse, objectStore: storage.objectStore });
  return { ...storage, catalog };
}
