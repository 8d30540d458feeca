// Wires the maintenance pass from the configuration, over the same adapters as commit.
import type { ExportConfig } from "../config/export-config.js";
import type { MaintenanceConfig } from "../config/maintenance-config.js";
import type { MaintenanceContext } from "../maintenance/maintain-tables.js";
import { createExportAdapters, type ExportAdapters, type RuntimeOptions } from "./export-adapters.js";

export function createMaintenanceContext(config: ExportConfig, maintenance: MaintenanceConfig, options: RuntimeOptions): MaintenanceContext {
  return { ...maintenanceContextOver(createExportAdapters(config, options), maintenance, options), deadLettersByDefault: config.deadLetters };
}

export function maintenanceContextOver(adapters: ExportAdapters, maintenance: MaintenanceConfig, options: RuntimeOptions): MaintenanceContext {
  const { stateStore, catalog, objectStore } = adapters;
  return {
    stateStore,
    catalog,
    objectStore,
    logger: options.logger,
    now: options.now ?? Date.now,
    parts: { expireSnapshots: maintenance.expireSnapshots, removeOrphans: maintenance.removeOrphans, compact: maintenance.compact },
    expiryDefaults: maintenance.expiry,
    orphanMinAgeMs: maintenance.orphanMinAgeMs,
    compaction: maintenance.compaction,
  };
}
