// Scheduled Lambda handler (EventBridge, its own schedule) for table maintenance, SPEC.md §8:
// one pass of compaction and snapshot expiry over every exported table.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { parseMaintenanceConfig } from "../lib/config/maintenance-config.js";
import { ExportError } from "../lib/core/errors.js";
import { maintainTables, type MaintenanceContext } from "../lib/maintenance/maintain-tables.js";
import { maintenanceMetrics } from "../lib/maintenance/maintenance-metrics.js";
import { configFromEnvironmentAndSecrets, settingsFromEnvironment } from "../lib/runtime/environment.js";
import { createMaintenanceContext } from "../lib/runtime/maintenance-runtime.js";
import { coreLogger } from "../lib/runtime/powertools-logger.js";

const logger = new Logger({ serviceName: "kafka-iceberg-export" });
const metrics = new Metrics({ namespace: "KafkaIcebergExport", serviceName: "maintain" });
let context: MaintenanceContext | undefined;

export async function handler(): Promise<void> {
  context ??= createMaintenanceContext(await configFromEnvironmentAndSecrets(), parseMaintenanceConfig(settingsFromEnvironment()), { logger: coreLogger(logger) });
  const started = Date.now();
  const outcome = await maintainTables(context);
  for (const point of maintenanceMetrics(outcome, Date.now() - started)) metrics.addMetric(point.name, point.unit, point.value);
  metrics.publishStoredMetrics();
  logger.info("maintenance pass done", { tables: outcome.tables.length, failures: outcome.failures.length });
  if (outcome.failures.length > 0) throw new ExportError("INTERNAL", `maintenance failed for ${outcome.failures.length} table(s); see the logs`, { retryable: true });
}
