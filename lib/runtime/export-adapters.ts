// The three adapters of the export from the configuration: the storage adapters
// (storage-adapters.ts) and the catalog: Glue in AWS, the file catalog on the embedded
// default, or an Iceberg REST catalog. Commit and export control need the catalog; ingest
// does not.
import { GlueClient } from "@aws-sdk/client-glue";
import { createGlueCatalog } from "../adapters/aws/glue-catalog.js";
import { createFileCatalog } from "../adapters/local/file-catalog.js";
import { createRestCatalog } from "../adapters/rest/rest-catalog.js";
import type { Catalog } from "../catalog/catalog.js";
import type { ExportConfig } from "../config/export-config.js";
import { ConfigurationError } from "../core/errors.js";
import { createRestCatalogAuthenticator } from "./rest-catalog-authenticator.js";
import { createStorageAdapters, withAbsoluteLocalPaths, type RuntimeOptions, type StorageAdapters } from "./storage-adapters.js";

export { checkAdapterCombination, withAbsoluteLocalPaths, type RuntimeOptions } from "./storage-adapters.js";

export interface ExportAdapters extends StorageAdapters {
  catalog: Catalog;
}

export function createExportAdapters(config: ExportConfig, options: RuntimeOptions): ExportAdapters {
  const storage = createStorageAdapters(config, options);
  const resolved = withAbsoluteLocalPaths(config);
  const { logger } = options;
  const { objectStore } = storage;
  switch (resolved.catalog.type) {
    case "glue":
      // One attempt per UpdateTable: an SDK retry of a commit whose answer was lost would be
      // reported as a conflict although the commit landed (see glue-commit-failure.ts).
      return { ...storage, catalog: createGlueCatalog({ client: new GlueClient({ ...(options.awsClientConfig ?? {}), maxAttempts: 1 }), objectStore, logger }) };
    case "local":
      if (resolved.warehouse === undefined) throw new ConfigurationError("WAREHOUSE", "is required with CATALOG=local");
      return { ...storage, catalog: createFileCatalog({ warehouse: resolved.warehouse, objectStore, logger }) };
    case "rest": {
      const { uri, warehouse, auth, vendedCredentials } = resolved.catalog;
      const authenticator = createRestCatalogAuthenticator(auth, { catalogUri: uri, ...(options.awsClientConfig === undefined ? {} : { awsClientConfig: options.awsClientConfig }) });
      return { ...storage, catalog: createRestCatalog({ uri, warehouse, authenticator, vendedCredentials }) };
    }
  }
}
